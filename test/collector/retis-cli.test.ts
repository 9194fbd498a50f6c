// `retis collect`, `pcap`, `stats` and profiles typed as Retis's users type them, in the spirit of Retis's
// own functional tests (tests/next): three network namespaces A — R — C (R routes, DNATs and C drops with
// nft), real ping/socat traffic started by `--cmd` once the probes are attached, and assertions on both the
// capture's JSON and the text `retis` prints. tcpdump and tshark read `retis pcap`'s output.
// Root and kernel BTF are needed (skipped loudly otherwise, a failure under CI=true).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import { canCollect, cli, collectorBinary, parse, readLines, sh, type Json } from "./env.js";

/** Unique per run: helpers and leftover runs never share a name. */
const tag = `gcli${process.pid.toString(36)}`;
const ns = { a: `${tag}-a`, r: `${tag}-r`, c: `${tag}-c` };
const dev = { a: `${tag}a`.slice(0, 15), ra: `${tag}ra`.slice(0, 15), rc: `${tag}rc`.slice(0, 15), c: `${tag}c`.slice(0, 15) };
const ip = { a: "10.231.1.1", ra: "10.231.1.2", rc: "10.231.2.1", c: "10.231.2.2" };
const inum: Record<string, number> = {};
let dir = "";
let ready = false;

function inNs(name: string, cmd: string): string {
  return `ip netns exec ${name} ${cmd}`;
}

function setUp(): void {
  for (const n of Object.values(ns)) sh("ip", ["netns", "add", n]);
  sh("ip", ["link", "add", dev.a, "netns", ns.a, "type", "veth", "peer", "name", dev.ra, "netns", ns.r]);
  sh("ip", ["link", "add", dev.rc, "netns", ns.r, "type", "veth", "peer", "name", dev.c, "netns", ns.c]);
  const addr = (n: string, d: string, a: string) => sh("ip", ["-n", n, "addr", "add", `${a}/24`, "dev", d]);
  addr(ns.a, dev.a, ip.a);
  addr(ns.r, dev.ra, ip.ra);
  addr(ns.r, dev.rc, ip.rc);
  addr(ns.c, dev.c, ip.c);
  for (const [n, d] of [[ns.a, dev.a], [ns.r, dev.ra], [ns.r, dev.rc], [ns.c, dev.c], [ns.a, "lo"], [ns.r, "lo"], [ns.c, "lo"]] as const) {
    sh("ip", ["-n", n, "link", "set", d, "up"]);
  }
  sh("ip", ["-n", ns.a, "route", "add", "default", "via", ip.ra]);
  sh("ip", ["-n", ns.c, "route", "add", "default", "via", ip.rc]);
  sh("ip", ["netns", "exec", ns.r, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
  // R: TCP to its own address, port 8080, goes to C's port 80
  sh("ip", ["netns", "exec", ns.r, "nft", `add table ip ${tag}; add chain ip ${tag} pre { type nat hook prerouting priority -100; }; add rule ip ${tag} pre ip daddr ${ip.ra} tcp dport 8080 dnat to ${ip.c}:80`]);
  // C: TCP to port 9998 is dropped
  sh("ip", ["netns", "exec", ns.c, "nft", `add table inet ${tag}; add chain inet ${tag} in { type filter hook input priority 0; }; add rule inet ${tag} in tcp dport 9998 drop`]);
  for (const n of Object.values(ns)) inum[n] = Number(sh("ip", ["netns", "exec", n, "stat", "-L", "-c", "%i", "/proc/self/ns/net"]).trim());
}

function tearDown(): void {
  for (const n of Object.values(ns)) spawnSync("ip", ["netns", "del", n], { timeout: 10_000 });
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** `retis ARGS`, bounded in time; `home` replaces $HOME (for profile lookup). */
function retis(args: string[], home?: string): Run {
  const env = home === undefined ? process.env : { ...process.env, HOME: home };
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 90_000, env, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`retis ${args.join(" ")}: ${r.error.message}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `retis collect -o FILE ARGS` to its end (--cmd or --stop-after end it); the file's events after startup. */
function collect(name: string, args: string[], home?: string, globals: string[] = []): { file: string; events: Json[]; lines: string[]; run: Run } {
  const file = join(dir, name);
  const run = retis([...globals, "collect", "-o", file, ...args], home);
  assert.equal(run.code, 0, `retis collect failed: ${run.err}`);
  const lines = readLines(file);
  const all = parse(lines);
  assert.ok(all[0].startup, "the first line is the startup event");
  return { file, events: all.slice(1), lines, run };
}

/** The first event of each packet (skb-tracking id: original head and first timestamp), in capture order. */
function firstOfEachPacket(events: Json[]): Json[] {
  const first = new Map<string, Json>();
  for (const e of events) {
    assert.ok(e["skb-tracking"], "a filtered event carries its tracking id");
    const key = `${e["skb-tracking"].orig_head}/${e["skb-tracking"].timestamp}`;
    if (!first.has(key)) first.set(key, e);
  }
  return [...first.values()];
}

/** The IPv4/TCP view of an event's packet. */
function l3(e: Json): { src: string; dst: string; proto: number; sport?: number; dport?: number; tcpFlags?: number } | undefined {
  if (!e.packet) return undefined;
  const d = Buffer.from(e.packet.data, "base64");
  if (d.readUInt16BE(12) !== 0x0800) return undefined;
  const l4 = 14 + (d[14]! & 0x0f) * 4;
  const out = { src: [...d.subarray(26, 30)].join("."), dst: [...d.subarray(30, 34)].join("."), proto: d[23]! } as ReturnType<typeof l3> & object;
  if (out.proto === 6 || out.proto === 17) {
    out.sport = d.readUInt16BE(l4);
    out.dport = d.readUInt16BE(l4 + 2);
    if (out.proto === 6) out.tcpFlags = d[l4 + 13];
  }
  return out;
}

/** True when the collector has g-collector's additions (meta filters, `skb` emitting the packet). */
function hasMetaFilters(t: TestContext): boolean {
  const help = spawnSync(collectorBinary, ["--help"], { encoding: "utf8" }).stdout;
  if (help.includes("filter-meta")) return true;
  const why = "this collector has no --filter-meta yet (it comes with the collector's meta-filter work)";
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}

const ping = (count: number, extra = "") => inNs(ns.a, `ping -c ${count} ${extra} -W 1 ${ip.ra}`);
/** A TCP connection attempt from A to C's dropped port: socat gives up after 1 s and says so. */
const dropped = (status: string) => `${inNs(ns.a, `socat -T1 - TCP:${ip.c}:9998,connect-timeout=1`)} </dev/null; echo $? > ${status}`;

describe("retis as Retis's users run it", { concurrency: false, timeout: 600_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), `retis-${tag}-`));
    if (process.getuid?.() === 0 && existsSync("/sys/kernel/btf/vmlinux") && existsSync(collectorBinary)) {
      setUp();
      ready = true;
    }
  });
  after(() => {
    if (ready) tearDown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const needs = (t: TestContext) => canCollect(t) && ready;

  test("--stop-after ends the collection after that many events of a ping", (t) => {
    if (!needs(t)) return;
    const { file, events } = collect("stop.data", ["--stop-after", "4", "-f", `icmp and host ${ip.a}`, "--cmd", ping(5, "-i 0.2")]);
    assert.equal(events.length, 4, events.map((e) => `${e.kernel.symbol} ${JSON.stringify(l3(e))}`).join("\n"));
    for (const e of events) {
      const p = l3(e)!;
      assert.equal(p.proto, 1);
      assert.ok([p.src, p.dst].includes(ip.a), JSON.stringify(p));
    }
    const printed = retis(["print", file]);
    assert.equal(printed.code, 0, printed.err);
    const [startup, ...blocks] = printed.out.trimEnd().split("\n\n");
    assert.match(startup!, /^\d+\n {2}collected with Retis v1\.7\.0\S*\n {2}on machine .*\n {2}cmdline retis collect -o \S+ --stop-after 4 /);
    assert.equal(blocks.length, 4);
    const a = ip.a.replace(/\./g, "\\.");
    const r = ip.ra.replace(/\./g, "\\.");
    for (const b of blocks) assert.match(b, new RegExp(`\\n  (${a} > ${r} .* proto ICMP \\(1\\) type 8|${r} > ${a} .* proto ICMP \\(1\\) type 0) `));
  });

  test("--cmd runs once the probes are attached and the collection ends with it", (t) => {
    if (!needs(t)) return;
    const { events, run } = collect("cmd.data", ["-f", `icmp and host ${ip.a}`, "--cmd", `${ping(3, "-i 0.2")} && echo cmd-finished`]);
    assert.match(run.out, /cmd-finished/);
    // every request and reply, at xmit and receive: none was sent before the probes were attached
    const requests = events.filter((e) => e.kernel.symbol === "net:net_dev_start_xmit" && l3(e)?.src === ip.a);
    assert.equal(requests.length, 3);
    assert.equal(events.filter((e) => e.kernel.symbol === "net:netif_receive_skb" && l3(e)?.src === ip.ra).length, 3);
  });

  test("without -o events are printed and nothing is written; --print prints beside the file", (t) => {
    if (!needs(t)) return;
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const r = spawnSync(process.execPath, [cli, "collect", "-f", `icmp and host ${ip.a}`, "--format", "single-line", "--cmd", ping(1)], { cwd, encoding: "utf8", timeout: 90_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(cwd), []);
    const lines = r.stdout.trimEnd().split("\n").filter((l) => /\[tp\]/.test(l));
    assert.ok(lines.length >= 4, r.stdout);
    assert.match(r.stdout, new RegExp(`\\[tp\\] net:net_dev_start_xmit #\\w+ \\(skb \\w+\\) ${ip.a.replace(/\./g, "\\.")} > ${ip.ra.replace(/\./g, "\\.")} .* proto ICMP \\(1\\) type 8`));
    const both = collect("print.data", ["--print", "-f", `icmp and host ${ip.a}`, "--cmd", `${ping(1)} >/dev/null`]);
    // multi-line: one block per event of the file, each opened by its timestamp line
    const blocks = both.run.out.trimEnd().split("\n\n");
    assert.equal(blocks.length, both.events.length);
    blocks.forEach((b, i) => assert.ok(b.startsWith(`${both.events[i].common.timestamp} (`), b));
  });

  test("--allow-system-changes mounts tracefs for the collection and unmounts it after", (t) => {
    if (!needs(t)) return;
    // in a mount namespace of the test's own, where tracefs is surely absent: the system's mounts stay untouched
    const script = [
      "umount /sys/kernel/tracing 2>/dev/null",
      `${process.execPath} ${cli} collect --allow-system-changes -o ${join(dir, "tracefs.data")} -f 'icmp and host ${ip.a}' --cmd 'test -e /sys/kernel/tracing/available_events && echo mounted-during; ${ping(1)} >/dev/null'`,
      "mountpoint -q /sys/kernel/tracing && echo still-mounted || echo unmounted-after",
    ].join("; ");
    const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], { encoding: "utf8", timeout: 90_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^mounted-during\nunmounted-after\n$/);
    assert.ok(parse(readLines(join(dir, "tracefs.data"))).length >= 3);
  });

  test("a drop seen by socat is in the capture and in retis stats", (t) => {
    if (!needs(t)) return;
    const status = join(dir, "socat.status");
    const { file, events } = collect("drop.data", ["-f", "tcp port 9998", "--cmd", dropped(status)]);
    assert.notEqual(readFileSync(status, "utf8").trim(), "0", "socat's connection should have failed");
    const drops = events.filter((e) => e["skb-drop"]);
    assert.ok(drops.length >= 1, "no drop event");
    for (const d of drops) {
      assert.equal(d.kernel.symbol, "skb:kfree_skb");
      assert.equal(d["skb-drop"].drop_reason, "NETFILTER_DROP");
      assert.equal(d.netns.inum, inum[ns.c]);
      assert.equal(l3(d)!.dport, 9998);
    }
    const stats = retis(["stats", file]);
    assert.equal(stats.code, 0, stats.err);
    assert.match(stats.out, new RegExp(`^Number of events: ${events.length}$`, "m"));
    assert.match(stats.out, new RegExp(`^Probes:\\n(  .*\\n)*  raw_tracepoint/skb:kfree_skb: ${events.filter((e) => e.kernel.symbol === "skb:kfree_skb").length}$`, "m"));
    assert.match(stats.out, new RegExp(`^Drop reasons:\\n  NETFILTER_DROP: ${drops.length}$`, "m"));
  });

  test("--skb-sections over a TCP exchange", (t) => {
    if (!needs(t)) return;
    const server = `${inNs(ns.c, "socat -u TCP-LISTEN:8081,reuseaddr -")} > ${join(dir, "received")} &`;
    const client = `echo hello | ${inNs(ns.a, `socat -u - TCP:${ip.c}:8081,retry=50,interval=0.1`)}; wait`;
    const { file, events } = collect("sections.data", ["--skb-sections", "meta,dataref,gso", "-f", "tcp port 8081", "--cmd", `${server} ${client}`]);
    assert.equal(readFileSync(join(dir, "received"), "utf8"), "hello\n");
    const tcp = events.filter((e) => l3(e)?.proto === 6);
    assert.ok(tcp.length >= 6, `only ${tcp.length} TCP events`);
    for (const e of tcp) {
      assert.equal(typeof e.skb.meta.len, "number");
      assert.equal(typeof e.skb.data_ref.users, "number");
    }
    // the handshake: SYN from A, SYN-ACK from C
    assert.ok(tcp.some((e) => l3(e)!.tcpFlags === 0x02 && l3(e)!.src === ip.a));
    assert.ok(tcp.some((e) => l3(e)!.tcpFlags === 0x12 && l3(e)!.src === ip.c));
    const printed = retis(["print", "--format", "single-line", file]).out;
    assert.match(printed, /proto TCP \(6\) flags \[S\]/);
    assert.match(printed, /proto TCP \(6\) flags \[S\.\]/);
  });

  test("an skb is tracked across R's DNAT rule", (t) => {
    if (!needs(t)) return;
    const server = `${inNs(ns.c, "socat -u TCP-LISTEN:80,reuseaddr -")} > /dev/null &`;
    const client = `echo hi | ${inNs(ns.a, `socat -u - TCP:${ip.ra}:8080,retry=50,interval=0.1`)}; wait`;
    const { file, events } = collect("dnat.data", ["-f", "tcp port 8080 or tcp port 80", "--cmd", `${server} ${client}`]);
    const inR = events.filter((e) => e.netns?.inum === inum[ns.r]);
    const id = (e: Json) => `${e["skb-tracking"].orig_head}/${e["skb-tracking"].timestamp}`;
    // The handshake's last ACK: not a clone (no retransmit copy), so DNAT rewrites it in place. SYNs and
    // data are clones: DNAT gives them a new head (pskb_expand_head), which only a kprobe could follow.
    const isAck = (e: Json) => l3(e)?.tcpFlags === 0x10 && e.packet.len === 66;
    const before = inR.find((e) => e.kernel.symbol === "net:netif_receive_skb" && l3(e)?.dst === ip.ra && l3(e)?.dport === 8080 && isAck(e));
    assert.ok(before, "the ACK to R:8080 was not seen entering R");
    const afterNat = inR.find((e) => e.kernel.symbol === "net:net_dev_start_xmit" && id(e) === id(before));
    assert.ok(afterNat, "the same skb was not seen leaving R");
    assert.equal(afterNat.dev.name, dev.rc);
    assert.equal(l3(afterNat)!.dst, ip.c);
    assert.equal(l3(afterNat)!.dport, 80);
    assert.equal(l3(afterNat)!.sport, l3(before)!.sport);
    // retis sort puts both in one series
    const sorted = retis(["sort", "--format", "single-line", file]);
    assert.equal(sorted.code, 0, sorted.err);
    const series = sorted.out.split("\n\n").find((s) => s.includes(`> ${ip.ra}.8080 `) && s.includes(`> ${ip.c}.80 `) && s.includes("flags [.] seq"));
    assert.ok(series, "no series holds the packet before and after DNAT");
  });

  test("--out-rotate splits by size; retis stats prints one block per split file", (t) => {
    if (!needs(t)) return;
    const base = join(dir, "rotate.data");
    const run = retis(["collect", "-o", base, "--out-rotate", "1MB", "-f", `icmp and host ${ip.a}`, "--cmd", ping(1500, "-f -s 200")]);
    assert.equal(run.code, 0, run.err);
    const files: string[] = [];
    for (let i = 0; existsSync(`${base}.${i}`); i++) files.push(`${base}.${i}`);
    assert.ok(files.length >= 2, `only ${files.length} split files`);
    let total = 0;
    const counts: number[] = [];
    files.forEach((f, i) => {
      assert.ok(statSync(f).size <= 1_000_000, `${f} is ${statSync(f).size} bytes`);
      const lines = parse(readLines(f));
      assert.equal(lines[0].startup.split_file.id, i);
      assert.deepEqual(lines[0].startup.split_file.policy, { kind: "size", limit: 1_000_000 });
      counts.push(lines.length - 1);
      total += lines.length - 1;
    });
    const stats = retis(["stats", `${base}.0..`]);
    assert.equal(stats.code, 0, stats.err);
    // as Retis: the capture's version and command line once, then a block per file
    const [head, ...blocks] = stats.out.split("\n\n");
    assert.match(head!, /^Retis version: .*\nRetis cmdline: retis collect -o .* --out-rotate 1MB .*$/);
    assert.equal(blocks.length, files.length);
    blocks.forEach((b, i) => {
      assert.match(b, new RegExp(`^Split index: ${i}\\nNumber of events: ${counts[i]}\\nFirst event at: .*\\nLast event at: .*\\nProbes:\\n`));
    });
    assert.equal(counts.reduce((a, b) => a + b, 0), total);
  });

  test("retis pcap output is read by tcpdump and tshark, packet for packet", (t) => {
    if (!needs(t)) return;
    const { file, events } = collect("pcap.data", ["-f", `icmp and host ${ip.a}`, "--cmd", ping(3, "-i 0.2")]);
    const pcap = join(dir, "ping.pcapng");
    const r = retis(["pcap", "-p", "tp:net:netif_receive_skb", "-o", pcap, file]);
    assert.equal(r.code, 0, r.err);
    const expected = events.filter((e) => e.kernel.symbol === "net:netif_receive_skb");
    assert.equal(expected.length, 6);
    // tcpdump: every frame's bytes, in order
    const dump = spawnSync("tcpdump", ["-r", pcap, "-nn", "-xx"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(dump.status, 0, dump.stderr);
    const frames = dump.stdout.split(/\n(?=\d\d:\d\d:\d\d)/).map((f) =>
      Buffer.from(
        f
          .split("\n")
          .filter((l) => /^\s+0x[0-9a-f]{4}:/.test(l))
          .map((l) => l.replace(/^\s+0x[0-9a-f]{4}:\s+/, "").replace(/\s+/g, ""))
          .join(""),
        "hex",
      ),
    );
    assert.equal(frames.length, expected.length);
    frames.forEach((f, i) => assert.ok(f.equals(Buffer.from(expected[i].packet.data, "base64")), `frame ${i}`));
    assert.match(dump.stdout, new RegExp(`IP ${ip.a.replace(/\./g, "\\.")} > ${ip.ra.replace(/\./g, "\\.")}: ICMP echo request`));
    // tshark: original length, interface, and Retis's text as the comment
    const shark = spawnSync("tshark", ["-r", pcap, "-T", "fields", "-E", "separator=|", "-e", "frame.len", "-e", "frame.interface_name", "-e", "frame.comment"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(shark.status, 0, shark.stderr);
    const rows = shark.stdout.trimEnd().split("\n");
    assert.equal(rows.length, expected.length);
    rows.forEach((row, i) => {
      const [len, iface, comment] = row.split("|");
      assert.equal(Number(len), expected[i].packet.len);
      assert.equal(iface, "raw_tracepoint/net:netif_receive_skb");
      assert.ok(comment!.startsWith(`${expected[i].common.timestamp} `), comment);
      assert.match(comment!, /\[tp\] net:netif_receive_skb/);
    });
    // -l lists the probes with packets
    const l = retis(["pcap", "-l", file]);
    const withPackets = [...new Set(events.filter((e) => e.packet).map((e) => `${e.kernel.probe_type}:${e.kernel.symbol}`))].sort();
    assert.ok(withPackets.includes("raw_tracepoint:net:net_dev_start_xmit"));
    assert.deepEqual(l.out.trimEnd().split("\n"), withPackets);
  });

  test("profiles: Retis's dropmon, a user's own, and those that need kprobes", (t) => {
    if (!needs(t)) return;
    const home = join(dir, "home");
    mkdirSync(join(home, ".config/retis/profiles"), { recursive: true });
    writeFileSync(
      join(home, ".config/retis/profiles/mine.yaml"),
      `version: 1.0\nname: ${tag}-rx\nabout: receive side only\ncollect:\n  - args:\n      probe: tp:net:netif_receive_skb\n      filter_packet: icmp and host ${ip.a}\n`,
    );
    const list = retis(["profile", "list"], home);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`mine\\.yaml:\\n  ${tag}-rx +receive side only\\n`));
    assert.match(list.out, /\n {2}dropmon {14}Drop monitor-like\n/);
    assert.match(list.out, /\n {2}generic .*\[needs kprobes: not available on this kernel\]/);

    const mine = collect("profile.data", ["--cmd", ping(2, "-i 0.2")], home, ["-p", `${tag}-rx`]);
    // the profile's probe and no default one; skb-drop (collectors left to auto) adds its own, as in Retis
    assert.equal(mine.events.filter((e) => e.kernel.symbol === "net:netif_receive_skb").length, 4);
    assert.ok(mine.events.every((e) => e.kernel.symbol === "net:netif_receive_skb" || e.kernel.symbol === "skb:kfree_skb"));

    const status = join(dir, "socat2.status");
    const drop = collect("dropmon.data", ["-f", "tcp port 9998", "--cmd", dropped(status)], home, ["--profile", "dropmon"]);
    assert.ok(drop.events.length >= 1);
    for (const e of drop.events) {
      assert.equal(e.kernel.symbol, "skb:kfree_skb");
      assert.equal(e["skb-drop"].drop_reason, "NETFILTER_DROP");
      assert.ok(Array.isArray(e.kernel.stack_trace) && e.kernel.stack_trace.length > 0, "dropmon asks for stack traces");
    }
    assert.match(retis(["print", drop.file]).out, /\n {4}nft_do_chain/);

    const generic = retis(["-p", "generic", "collect", "-o", join(dir, "never.data")], home);
    assert.equal(generic.code, 2);
    assert.match(generic.err, /^retis: invalid probe 'kprobe:arp_process': kprobes are not available on this kernel/);
    assert.equal(existsSync(join(dir, "never.data")), false);
  });

  test("explicit collectors without -p get no default probes, as Retis", (t) => {
    if (!needs(t)) return;
    const status = join(dir, "socat3.status");
    const { events } = collect("explicit.data", ["-c", "skb-drop,skb-tracking", "-f", "tcp port 9998", "--cmd", dropped(status)]);
    assert.ok(events.length >= 1);
    assert.ok(events.every((e) => e.kernel.symbol === "skb:kfree_skb"), "only skb-drop's own probe");
    const none = retis(["collect", "-c", "ct", "-o", join(dir, "none.data")]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^retis: No probe was enabled/);
  });

  test("unknown probes and filters are one line each; inspect says why it lists nothing", (t) => {
    if (!needs(t)) return;
    const cases: [string[], RegExp][] = [
      [["-p", "tp:net:bogus"], /^retis: unknown tracepoint 'net:bogus' \(not in the kernel's BTF; try 'retis inspect -p tp:\*'\)\n$/],
      [["-p", "tp:nosuch:*"], /^retis: invalid probe 'tp:nosuch:\*': no tracepoint carrying an skb matches tp:nosuch:\*\n$/],
      [["-f", "tcp port"], /^retis: invalid packet filter 'tcp port': .*syntax error\n$/],
    ];
    for (const [args, re] of cases) {
      const r = retis(["collect", "-o", join(dir, "never.data"), ...args]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
    }
    assert.equal(existsSync(join(dir, "never.data")), false);
    const none = retis(["inspect", "-p", "tp:nosuch:*"]);
    assert.equal(none.code, 1);
    assert.equal(none.err, "retis: no tracepoint carrying an skb matches 'tp:nosuch:*' (see retis inspect -p 'tp:*')\n");
    const some = retis(["inspect", "-p", "tp:skb:*"]);
    assert.equal(some.code, 0, some.err);
    assert.ok(some.out.split("\n").includes("tp:skb:kfree_skb"));
  });

  // Needs the collector's meta filters and `skb` emitting the packet (run after the collector's branch is merged):
  // skipped loudly until then, a failure under CI=true.
  test("meta filters by device name and by netns inum let only their packets through", (t) => {
    if (!needs(t) || !hasMetaFilters(t)) return;
    const byDev = collect("meta-dev.data", ["-m", `sk_buff.dev.name == '${dev.rc}'`, "-f", "icmp", "--cmd", inNs(ns.a, `ping -c 2 -i 0.2 -W 1 ${ip.c}`)]);
    assert.ok(byDev.events.length >= 2);
    // As in Retis, a packet that matched is followed for the rest of its way (skb tracking): each packet's
    // first event is where it matched, the later ones are the same packet further on.
    assert.ok(firstOfEachPacket(byDev.events).every((e) => e.dev.name === dev.rc), "a packet first seen on another device got through");
    const byNs = collect("meta-ns.data", ["-m", `sk_buff.dev.nd_net.net.ns.inum == ${inum[ns.c]}`, "-f", "icmp", "--cmd", inNs(ns.a, `ping -c 2 -i 0.2 -W 1 ${ip.c}`)]);
    assert.ok(byNs.events.length >= 2);
    assert.ok(firstOfEachPacket(byNs.events).every((e) => e.netns.inum === inum[ns.c]), "a packet first seen in another namespace got through");
    const skb = collect("skb-packet.data", ["-c", "skb,skb-tracking,ns", "-p", "tp:net:netif_receive_skb", "-f", `icmp and host ${ip.a}`, "--cmd", ping(1)]);
    // Retis's skb collector always writes the packet, and the device by default (--skb-sections dev); ns the netns
    assert.ok(skb.events.length === 2 && skb.events.every((e) => e.packet && e.dev && e.netns), "the skb collector emits packet and dev, ns the netns");
    // dropmon's pcap side: the packets of its drops, read by tcpdump
    const status = join(dir, "socat4.status");
    const drop = collect("dropmon-pcap.data", ["-f", "tcp port 9998", "--cmd", dropped(status)], undefined, ["-p", "dropmon"]);
    assert.ok(drop.events.every((e) => e.packet), "dropmon's events carry the packet");
    const pcap = retis(["-p", "dropmon", "pcap", "-o", join(dir, "drops.pcapng"), drop.file]);
    assert.equal(pcap.code, 0, pcap.err);
    const dump = spawnSync("tcpdump", ["-r", join(dir, "drops.pcapng"), "-nn"], { encoding: "utf8" });
    assert.equal(dump.status, 0, dump.stderr);
    assert.equal(dump.stdout.trimEnd().split("\n").length, drop.events.length);
    assert.match(dump.stdout, new RegExp(`IP ${ip.a.replace(/\./g, "\\.")}\\.\\d+ > ${ip.c.replace(/\./g, "\\.")}\\.9998: Flags \\[S\\]`));
  });
});
