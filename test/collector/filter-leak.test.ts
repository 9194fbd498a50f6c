// "A filter lets through only what it matches" (issue G): with -f or -m, a packet the filter does not match
// never appears, not even through a tracking entry left behind by an earlier packet in the same head. The
// background traffic reuses heads as fast as it can: loopback TCP connections (TCP frees most of its skbs
// without a tracepoint), IPv6 neighbour solicitations for an absent neighbour, pings. Every event written
// must be one of the matched datagrams, decoded here from the packet bytes (not by the collector).
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { canCollect, createNetns, ip4, parse, readLines, sendUdp, startCollector, type Json, type Netns } from "./env.js";

let env: Netns | undefined;
/** The collector's last --summary-json line, for failure messages (lost events, missed hook runs). */
let summary = "";
let dir = "";
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Background traffic in both namespaces, bounded in time; returns the processes to wait for. */
function background(e: Netns): ChildProcess[] {
  const run = (ns: string, script: string) =>
    spawn("ip", ["netns", "exec", ns, "timeout", "20", "bash", "-c", script], { stdio: "ignore" });
  return [
    // loopback TCP: a server and 300 short connections
    run(e.a, `${process.execPath} -e 'require("net").createServer((s) => s.end("x".repeat(3000))).listen(7001, "127.0.0.1")' &
      sleep 0.5; for i in $(seq 300); do exec 3<>/dev/tcp/127.0.0.1/7001; cat <&3 >/dev/null; exec 3<&-; done; kill %1`),
    // neighbour solicitations for an address nobody has, and pings over the veth
    run(e.a, `ping -6 -c 40 -i 0.05 -W 1 fd00:${process.pid % 9999}::99 >/dev/null 2>&1 & ping -c 40 -i 0.05 -W 1 ${e.ipB} >/dev/null; wait`),
    run(e.b, `for i in $(seq 100); do exec 3<>/dev/tcp/127.0.0.1/22 2>/dev/null; ping -c 1 -W 1 127.0.0.1 >/dev/null; done`),
  ];
}

async function collectWhileBusy(name: string, args: string[], matched: () => void): Promise<Json[]> {
  const e = env!;
  const out = join(dir, name);
  const c = await startCollector(["-o", out, "--summary-json", ...args]);
  const bg = background(e);
  try {
    for (let i = 0; i < 10; i++) {
      matched();
      await sleep(150);
    }
    await Promise.all(bg.map((p) => new Promise((ok) => (p.exitCode !== null ? ok(0) : p.once("exit", ok)))));
  } finally {
    for (const p of bg) p.kill("SIGKILL");
    const { code, stderr } = await c.stop();
    assert.equal(code, 0, stderr);
    summary = stderr.split("\n").find((l) => l.startsWith("{")) ?? "";
  }
  return parse(readLines(out)).slice(1);
}

/** TCP or UDP ports of an IPv4 frame (Ethernet first), decoded here. */
function ports(packet: { data: string } | undefined): [number, number] | undefined {
  if (!packet) return undefined;
  const d = Buffer.from(packet.data, "base64");
  if (d.length < 38 || d.readUInt16BE(12) !== 0x0800 || (d[23] !== 6 && d[23] !== 17)) return undefined;
  const l4 = 14 + (d[14]! & 0x0f) * 4;
  return [d.readUInt16BE(l4), d.readUInt16BE(l4 + 2)];
}

describe("filters let through only what they match", { concurrency: false, timeout: 240_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "retis-leak-"));
    if (process.getuid?.() !== 0) return;
    env = createNetns("gcol");
    env.exec(env.a, ["ip", "addr", "add", `fd00:${process.pid % 9999}::1/64`, "dev", env.vethA]);
    // the meta filter's mark: set on the TCP segments A sends to port 8080
    env.exec(env.a, ["nft", "add table inet gcol; add chain inet gcol out { type filter hook output priority 0; }; " +
      "add rule inet gcol out tcp dport 8080 meta mark set 0x10"]);
  });
  after(() => {
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("-f: no event of a packet the pcap filter does not match, under background traffic", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collectWhileBusy("leak-f.data", ["-f", "udp dst port 9998"], () => sendUdp(e, e.a, e.ipB, 9998));
    const unmatched = events.filter((ev) => ip4(ev.packet)?.dport !== 9998);
    assert.deepEqual(
      unmatched.map((ev) => `${ev.kernel.symbol} ${ev.packet?.data}`),
      [],
      `${unmatched.length} of ${events.length} events do not match (${summary})`,
    );
    const sent = events.filter((ev) => ev.kernel.symbol === "net:net_dev_start_xmit");
    assert.equal(sent.length, 10, "each matched datagram is seen at xmit");
  });

  const probeSets: [string, string[]][] = [
    ["the default probes", ["-f", "tcp port 8080"]],
    ["receive only", ["-f", "tcp port 8080", "-p", "tp:net:netif_receive_skb"]],
    ["every free a probe", ["-f", "tcp port 8080", "-p", "tp:net:netif_receive_skb", "-p", "tp:net:net_dev_queue", "-p", "tp:skb:consume_skb", "-p", "tp:skb:kfree_skb"]],
    ["a meta filter (-m) on the mark", ["-m", "sk_buff.mark == 0x10"]],
  ];
  for (const [what, probes] of probeSets) {
  test(`TCP (freed without a tracepoint), ${what}: no event of another packet reusing a head`, async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const server = spawn("ip", ["netns", "exec", e.b, "timeout", "60", process.execPath, "-e",
      `require("net").createServer((s) => s.end("y".repeat(5000))).listen(8080, "${e.ipB}")`], { stdio: "ignore" });
    try {
      await sleep(500);
      const events = await collectWhileBusy("leak-tcp.data", probes, () =>
        e.exec(e.a, ["bash", "-c", `exec 3<>/dev/tcp/${e.ipB}/8080; cat <&3 >/dev/null`]),
      );
      const unmatched = events.filter((ev) => !ports(ev.packet)?.includes(8080));
      assert.deepEqual(
        unmatched.map((ev) => `${ev.kernel.symbol} ${ev.packet?.data}`),
        [],
        `${unmatched.length} of ${events.length} events do not match (${summary})`,
      );
      assert.ok(events.length >= 10 * 3, `the connections are seen (${events.length} events)`);
    } finally {
      server.kill("SIGKILL");
    }
  });
  }
});
