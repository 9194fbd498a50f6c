// Profile expansion with the cases of Retis's own profile tests (profiles/profiles.rs) as the oracle.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadProfiles, profileArgs, profileLimitation, versionMatches } from "./profiles.js";

function profile(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "retis-profile-"));
  writeFileSync(join(dir, "p.yaml"), yaml);
  return loadProfiles(join(dir, "p.yaml"));
}

test("args become options in key order; lists repeat; null is a flag", () => {
  const [p] = profile(`
version: 1.0
name: test
collect:
  - name: Default
    args:
      probe:
        - kprobe:ip_rcv
        - kprobe:ip_finish_output2
      skb_sections:
       - l3
       - tcp
`);
  assert.deepEqual(profileArgs(p!, "collect"), ["--probe", "kprobe:ip_rcv", "--probe", "kprobe:ip_finish_output2", "--skb-sections", "l3", "--skb-sections", "tcp"]);
  const [q] = profile(`
version: 1.0
name: test
collect:
  - name: Default
    args:
      probe: kprobe:ip_rcv
      skb_sections: l3,tcp
      ovs-track: ~
`);
  assert.deepEqual(profileArgs(q!, "collect"), ["--ovs-track", "--probe", "kprobe:ip_rcv", "--skb-sections", "l3,tcp"]);
});

test("the first entry whose conditions hold applies", () => {
  const [p] = profile(`
version: 1.0
name: test
collect:
  - name: Too old
    when:
      - type: version
        version: "= 3"
    args:
      probe: tp:a:b
  - name: Symbol exists
    when:
      - type: symbol
        name: unexisting_symbol
    args:
      probe: tp:c:d
  - name: Correct
    args:
      probe: tp:skb:kfree_skb
`);
  assert.deepEqual(profileArgs(p!, "collect"), ["--probe", "tp:skb:kfree_skb"]);
});

test("kernel version requirements, as Retis's tests", () => {
  assert.ok(versionMatches("=4.6.1", [4, 6, 1]));
  assert.ok(!versionMatches("=4.6.1", [4, 6, 2]));
  assert.ok(!versionMatches(">4.6.1", [4, 6, 1]));
  assert.ok(versionMatches(">4.6.1, <5.1.1", [5, 1, 0]));
  assert.ok(!versionMatches(">4.6.1, <5.1.1", [5, 1, 1]));
  assert.ok(versionMatches("> 6.0.0 <= 7", [6, 5, 0]));
});

test("several profiles per file; unsupported versions skipped; kprobe profiles say so", () => {
  const ps = profile(`version: 1.0
name: a
collect:
  - args:
      probe: tp:skb:kfree_skb
---
version: 2.0
name: b
---
version: 1.0
name: c
collect:
  - args:
      probe: kprobe:ip_rcv
`);
  assert.deepEqual(ps.map((p) => p.name), ["a", "c"]);
  assert.equal(profileLimitation(ps[0]!), undefined);
  assert.match(profileLimitation(ps[1]!)!, /needs kprobes/);
  assert.throws(() => profile("version: 1.0\nname: x\ncollect: [1\n"), /p\.yaml: line \d+/);
});
