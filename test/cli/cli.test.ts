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
  assert.equal(unknown.err, "retis: unknown option '--bogus' (see retis print --help)\n");
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

// Issue G: one parser for every subcommand; bad usage is one line and exit status 2 everywhere.
test("every subcommand refuses an unknown option with one line and status 2", () => {
  for (const cmd of ["collect", "inspect", "print", "sort", "stats", "pcap", "profile", "ts", "kernel", "lsp"]) {
    const r = retis([cmd, "--bogus"]);
    assert.equal(r.code, 2, `${cmd}: ${r.err}`);
    assert.match(r.err, /^retis: unknown option '--bogus' \(.*\)\n$/, cmd);
  }
  const extra = retis(["print", "a", "b"]);
  assert.equal(extra.code, 2);
  assert.equal(extra.err, "retis: unexpected argument 'b' found (see retis print --help)\n");
  assert.equal(retis(["stats", "a", "b"]).code, 2);
  assert.equal(retis(["sort", "a", "b"]).code, 2);
});

test("no option is matched by a prefix it was not given", () => {
  for (const [args, bad] of [[["collect", "--cmdl", "x"], "--cmdl"], [["collect", "--filter", "icmp"], "--filter"], [["print", "--form", "single-line"], "--form"], [["sort", "--max", "3"], "--max"]] as const) {
    const r = retis([...args]);
    assert.equal(r.code, 2);
    assert.equal(r.err.split("\n")[0], `retis: unknown option '${bad}' (see retis ${args[0]} --help)`);
  }
});

test("retis collect refuses bad values with one line each, before anything runs", () => {
  const cases: [string[], string][] = [
    [["--timeout", "nan"], "retis: invalid --timeout 'nan': expected a positive number of seconds"],
    [["--stop-after", "-1"], "retis: invalid --stop-after '-1': expected a positive number of events"],
    [["-c", ""], "retis: invalid --collectors '': expected one of auto, skb-tracking, skb, skb-drop, ovs, nft, ct, dev or ns"],
    [["-c", "packet"], "retis: invalid --collectors 'packet': expected one of auto, skb-tracking, skb, skb-drop, ovs, nft, ct, dev or ns"],
    [["-c", "nft"], "retis: collector 'nft' is not available: the nft collector needs a kprobe on __nft_trace_packet, and kprobes are not available on this kernel"],
    [["-c", "skb,ovs"], "retis: collector 'ovs' is not available: the ovs collector needs Open vSwitch's kernel datapath and kprobes (ovs_dp_upcall, ovs_execute_actions), which this kernel does not have"],
    [["-o", "x", "--out-rotate", "18446744073710MB"], "retis: invalid --out-rotate '18446744073710MB': 18446744073710MB does not fit in 64 bits of bytes"],
    [["-o", "x", "--out-rotate", "64KB"], "retis: invalid --out-rotate '64KB': expected a size with a unit, e.g. 64MB or 1GB"],
    [["--out-rotate", "64MB"], "retis: the argument '--out-rotate <LIMIT>' requires '--out [<OUT>]'"],
    [["-p", "consume_skb"], "retis: invalid probe 'consume_skb': kprobes are not available on this kernel (only tracepoints, tp:GROUP:NAME)"],
    [["-p", "tp:skb:kfree_skb/bogus"], "retis: invalid probe 'tp:skb:kfree_skb/bogus': unknown option 'bogus' (expected stack)"],
    [["-m", "sk_buff.mark = 1"], "retis: invalid meta filter 'sk_buff.mark = 1': expected 'and', 'or', an operator (== != < <= > >=) or the end at column 14 ('= 1')"],
    [["-f", ""], "retis: invalid --filter-packet '': expected a pcap-filter(7) expression"],
    [["--probe-stack"], "retis: --probe-stack adds kprobes at run time on the functions seen in stack traces: kprobes are not available on this kernel"],
    [["-c", "skb"], "retis: No probe was enabled: with --collectors and no --probe, Retis adds no default probes (add -p tp:GROUP:NAME)"],
    [["--format", "wide"], "retis: invalid --format 'wide': expected multi-line or single-line"],
    [["--kconf", "/nonexistent/config"], "retis: could not read the kernel configuration --kconf '/nonexistent/config': ENOENT"],
  ];
  for (const [args, line] of cases) {
    const r = retis(["collect", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.equal(r.err, `${line}\n`, args.join(" "));
  }
});

test("retis inspect -p bogus says why it finds nothing", () => {
  const r = retis(["inspect", "-p", "bogus"]);
  assert.equal(r.code, 1);
  assert.equal(r.err, "retis: no kprobe can be listed: kprobes are not available on this kernel ('bogus' has no TYPE and no single ':', so Retis reads it as a kprobe); tracepoints are listed with -p 'tp:GROUP:NAME' (wildcards allowed)\n");
});

test("profiles: listed with what they need; an unknown one is one line", () => {
  const home = mkdtempSync(join(tmpdir(), "retis-home-"));
  const list = spawnSync(process.execPath, [CLI, "profile", "list"], { encoding: "utf8", env: { ...process.env, HOME: home } });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /profiles\/drop\.yaml:\n {2}dropmon {14}Drop monitor-like\n {2}nft-dropmon .*\[needs kprobes and the nft collector: not available on this kernel\]\n/);
  const none = retis(["-p", "nosuch", "collect"]);
  assert.equal(none.code, 2);
  assert.match(none.err, /^retis: Profile with name nosuch not found \(looked in .*\)\n$/);
  const print = retis(["-p", "dropmon", "print"]);
  assert.equal(print.code, 2);
  assert.equal(print.err, "retis: Subcommand print does not support profile enhancement\n");
});

test("retis stats prints one block per split file, as Retis", () => {
  const dir = mkdtempSync(join(tmpdir(), "retis-split-"));
  const startup = (id: number) =>
    `{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect -o retis.data --out-rotate 1MB","clock_monotonic_offset":{"sec":1700000000,"nsec":0},"machine":{"kernel_release":"r","kernel_version":"v","hardware_name":"h"},"split_file":{"id":${id},"policy":{"kind":"size","limit":1000000}}}}`;
  const ev = (ts: number, sym: string) => `{"common":{"timestamp":${ts}},"kernel":{"symbol":"${sym}","probe_type":"raw_tracepoint"}}`;
  writeFileSync(join(dir, "retis.data.0"), [startup(0), ev(1_000_000_000, "net:netif_receive_skb"), ev(2_000_000_000, "net:netif_receive_skb"), ev(3_000_000_000, "skb:kfree_skb")].join("\n") + "\n");
  writeFileSync(join(dir, "retis.data.1"), [startup(1), ev(4_000_000_000, "skb:kfree_skb"), ev(5_500_000_000, "net:net_dev_start_xmit")].join("\n") + "\n");
  const r = retis(["stats"], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      "Retis version: v1.7.0",
      "Retis cmdline: retis collect -o retis.data --out-rotate 1MB",
      "",
      "Split index: 0",
      "Number of events: 3",
      "First event at: 2023-11-14 22:13:21.000000",
      "Last event at: 2023-11-14 22:13:23.000000",
      "Probes:",
      "  raw_tracepoint/net:netif_receive_skb: 2",
      "  raw_tracepoint/skb:kfree_skb: 1",
      "",
      "Split index: 1",
      "Number of events: 2",
      "First event at: 2023-11-14 22:13:24.000000",
      "Last event at: 2023-11-14 22:13:25.500000",
      "Probes:",
      "  raw_tracepoint/net:net_dev_start_xmit: 1",
      "  raw_tracepoint/skb:kfree_skb: 1",
      "",
    ].join("\n"),
  );
});

test("retis pcap writes what tcpdump and tshark read: Retis's sample, one probe", (t) => {
  if (!haveSamples(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "retis-pcap-"));
  const out = join(dir, "upcall.pcapng");
  const r = retis(["pcap", "-p", "kretprobe:ovs_dp_upcall", "-o", out, sample("retis/test_data/test_events_packets.json")]);
  assert.equal(r.code, 0, r.err);
  const dump = spawnSync("tcpdump", ["-r", out, "-nn", "-tt"], { encoding: "utf8" });
  assert.equal(dump.status, 0, dump.stderr);
  // the first upcall of Retis's own pcap test, at the wall-clock time Retis computes (1742339565860167909 ns)
  assert.match(dump.stdout, /^1742339565\.860167 IP 192\.168\.125\.10 > 192\.168\.125\.11: ICMP echo request, id 29004, seq 1, length 64\n/);
  const shark = spawnSync("tshark", ["-r", out, "-T", "fields", "-E", "separator=|", "-e", "frame.len", "-e", "frame.interface_name"], { encoding: "utf8" });
  assert.equal(shark.status, 0, shark.stderr);
  assert.deepEqual(shark.stdout.trimEnd().split("\n"), ["98|kretprobe/ovs_dp_upcall", "98|kretprobe/ovs_dp_upcall"]);
  const missing = retis(["pcap", "-p", "tp:net:nope", sample("retis/test_data/test_events_packets.json")]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^retis: Probe not found in the events: tp:net:nope \(see retis pcap -l\)\n$/);
});

test("retis sort --changes prints a `changed` line under each hop that changed; retis print --changes on the sorted file too", (t) => {
  if (!haveSamples(t)) return;
  const input = sample("retis/test_data/test_events_packets.json");
  const plain = retis(["sort", input]);
  const r = retis(["sort", "--changes", input]);
  assert.equal(r.code, 0, r.err);
  const changed = r.out.split("\n").filter((l) => l.startsWith("      changed "));
  // Retis's sample crosses namespaces: the first hop of a ping leaves the client's namespace for OVS's.
  assert.ok(changed.includes("      changed if 11 (veth-ns01) → 10 (veth-ns01-ovs), ns 4026532741 → 4026531840, ct_state NEW → none"), changed.join("\n"));
  // Without those lines, exactly what `retis sort` prints.
  assert.equal(r.out.split("\n").filter((l) => !l.startsWith("      changed ")).join("\n"), plain.out);
  // A sorted file (written from a current-format capture: this collector's) prints the same changes.
  const dir = mkdtempSync(join(tmpdir(), "retis-changes-"));
  writeFileSync(join(dir, "retis.data"), readFileSync(join(repoRoot, "samples/rich.data")));
  const sorted = retis(["sort", "--changes", "-o", "sorted.data", "--print"], dir);
  assert.equal(sorted.code, 0, sorted.err);
  const printed = retis(["print", "--changes", "sorted.data"], dir);
  assert.equal(printed.code, 0, printed.err);
  assert.equal(printed.out, sorted.out);
  assert.ok(printed.out.includes("      changed daddr 10.213.77.100 → 10.213.77.2, dport 80 → 8080"), "the DNAT of samples/rich.data");
  // Changes are text: asking for them where nothing is printed, or on unsorted events, is a usage error.
  const quiet = retis(["sort", "--changes", "-o", "again.data"], dir);
  assert.equal(quiet.code, 2);
  assert.match(quiet.err, /^retis: --changes shows what changed in printed series: add --print/);
  const unsorted = retis(["print", "--changes", "retis.data"], dir);
  assert.equal(unsorted.code, 2);
  assert.match(unsorted.err, /^retis: --changes needs a sorted file .*retis\.data is not sorted/);
});
