// `retis collect` against real kernel probes: two namespaces joined by veth, real pings, real UDP
// datagrams, a real nft drop rule. Needs root and BTF (skipped loudly otherwise, failed under CI=true).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import {
  canCollect,
  cli,
  createNetns,
  ip4,
  parse,
  readLines,
  sendUdp,
  sh,
  startCollect,
  type Json,
  type Netns,
} from "./env.js";
import { schemaValidator } from "./schema.js";
import { repoRoot } from "../samples.js";

let env: Netns | undefined;
let dir = "";
/** Every file a test wrote, for the schema check at the end. */
const written: string[] = [];

function needs(t: TestContext): Netns | undefined {
  if (!canCollect(t)) return undefined;
  if (!env) throw new Error("namespaces were not set up");
  return env;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface Capture {
  out: string;
  lines: string[];
  events: Json[];
  stderr: string;
  stdout: string;
}

/**
 * `retis collect -o DIR/NAME ARGS` while `traffic` runs; then a settling pause (drops and replies are
 * asynchronous), SIGINT, and a clean exit. The file joins the schema check.
 */
async function capture(
  name: string,
  args: string[],
  traffic: () => void,
  settleMs = 200,
  signal: NodeJS.Signals = "SIGINT",
): Promise<Capture> {
  const out = join(dir, name);
  written.push(out);
  const c = await startCollect(["-o", out, ...args]);
  traffic();
  if (settleMs) await sleep(settleMs);
  const { code, stderr } = await c.stop(signal);
  assert.equal(code, 0, stderr);
  const lines = readLines(out);
  return { out, lines, events: parse(lines), stderr, stdout: c.stdout() };
}

describe("retis collect", { concurrency: false, timeout: 300_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "retis-collect-"));
    if (process.getuid?.() === 0 && existsSync("/sys/kernel/btf/vmlinux")) env = createNetns();
  });
  after(() => {
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("a ping is seen at xmit and receive with its addresses, devices and namespaces", async (t) => {
    const e = needs(t);
    if (!e) return;
    const { lines, events, stderr } = await capture("ping.data", ["--netns", e.a, "--netns", e.b], () => {
      e.exec(e.a, ["ping", "-c", "3", "-i", "0.2", "-W", "2", e.ipB]);
    }, 0);
    assert.match(stderr, / 0 events dropped by kernel/);
    assert.equal(events[0].startup.retis_version, "v1.7.0+retis-ts");
    assert.match(events[0].startup.cmdline, /^retis collect -o /);
    const requestsOut = events.filter(
      (ev: Json) => ev.kernel?.symbol === "net:net_dev_start_xmit" && ip4(ev.packet)?.icmpType === 8,
    );
    const requestsIn = events.filter(
      (ev: Json) => ev.kernel?.symbol === "net:netif_receive_skb" && ip4(ev.packet)?.icmpType === 8,
    );
    const repliesOut = events.filter(
      (ev: Json) => ev.kernel?.symbol === "net:net_dev_start_xmit" && ip4(ev.packet)?.icmpType === 0,
    );
    assert.equal(requestsOut.length, 3, "3 echo requests at xmit");
    assert.equal(requestsIn.length, 3, "3 echo requests received");
    assert.equal(repliesOut.length, 3, "3 echo replies at xmit");
    for (const ev of requestsOut) {
      assert.deepEqual(
        { ...ip4(ev.packet), icmpType: 8 },
        { ethertype: 0x0800, src: e.ipA, dst: e.ipB, proto: 1, icmpType: 8 },
      );
      assert.equal(ev.dev.name, e.vethA);
      assert.equal(ev.netns.inum, e.inumA);
      assert.ok(ev.netns.cookie > 0);
      assert.equal(ev.packet.len, 98, "64 bytes of ICMP, IPv4 and Ethernet headers");
      assert.equal(ev.common.task.comm, "ping");
    }
    for (const ev of requestsIn) {
      assert.equal(ev.dev.name, e.vethB);
      assert.equal(ev.netns.inum, e.inumB);
      assert.equal(ip4(ev.packet)?.src, e.ipA);
      // the MAC header is back in front: the length counts it as at xmit
      assert.equal(ev.packet.len, 98);
    }
    for (const ev of repliesOut) {
      assert.equal(ev.dev.name, e.vethB);
      assert.deepEqual([ip4(ev.packet)?.src, ip4(ev.packet)?.dst], [e.ipB, e.ipA]);
    }
    // each request keeps its tracking id (first-seen timestamp, orig_head) from one side to the other
    const raw = lines.filter((l) => l.includes('"symbol":"net:net_dev_start_xmit"') || l.includes('"symbol":"net:netif_receive_skb"'));
    const ids = new Map<string, string[]>();
    for (const l of raw) {
      const ev = JSON.parse(l);
      if (ip4(ev.packet)?.icmpType !== 8) continue;
      const m = /"skb-tracking":\{"orig_head":(\d+),"timestamp":(\d+)/.exec(l)!;
      const id = `${BigInt(m[2]!)}/${BigInt(m[1]!)}`;
      ids.set(id, [...(ids.get(id) ?? []), ev.kernel.symbol]);
    }
    assert.equal(ids.size, 3, "one tracking id per echo request");
    for (const symbols of ids.values()) {
      assert.deepEqual(symbols, ["net:net_dev_start_xmit", "net:netif_receive_skb"]);
    }
    // the first-seen timestamp of a request is the timestamp of its xmit event
    for (const l of raw.filter((l) => l.includes("net_dev_start_xmit"))) {
      const ev = JSON.parse(l);
      if (ip4(ev.packet)?.icmpType === 8) {
        const ts = /"skb-tracking":\{"orig_head":\d+,"timestamp":(\d+)/.exec(l)![1];
        assert.equal(ts, /"common":\{"timestamp":(\d+)/.exec(l)![1]);
      }
    }
  });

  test("a UDP datagram to a closed port is dropped with reason NO_SOCKET", async (t) => {
    const e = needs(t);
    if (!e) return;
    const { events } = await capture("udp.data", ["--netns", e.a, "--netns", e.b, "--stack"], () =>
      sendUdp(e, e.a, e.ipB, 9999),
    );
    const drops = events.filter(
      (ev: Json) => ev["skb-drop"] && ip4(ev.packet)?.proto === 17 && ip4(ev.packet)?.dport === 9999,
    );
    assert.equal(drops.length, 1, "one drop for the datagram");
    const [drop] = drops;
    assert.deepEqual(drop["skb-drop"], { drop_reason: "NO_SOCKET" });
    assert.equal(drop.kernel.symbol, "skb:kfree_skb");
    assert.equal(drop.netns.inum, e.inumB);
    assert.equal(drop.dev.name, e.vethB);
    assert.ok(drop.kernel.stack_trace.length > 2, "a stack trace");
    assert.match(drop.kernel.stack_trace[0], /^[\w.]+\+0x[0-9a-f]+$/);
    assert.ok(
      drop.kernel.stack_trace.some((f: string) => f.startsWith("__udp4_lib_rcv+")),
      `dropped in __udp4_lib_rcv: ${drop.kernel.stack_trace.join(" ")}`,
    );
  });

  test("an nft drop rule gives NETFILTER_DROP, with the connection from conntrack", async (t) => {
    const e = needs(t);
    if (!e) return;
    const table = `retis_${process.pid}`;
    e.exec(e.b, [
      "nft",
      `add table inet ${table} ; add chain inet ${table} input { type filter hook input priority 0 ; policy accept ; } ; add rule inet ${table} input ct state new udp dport 7777 drop`,
    ]);
    try {
      const { events } = await capture("nft.data", ["--netns", e.a, "--netns", e.b], () =>
        sendUdp(e, e.a, e.ipB, 7777),
      );
      const drops = events.filter((ev: Json) => ev["skb-drop"] && ip4(ev.packet)?.dport === 7777);
      assert.equal(drops.length, 1);
      const [drop] = drops;
      assert.equal(drop["skb-drop"].drop_reason, "NETFILTER_DROP");
      assert.equal(drop.netns.inum, e.inumB);
      assert.equal(drop.ct?.state, "new");
      assert.deepEqual(drop.ct.orig, {
        ip: { src: e.ipA, dst: e.ipB, version: "v4" },
        proto: { udp: { sport: drop.ct.orig.proto.udp.sport, dport: 7777 } },
      });
      assert.deepEqual(drop.ct.reply.ip, { src: e.ipB, dst: e.ipA, version: "v4" });
    } finally {
      e.exec(e.b, ["nft", "delete", "table", "inet", table]);
    }
  });

  test("conntrack: labels, and the parent of an expected connection (FTP passive data)", async (t) => {
    const e = needs(t);
    if (!e) return;
    const table = `retis_ftp_${process.pid}`;
    // the FTP helper on port 21 creates an expectation from the server's 227 reply; label bit 5 on input
    e.exec(e.b, [
      "nft",
      `add table inet ${table} ; ` +
        `add ct helper inet ${table} ftp-standard { type "ftp" protocol tcp ; } ; ` +
        `add chain inet ${table} pre { type filter hook prerouting priority 0 ; policy accept ; } ; ` +
        `add rule inet ${table} pre tcp dport 21 ct helper set "ftp-standard" ; ` +
        `add chain inet ${table} input { type filter hook input priority 0 ; policy accept ; } ; ` +
        `add rule inet ${table} input ct label set 5`,
    ]);
    const server = spawn("ip", ["netns", "exec", e.b, "timeout", "30", process.execPath, "-e", `
      const net = require("net");
      net.createServer((s) => s.end("data\\n")).listen(20020, "${e.ipB}");
      net.createServer((s) => {
        // the helper only reads lines that follow a newline it saw: a banner first, as FTP servers do
        s.write("220 retis\\r\\n");
        s.once("data", () => s.end("227 Entering Passive Mode (10,200,0,2,78,52).\\r\\n"));
      }).listen(21, "${e.ipB}");
    `], { stdio: "ignore" });
    try {
      await sleep(500);
      const { events } = await capture("ct.data", ["--netns", e.a, "--netns", e.b], () => {
        e.exec(e.a, ["bash", "-c", `exec 3<>/dev/tcp/${e.ipB}/21; read -t 2 line <&3; printf 'PASV\\r\\n' >&3; read -t 2 line <&3; ` +
          `exec 4<>/dev/tcp/${e.ipB}/20020; cat <&4 >/dev/null`]);
      });
      const data = events.filter((ev: Json) => ev.ct?.orig?.proto?.tcp?.dport === 20020);
      assert.ok(data.length > 0, "the data connection is seen with its conntrack entry");
      for (const ev of data) {
        assert.equal(ev.ct.parent?.orig.proto.tcp.dport, 21, JSON.stringify(ev.ct));
        assert.deepEqual(ev.ct.parent.orig.ip, { src: e.ipA, dst: e.ipB, version: "v4" });
        assert.ok(!("state" in ev.ct.parent));
        // IPS_EXPECTED
        assert.equal(ev.ct.ct_status & 1, 1);
      }
      const control = events.filter((ev: Json) => ev.ct?.orig?.proto?.tcp?.dport === 21);
      assert.ok(control.length > 0);
      for (const ev of control) assert.equal(ev.ct.parent, undefined);
      // label bit 5, set on input, is seen on the replies that follow
      const labelled = events.filter((ev: Json) => ev.ct?.labels);
      assert.ok(labelled.length > 0);
      for (const ev of labelled) assert.deepEqual(ev.ct.labels, { hi: 0, lo: 32 });
    } finally {
      server.kill("SIGKILL");
      e.exec(e.b, ["nft", "delete", "table", "inet", table]);
    }
  });

  test("-p adds any tracepoint with an skb, wherever the skb argument is", async (t) => {
    const e = needs(t);
    if (!e) return;
    // veth has no qdisc by default: give it one that always enqueues (pfifo bypasses the queue when it is
    // empty) so that qdisc:qdisc_enqueue, whose skb is the 3rd argument, fires
    e.exec(e.a, ["tc", "qdisc", "add", "dev", e.vethA, "root", "tbf", "rate", "100mbit", "burst", "32kb", "latency", "10ms"]);
    try {
      const { lines, events } = await capture(
        "probes.data",
        ["--netns", e.a, "--netns", e.b, "-p", "tp:qdisc:qdisc_enqueue", "-p", "tp:net:net_dev_start_xmit",
          "-p", "tp:skb:consume_skb/stack"],
        () => e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]),
      );
      const id = (l: string) => /"skb-tracking":\{"orig_head":(\d+),"timestamp":(\d+)/.exec(l)!.slice(1).join("/");
      const requests = (symbol: string) =>
        lines.filter((l) => l.includes(`"symbol":"${symbol}"`) && ip4(JSON.parse(l).packet)?.icmpType === 8);
      const enqueued = requests("qdisc:qdisc_enqueue");
      assert.equal(enqueued.length, 2);
      for (const l of enqueued) assert.equal(JSON.parse(l).dev.name, e.vethA);
      // the same packets, by tracking id, then leave through the device
      assert.deepEqual(requests("net:net_dev_start_xmit").map(id), enqueued.map(id));
      const consumed = events.filter((ev: Json) => ev.kernel?.symbol === "skb:consume_skb");
      assert.ok(consumed.length > 0);
      for (const ev of consumed) {
        assert.equal(ev["skb-drop"], undefined, "a consumed skb is no drop");
        assert.ok(ev.kernel.stack_trace.length > 0);
      }
      assert.ok(!events.some((ev: Json) => ev.kernel?.symbol === "net:netif_receive_skb"), "-p replaces the defaults");
    } finally {
      e.exec(e.a, ["tc", "qdisc", "del", "dev", e.vethA, "root"]);
    }
  });

  test("task names that are not UTF-8, or hold quotes, still make valid JSON in UTF-8", async (t) => {
    const e = needs(t);
    if (!e) return;
    // the kernel's comm is the executable's file name: a copy of ping named p"<0xff>ng (bash writes the byte)
    const odd = `$'${dir}/p"\\xffng'`;
    sh("bash", ["-c", `cp "$(command -v ping)" ${odd}`]);
    const { out, events } = await capture("comm.data", ["--netns", e.a, "--netns", e.b], () => {
      sh("bash", ["-c", `ip netns exec ${e.a} ${odd} -c 1 -W 2 ${e.ipB}`]);
    });
    const raw = readFileSync(out);
    assert.ok(raw.equals(Buffer.from(raw.toString("utf8"), "utf8")), "the file is valid UTF-8");
    assert.ok(events.some((ev: Json) => ev.common.task?.comm === 'p"\ufffdng'));
  });

  test("a pcap filter keeps only the packets it matches", async (t) => {
    const e = needs(t);
    if (!e) return;
    const captured = await capture("filter.data", ["--netns", e.a, "--netns", e.b, "-f", "udp dst port 9998"], () => {
      e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
      sendUdp(e, e.a, e.ipB, 9998);
    });
    const events = captured.events.slice(1);
    assert.ok(events.length >= 2, `the datagram is seen (${events.length} events)`);
    for (const ev of events) assert.equal(ip4(ev.packet)?.dport, 9998, JSON.stringify(ev.packet));
    assert.ok(events.some((ev: Json) => ev["skb-drop"]?.drop_reason === "NO_SOCKET"));
  });

  test("--out-rotate splits the output exactly as Retis does", async (t) => {
    const e = needs(t);
    if (!e) return;
    const out = join(dir, "rot", "retis.data");
    sh("mkdir", ["-p", join(dir, "rot")]);
    const c = await startCollect(["-o", out, "--netns", e.a, "--netns", e.b, "--stack", "--out-rotate", "1MB"]);
    e.exec(e.a, ["ping", "-f", "-c", "600", "-W", "2", e.ipB], 60_000);
    const { code, stderr } = await c.stop();
    assert.equal(code, 0, stderr);
    const total = Number(/(\d+) events written/.exec(stderr)![1]);
    const files = readdirSync(join(dir, "rot")).sort((x, y) => Number(x.split(".").pop()) - Number(y.split(".").pop()));
    assert.ok(!files.includes("retis.data"), "the last file is renamed too");
    assert.ok(files.length >= 2, `split into several files: ${files.join(" ")}`);
    let events = 0;
    files.forEach((f, i) => {
      assert.equal(f, `retis.data.${i}`);
      const path = join(dir, "rot", f);
      written.push(path);
      assert.ok(statSync(path).size <= 1_000_000, `${f} within the limit`);
      const lines = readLines(path);
      const startup = JSON.parse(lines[0]!).startup;
      assert.deepEqual(startup.split_file, { id: i, policy: { kind: "size", limit: 1_000_000 } });
      assert.ok(lines.slice(1).every((l) => !l.includes('"startup"')));
      events += lines.length - 1;
    });
    assert.equal(events, total, "every event is in exactly one file");
    // a file is only cut when the next line would not fit
    for (const f of files.slice(0, -1)) {
      assert.ok(statSync(join(dir, "rot", f)).size > 1_000_000 - 8_000, `${f} was filled before the cut`);
    }
  });

  test("--out-rotate-count keeps the last files, renamed from .0 as Retis does", async (t) => {
    const e = needs(t);
    if (!e) return;
    const rot = join(dir, "rotcount");
    sh("mkdir", ["-p", rot]);
    const out = join(rot, "retis.data");
    const c = await startCollect(["-o", out, "--netns", e.a, "--netns", e.b, "--stack", "--out-rotate", "1MB", "-R", "2"]);
    e.exec(e.a, ["ping", "-f", "-c", "800", "-W", "2", e.ipB], 60_000);
    const { code, stderr } = await c.stop();
    assert.equal(code, 0, stderr);
    assert.deepEqual(readdirSync(rot).sort(), ["retis.data.0", "retis.data.1"]);
    const ids = ["retis.data.0", "retis.data.1"].map((f) => {
      written.push(join(rot, f));
      return JSON.parse(readLines(join(rot, f))[0]!).startup.split_file.id as number;
    });
    assert.ok(ids[0]! >= 1, `older files were removed (first kept id ${ids[0]})`);
    assert.equal(ids[1], ids[0]! + 1);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} drains the ring buffer and flushes every event`, async (t) => {
      const e = needs(t);
      if (!e) return;
      // stop at once (no settling pause): whatever is still in the ring buffer must reach the file
      const { lines, stderr } = await capture(`${signal}.data`, ["--netns", e.a, "--netns", e.b], () => {
        e.exec(e.a, ["ping", "-f", "-c", "300", "-W", "2", e.ipB], 60_000);
      }, 0, signal);
      const total = Number(/(\d+) events written/.exec(stderr)![1]);
      assert.equal(lines.length - 1, total);
      const requests = parse(lines).filter(
        (ev: Json) => ev.kernel?.symbol === "net:net_dev_start_xmit" && ip4(ev.packet)?.icmpType === 8,
      );
      assert.equal(requests.length, 300);
      assert.match(stderr, / 0 events dropped by kernel/);
    });
  }

  test("a collector whose retis process dies still closes its file", async (t) => {
    const e = needs(t);
    if (!e) return;
    const out = join(dir, "orphan.data");
    written.push(out);
    const c = await startCollect(["-o", out, "--netns", e.a, "--netns", e.b]);
    e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
    c.child.kill("SIGKILL");
    // not "close": an orphaned collector would keep the output pipes open
    await c.ended();
    // the collector gets SIGTERM from the kernel (PR_SET_PDEATHSIG), drains and renames nothing
    const running = () => spawnSync("pgrep", ["-f", `retis-collector -o ${out}`], { encoding: "utf8" }).stdout.trim();
    const deadline = Date.now() + 10_000;
    while (running() && Date.now() < deadline) await sleep(100);
    const left = running();
    if (left) spawnSync("kill", ["-KILL", ...left.split("\n")]);
    assert.equal(left, "", "the collector outlived retis");
    const lines = readLines(out);
    assert.ok(lines.length >= 1 + 6, `${lines.length} lines`);
  });

  test("--stop-after and --timeout end the collection by themselves", async (t) => {
    const e = needs(t);
    if (!e) return;
    const out = join(dir, "stop.data");
    written.push(out);
    const c = await startCollect(["-o", out, "--netns", e.a, "--netns", e.b, "--stop-after", "4", "--timeout", "30"]);
    e.exec(e.a, ["ping", "-c", "3", "-i", "0.2", "-W", "2", e.ipB]);
    const { code, stderr } = await c.exited();
    assert.equal(code, 0, stderr);
    assert.equal(readLines(out).length, 5, "startup and 4 events");

    const out2 = join(dir, "timeout.data");
    const started = Date.now();
    const c2 = await startCollect(["-o", out2, "--netns", e.a, "--timeout", "1"]);
    const r2 = await c2.exited();
    assert.equal(r2.code, 0, r2.stderr);
    assert.ok(Date.now() - started < 15_000);
    assert.ok(existsSync(out2));
  });

  test("raw tracepoints (the fallback for kernels without tp_btf) give the same events", async (t) => {
    const e = needs(t);
    if (!e) return;
    // both families at once on the same hits: tp_btf reads the skb directly, raw_tp through probe reads
    const btfOut = join(dir, "btf.data");
    const btf = await startCollect(["-o", btfOut, "--netns", e.a, "--netns", e.b, "--skb-sections", "all"]);
    let raw: Capture;
    try {
      raw = await capture("raw.data", ["--netns", e.a, "--netns", e.b, "--raw-tp", "--skb-sections", "all"], () => {
        e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
        sendUdp(e, e.a, e.ipB, 9999);
      });
    } finally {
      const r = await btf.stop();
      assert.equal(r.code, 0, r.stderr);
    }
    assert.match(raw.stderr, /\(raw_tp\)/);
    const events = raw.events;
    const at = (symbol: string, dev: string, icmpType: number) =>
      events.filter((ev: Json) => ev.kernel?.symbol === symbol && ev.dev?.name === dev && ip4(ev.packet)?.icmpType === icmpType);
    assert.equal(at("net:net_dev_start_xmit", e.vethA, 8).length, 2);
    assert.equal(at("net:netif_receive_skb", e.vethB, 8).length, 2);
    assert.equal(at("net:net_dev_start_xmit", e.vethB, 0).length, 2);
    for (const ev of at("net:netif_receive_skb", e.vethB, 8)) {
      assert.equal(ev.netns.inum, e.inumB);
      assert.equal(ev.packet.len, 98);
      assert.deepEqual(Object.keys(ev.skb), ["meta", "data_ref", "gso"]);
    }
    const drop = events.find((ev: Json) => ip4(ev.packet)?.dport === 9999 && ev["skb-drop"]);
    assert.equal(drop?.["skb-drop"].drop_reason, "NO_SOCKET");

    // everything but the clocks agrees, section by section
    const comparable = (line: string) => {
      const ev = JSON.parse(line);
      const skb = /"skb-tracking":\{[^}]*"skb":(\d+)/.exec(line)?.[1];
      delete ev.common.timestamp;
      delete ev["skb-tracking"];
      return JSON.stringify({ skb, ...ev });
    };
    // the raw_tp collector started later and stopped earlier: each of its events has a tp_btf twin
    const twins = new Map<string, number>();
    for (const l of readLines(btfOut).slice(1)) twins.set(comparable(l), (twins.get(comparable(l)) ?? 0) + 1);
    for (const l of raw.lines.slice(1)) {
      const key = comparable(l);
      const n = twins.get(key) ?? 0;
      assert.ok(n > 0, `no tp_btf twin for ${key.slice(0, 400)}`);
      twins.set(key, n - 1);
    }
  });

  test("--ifindex keeps the packets seen on that interface, and follows them", async (t) => {
    const e = needs(t);
    if (!e) return;
    const link = e.exec(e.b, ["ip", "-o", "link", "show", e.vethB]);
    const ifindex = Number(/^(\d+):/.exec(link)![1]);
    // ifindexes repeat across namespaces: pair it with the namespace
    const captured = await capture("ifindex.data", ["--netns", e.b, "--ifindex", String(ifindex)], () => {
      e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
    });
    const lines = captured.lines.slice(1);
    const idOf = (l: string) => /"skb-tracking":\{"orig_head":(\d+),"timestamp":(\d+)/.exec(l)!.slice(1).join("/");
    const matched = new Set(
      lines.filter((l) => {
        const ev = JSON.parse(l);
        return ev.netns?.inum === e.inumB && ev.dev?.ifindex === ifindex;
      }).map(idOf),
    );
    assert.ok(matched.size >= 4, "echo requests and replies seen on the interface");
    for (const l of lines) assert.ok(matched.has(idOf(l)), `not a packet of ${e.vethB}: ${l.slice(0, 300)}`);
    // the replies are followed into namespace A, where they are received
    assert.ok(lines.some((l) => JSON.parse(l).netns?.inum === e.inumA));
  });

  test("--print renders each event as Retis text as it arrives", async (t) => {
    const e = needs(t);
    if (!e) return;
    const { lines, stdout: text } = await capture("print.data", ["--netns", e.a, "--netns", e.b, "--print"], () => {
      e.exec(e.a, ["ping", "-c", "1", "-W", "2", e.ipB]);
    });
    assert.match(text, /^\d+ \(\d+\) \[ping\] \d+ \[tp\] net:net_dev_start_xmit #[0-9a-f]+ \(skb [0-9a-f]+\)$/m);
    assert.match(text, new RegExp(`^  ${e.ipA.replace(/\./g, "\\.")} > ${e.ipB.replace(/\./g, "\\.")} .* proto ICMP \\(1\\) type 8 code 0$`, "m"));
    assert.match(text, new RegExp(`^  ns 0x[0-9a-f]+/${e.inumA} if \\d+ \\(${e.vethA}\\)$`, "m"));
    // as many events printed as written
    const printed = text.split("\n").filter((l) => /^\d+ /.test(l)).length;
    assert.equal(printed, lines.length - 1);
  });

  // As Retis, explicit collectors bring no default probes: name them.
  const DEFAULT_PROBES = ["-p", "tp:net:netif_receive_skb", "-p", "tp:net:net_dev_start_xmit"];

  test("-c and --skb-sections choose the sections written", async (t) => {
    const e = needs(t);
    if (!e) return;
    const captured = await capture("sections.data", ["--netns", e.a, "--netns", e.b, "-c", "skb-tracking,skb", ...DEFAULT_PROBES], () => {
      e.exec(e.a, ["ping", "-c", "1", "-W", "2", e.ipB]);
      sendUdp(e, e.a, e.ipB, 9999);
    });
    const events = captured.events.slice(1);
    assert.ok(events.length >= 4);
    // Retis's skb collector writes the packet and, by default (--skb-sections dev), the device
    for (const ev of events) assert.deepEqual(Object.keys(ev), ["common", "kernel", "skb-tracking", "packet", "dev"]);
    // without skb-drop, kfree_skb is no probe
    assert.ok(events.every((ev: Json) => ev.kernel.symbol !== "skb:kfree_skb"));

    const captured2 = await capture("skb-sections.data", ["--netns", e.a, "-c", "skb,dev", "--skb-sections", "all", ...DEFAULT_PROBES], () => {
      e.exec(e.a, ["ping", "-c", "1", "-W", "2", e.ipB]);
    });
    const events2 = captured2.events.slice(1);
    assert.ok(events2.length >= 2);
    for (const ev of events2) {
      // Retis's skb collector writes the packet too, and "all" includes its dev and ns sections
      assert.deepEqual(Object.keys(ev), ["common", "kernel", "packet", "skb", "netns", "dev"]);
      assert.deepEqual(Object.keys(ev.skb), ["meta", "data_ref", "gso"]);
    }
  });

  test("every line validates against Retis's JSON Schema", (t) => {
    if (!needs(t)) return;
    const validate = schemaValidator();
    assert.ok(written.length >= 5);
    let n = 0;
    for (const file of written) {
      if (!existsSync(file)) continue;
      readLines(file).forEach((line, i) => {
        const ok = validate(JSON.parse(line));
        assert.ok(ok, `${file}:${i + 1}: ${JSON.stringify(validate.errors)}\n${line.slice(0, 300)}`);
        n++;
      });
    }
    assert.ok(n > 1000, `${n} lines checked`);
  });

  test("clear one-line errors: unknown tracepoint, bad filter, kprobe, not root", (t) => {
    if (!canCollect(t)) return;
    const run = (args: string[], prefix: string[] = []) =>
      spawnSync(prefix[0] ?? process.execPath, [...prefix.slice(1), ...(prefix.length ? [process.execPath] : []), cli, "collect", ...args], {
        encoding: "utf8",
        timeout: 20_000,
        cwd: dir,
      });
    const cases: [string[], RegExp][] = [
      [["-p", "tp:net:no_such_tracepoint"], /^retis: unknown tracepoint 'net:no_such_tracepoint'/],
      [["-p", "tp:skb:netif_receive_skb"], /^retis: unknown tracepoint 'skb:netif_receive_skb' \(did you mean 'net:netif_receive_skb'\?\)/],
      [["-p", "tp:sched:sched_switch"], /^retis: tracepoint 'sched:sched_switch' has no struct sk_buff argument/],
      [["-f", "udp and port"], /^retis: invalid packet filter 'udp and port': /],
      [["-p", "kprobe:ip_rcv"], /^retis: invalid probe 'kprobe:ip_rcv': kprobes are not available/],
      [["--out-rotate", "12KB"], /^retis: invalid --out-rotate '12KB'/],
      [["-c", "ovs"], /^retis: collector 'ovs' is not available: .*kprobes/],
      [["-c", "bogus"], /^retis: invalid --collectors 'bogus': expected one of auto, skb-tracking, skb, skb-drop, ovs, nft, ct, dev or ns/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    const nobody = run([], ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);
    assert.equal(nobody.status, 1, nobody.stderr);
    assert.match(nobody.stderr, /^retis: collecting needs root/);
    assert.equal(nobody.stderr.trim().split("\n").length, 1);
  });

  test("retis inspect lists the tracepoints carrying an skb", (t) => {
    if (!canCollect(t)) return;
    const r = spawnSync(process.execPath, [cli, "inspect", "-p", "tp:*"], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const list = r.stdout.trim().split("\n");
    for (const tp of ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit", "tp:skb:kfree_skb"]) {
      assert.ok(list.includes(tp), tp);
    }
    assert.ok(!list.includes("tp:sched:sched_switch"));
    const net = spawnSync(process.execPath, [cli, "inspect", "-p", "tp:skb:*"], { encoding: "utf8" });
    assert.ok(net.stdout.trim().split("\n").every((l) => l.startsWith("tp:skb:")));
  });
});

// keep the sample capture readable with the same checks (it is what install.sh prints)
test("the bundled sample capture validates too", () => {
  const path = join(repoRoot, "samples/retis.data");
  if (!existsSync(path)) assert.fail(`${path} is missing`);
  const validate = schemaValidator();
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  for (const [i, line] of lines.entries()) {
    assert.ok(validate(JSON.parse(line)), `samples/retis.data:${i + 1}: ${JSON.stringify(validate.errors)}`);
  }
  assert.ok(statSync(path).size < 200_000);
});
