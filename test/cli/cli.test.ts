// The `retis` command as a user runs it: real processes, Retis's own files and renderings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveSamples, repoRoot, sample } from "../samples.js";

const CLI = join(repoRoot, "dist/cli/main.js");

function retis(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("retis print renders every event as Retis did, separated by blank lines", (t) => {
  if (!haveSamples(t)) return;
  const renderings = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8")) as { rendered_multiline: string }[];
  const r = retis(["print", sample("retis/test_data/test_events_packets.json")]);
  assert.equal(r.code, 0, r.err);
  const blocks = r.out.split("\n\n");
  assert.equal(blocks.length, 28); // startup + 26 + the empty tail
  assert.deepEqual(blocks.slice(1, 27), renderings.map((x) => x.rendered_multiline));
  assert.equal(blocks[27], "");
});

test("retis print --format single-line gives one line per event", (t) => {
  if (!haveSamples(t)) return;
  const r = retis(["print", "--format", "single-line", sample("retis/test_data/test_events_packets.json")]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trimEnd().split("\n").length, 27);
});

test("retis print of a sorted file shows series with ↳", (t) => {
  if (!haveSamples(t)) return;
  const r = retis(["print", sample("retis-events/test_data/test_events_sorted.json")]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\n  ↳ 23868955276361 \(3\) \[napi\/phy0-8197\] 1360 \[kr\] ovs_dp_upcall #15b56c998008ffff8c0aa653ba00 \(skb ffff8c03aa978a00\) n 1\n      upcall_ret \(1\/23868955262984\) ret 0\n/);
});

test("retis sort -o writes a sorted file from a current-format capture; retis reads it back", () => {
  const dir = mkdtempSync(join(tmpdir(), "retis-cli-"));
  const startup =
    '{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"c","clock_monotonic_offset":{"sec":0,"nsec":0},"machine":{"kernel_release":"r","kernel_version":"v","hardware_name":"h"}}}';
  const ev = (ts: number, head: number, sym: string) =>
    `{"common":{"timestamp":${ts}},"kernel":{"symbol":"${sym}","probe_type":"raw_tracepoint"},"skb-tracking":{"orig_head":${head},"timestamp":${ts < 20 ? 10 : 20},"skb":18446619372874141952}}`;
  const lines = [startup, ev(10, 1, "a"), ev(20, 2, "b"), ev(11, 1, "c"), ev(21, 2, "d")];
  writeFileSync(join(dir, "retis.data"), lines.map((l) => `${l}\n`).join(""));
  const r = retis(["sort", "-o", "sorted.data"], dir);
  assert.equal(r.code, 0, r.err);
  const out = readFileSync(join(dir, "sorted.data"), "utf8").trimEnd().split("\n");
  assert.equal(out.length, 3);
  assert.equal(out[0], `[${startup}]`);
  assert.match(out[1]!, /^\[\{"common":\{"timestamp":10\},"kernel":\{[^}]*\},"tracking":\{"skb":\{"orig_head":1,"timestamp":10,"skb":18446619372874141952\},"idx":0\},"skb-tracking":/);
  const again = retis(["print", "sorted.data"], dir);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /\n  ↳ 11 \[tp\] c #a0000000000000001 \(skb ffff8e95d3009100\) n 1\n/);
  assert.match(retis(["sort", "sorted.data"], dir).err, /File already sorted/);
  const self = retis(["sort", "-o", "retis.data"], dir);
  assert.notEqual(self.code, 0);
  assert.match(self.err, /refusing to write the sorted output over its input/);
});

test("retis sort -o refuses an old-format capture, as Retis does", (t) => {
  if (!haveSamples(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "retis-cli-"));
  const r = retis(["sort", "-o", join(dir, "x"), sample("retis-events/test_data/test_events.json")]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^retis: .*written by Retis v1\.6\.0: a sorted file can only be written from a current-format/);
});

test("retis stats summarizes a capture", (t) => {
  if (!haveSamples(t)) return;
  const r = retis(["stats", sample("retis/test_data/test_events_packets.json")]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Retis version: v1\.6\.0\nRetis cmdline: unknown\nNumber of events: 26\nFirst event at: 2025-03-18 23:12:45\.860103\n/);
  assert.match(r.out, /Probes:\n {2}raw_tracepoint\/net:net_dev_start_xmit: 8\n/);
  assert.match(r.out, /Drop reasons:\n {2}NO_SOCKET: 2/);
});

test("bad input and bad arguments: one line naming file and line, non-zero exit, no stack trace", (t) => {
  if (!haveSamples(t)) return;
  const bad = retis(["print", sample("retis/test_data/test_events_packets_invalid_ct.json")]);
  assert.equal(bad.code, 1);
  assert.equal(bad.err, `retis: ${sample("retis/test_data/test_events_packets_invalid_ct.json")}:8: section 'ct': field 'ct_status' is missing, expected an unsigned 64-bit integer\n`);
  const args = retis(["print", "--format", "wide", sample("retis/test_data/test_events_packets.json")]);
  assert.equal(args.code, 2);
  assert.equal(args.err, "retis: invalid --format 'wide': expected multi-line or single-line\n");
  const unknown = retis(["print", "--bogus"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /^retis: Unknown option '--bogus'/);
  const none = retis(["print"], mkdtempSync(join(tmpdir(), "retis-empty-")));
  assert.equal(none.code, 1);
  assert.match(none.err, /No input: neither retis\.data nor retis\.data\.0 exists here/);
  for (const r of [bad, args, unknown, none]) assert.doesNotMatch(r.err, /\n\s+at /);
});

test("retis print | head ends quietly", (t) => {
  if (!haveSamples(t)) return;
  const r = spawnSync("bash", ["-o", "pipefail", "-c", `node ${CLI} print ${sample("retis/test_data/test_events_packets.json")} | head -n 2`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout.split("\n").length, 3);
});
