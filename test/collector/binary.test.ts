// The native collector binary itself, as `retis collect` drives it (issue G):
// - a full disk while collecting: on ENOSPC it stops writing cleanly; the file ends with a complete line,
//   the error names the file, and the events not written are counted beside the kernel's losses (the disk
//   is a 64 KiB tmpfs mounted for the test and unmounted after, filled by a flood of pings);
// - the skb collector writes the packet (Retis's `skb` collector);
// - options are matched by their full names only.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { canCollect, collectorBinary, createNetns, ip4, parse, readLines, sh, startCollector, type Netns } from "./env.js";

let env: Netns | undefined;
let dir = "";
let mnt = "";

describe("the native collector's output", { concurrency: false, timeout: 180_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "retis-gcol-"));
    if (process.getuid?.() !== 0) return;
    env = createNetns("gcol");
    mnt = join(dir, "small");
    mkdirSync(mnt);
    sh("mount", ["-t", "tmpfs", "-o", "size=64k", `gcol-${process.pid}`, mnt]);
  });
  after(() => {
    if (mnt) spawnSync("umount", [mnt], { timeout: 10_000 });
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("a full disk: the file ends with a whole line, the error names it, events not written are counted", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const out = join(mnt, "full.data");
    const c = await startCollector(["-o", out, "--netns", e.a, "--netns", e.b, "--summary-json"]);
    // ~1 KB per event: a few hundred events fill 64 KiB; the writer flushes every 1 MiB or at the end
    e.exec(e.a, ["ping", "-f", "-c", "400", "-W", "1", "-q", e.ipB], 30_000);
    const { code, stderr } = await c.stop();
    assert.equal(code, 1, stderr);
    const lines = stderr.trim().split("\n");
    assert.ok(lines.includes(`retis: Failed to write '${out}': No space left on device; writing stopped after the last complete event`), stderr);
    const counts = /^retis: (\d+) events written to (.*), (\d+) events not written, (\d+) events dropped by kernel$/m.exec(stderr);
    assert.ok(counts, stderr);
    assert.equal(counts[2], out);
    const summary = JSON.parse(lines.find((l) => l.startsWith("{"))!);
    const written = Number(counts[1]);
    const notWritten = Number(counts[3]);
    assert.ok(notWritten > 0, "some events did not fit");
    // the file: every line whole and JSON, the startup line first, as many events as said
    const text = readFileSync(out, "utf8");
    assert.ok(text.endsWith("\n"), "the file ends with a complete line");
    const events = parse(readLines(out));
    assert.ok(events[0].startup, "the startup line is there");
    assert.equal(events.length - 1, written);
    assert.equal(summary.not_written, notWritten);
    // each of the 800 ICMP packets is seen at least twice (xmit and receive): all accounted for
    assert.ok(written + notWritten + summary.lost >= 1600, `${written} + ${notWritten} + ${summary.lost} events account for the flood`);
  });

  test("the skb collector writes the packet; `packet` is still accepted alone", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    for (const [collectors, keys] of [
      ["skb", ["common", "kernel", "packet", "dev"]],
      ["packet", ["common", "kernel", "packet"]],
    ] as const) {
      const out = join(dir, `skb-${collectors}.data`);
      const c = await startCollector(["-o", out, "--netns", e.a, "-c", collectors]);
      e.exec(e.a, ["ping", "-c", "1", "-W", "2", e.ipB]);
      const { code, stderr } = await c.stop();
      assert.equal(code, 0, stderr);
      const events = parse(readLines(out)).slice(1);
      const request = events.find((ev) => ip4(ev.packet)?.icmpType === 8);
      assert.ok(request, `the echo request is there with -c ${collectors}`);
      assert.deepEqual(Object.keys(request), keys, `-c ${collectors}`);
      assert.equal(ip4(request.packet)?.dst, e.ipB);
    }
  });

  test("bad values are refused with one line each, exit 2", (t) => {
    if (!canCollect(t)) return;
    const cases: [string[], string][] = [
      [["--timeout", "nan"], "retis: invalid --timeout 'nan': expected a positive number of seconds"],
      [["--timeout", "inf"], "retis: invalid --timeout 'inf': expected a positive number of seconds"],
      [["--stop-after", "-1"], "retis: invalid --stop-after '-1': expected a positive number of events"],
      [["--stop-after", "18446744073709551616"], "retis: invalid --stop-after '18446744073709551616': expected a positive number of events"],
      [["-c", ""], "retis: invalid --collectors '': expected skb-tracking, skb, skb-drop, ct, dev, ns or auto"],
      [["-c", "ovs"], "retis: unknown collector 'ovs' (expected skb-tracking, skb, skb-drop, ct, dev, ns or auto)"],
      [["--skb-sections", "l3"], "retis: unknown skb section 'l3' (expected all, vlan, dev, ns, meta, dataref or gso)"],
      [["-m", "sk_buff.mark == 1", "-m", "sk_buff.len > 1"], "retis: -m, --filter-meta may be given once (combine comparisons with 'and' and 'or')"],
    ];
    for (const [args, line] of cases) {
      const r = spawnSync(collectorBinary, [...args, "-o", join(dir, "never.data")], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr, `${line}\n`);
    }
  });

  test("options are never matched by a prefix: --cmd is not --cmdline", (t) => {
    if (!canCollect(t)) return;
    for (const opt of ["--cmd", "--filter-m", "--time"]) {
      const r = spawnSync(collectorBinary, [opt, "x", "-o", join(dir, "never.data")], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `retis: unknown option '${opt}' (see retis collect --help)\n`);
    }
  });
});
