// -m, --filter-meta (Retis's meta filters) against real traffic: by device name, by netns inode, by mark
// (set by an nft rule), combined with -f, and bad expressions refused in one line. The collector is run
// directly, as `retis collect` runs it. What the filter should keep is decided here from the events'
// own fields and packet bytes: every event belongs to a packet (tracking id) seen once where it matches.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { canCollect, collectorBinary, createNetns, ip4, readLines, sendUdp, startCollector, type Json, type Netns } from "./env.js";

let env: Netns | undefined;
let dir = "";
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface Ev {
  json: Json;
  /** orig_head and timestamp, exact (u64 in decimal) */
  id: string;
}

async function collect(name: string, args: string[], traffic: () => void): Promise<Ev[]> {
  const out = join(dir, name);
  const c = await startCollector(["-o", out, "-c", "skb-tracking,skb,skb-drop,dev,ns", ...args]);
  try {
    traffic();
    await sleep(300);
  } finally {
    const { code, stderr } = await c.stop();
    assert.equal(code, 0, stderr);
  }
  return readLines(out)
    .slice(1)
    .map((line) => {
      const m = /"skb-tracking":\{"orig_head":(\d+),"timestamp":(\d+)/.exec(line);
      assert.ok(m, `no tracking in ${line.slice(0, 200)}`);
      return { json: JSON.parse(line), id: `${m[1]}/${m[2]}` };
    });
}

/** The events whose packet never matched `pred` at any of its events. */
function unmatched(events: Ev[], pred: (ev: Json) => boolean): string[] {
  const ok = new Set(events.filter((e) => pred(e.json)).map((e) => e.id));
  return events.filter((e) => !ok.has(e.id)).map((e) => `${e.json.kernel.symbol} ${e.json.dev?.name} ${e.json.packet?.data}`);
}

describe("meta filters (-m)", { concurrency: false, timeout: 240_000 }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "retis-meta-"));
    if (process.getuid?.() !== 0) return;
    env = createNetns("gcol");
    // quiet namespaces: no IPv6 autoconfiguration traffic
    for (const ns of [env.a, env.b]) env.exec(ns, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"]);
    env.exec(env.a, ["nft", "add table inet gcol; add chain inet gcol out { type filter hook output priority 0; }; " +
      "add rule inet gcol out udp dport 9998 meta mark set 0x10; add rule inet gcol out udp dport 9998 ct mark set 0x42"]);
  });
  after(() => {
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const traffic = (e: Netns) => () => {
    e.exec(e.a, ["ping", "-c", "3", "-i", "0.2", "-W", "2", e.ipB]);
    e.exec(e.a, ["ping", "-c", "3", "-i", "0.2", "-W", "2", "127.0.0.1"]);
    sendUdp(e, e.a, e.ipB, 9998);
    sendUdp(e, e.a, e.ipB, 9999);
  };

  test("by device name: sk_buff.dev.name == 'VETH'", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collect("dev.data", ["-m", `sk_buff.dev.name == '${e.vethA}'`], traffic(e));
    assert.deepEqual(unmatched(events, (ev) => ev.dev?.name === e.vethA), []);
    const requests = events.filter((ev) => ev.json.kernel.symbol === "net:net_dev_start_xmit" && ip4(ev.json.packet)?.icmpType === 8);
    assert.equal(requests.length, 3, "the 3 echo requests leave through the veth");
    assert.ok(events.some((ev) => ev.json.dev?.name === e.vethB), "and are followed to the peer");
    assert.ok(!events.some((ev) => ev.json.dev?.name === "lo"), "loopback pings are not kept");

    // raw tracepoints (the fallback family) walk the same terms
    const raw = await collect("dev-raw.data", ["--raw-tp", "-m", `sk_buff.dev.name == '${e.vethA}'`], traffic(e));
    assert.deepEqual(unmatched(raw, (ev) => ev.dev?.name === e.vethA), []);
    assert.equal(raw.filter((ev) => ev.json.kernel.symbol === "net:net_dev_start_xmit" && ip4(ev.json.packet)?.icmpType === 8).length, 3);
  });

  test("by netns inode: sk_buff.dev.nd_net.net.ns.inum == INUM", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collect("netns.data", ["-m", `sk_buff.dev.nd_net.net.ns.inum == ${e.inumB}`], traffic(e));
    assert.deepEqual(unmatched(events, (ev) => ev.netns?.inum === e.inumB), []);
    const received = events.filter((ev) => ev.json.kernel.symbol === "net:netif_receive_skb" && ev.json.netns?.inum === e.inumB);
    assert.ok(received.length >= 3 + 2, `echo requests and datagrams received in B (${received.length})`);
    assert.ok(!events.some((ev) => ip4(ev.json.packet)?.dst === "127.0.0.1"), "loopback pings in A are not kept");
  });

  test("by mark, set by an nft rule: sk_buff.mark == 0x10; with -f both must hold", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collect("mark.data", ["-m", "sk_buff.mark == 0x10"], traffic(e));
    assert.ok(events.length >= 2, `the marked datagram is seen (${events.length} events)`);
    for (const ev of events) assert.equal(ip4(ev.json.packet)?.dport, 9998, JSON.stringify(ev.json.packet));
    assert.ok(events.some((ev) => ev.json["skb-drop"]?.drop_reason === "NO_SOCKET"), "followed to its drop");

    const both = await collect("mark-f.data", ["-m", "sk_buff.mark == 0x10", "-f", "udp dst port 9999"], traffic(e));
    assert.deepEqual(both.map((ev) => ev.json.packet?.data), [], "no packet is both marked and for port 9999");
    const either = await collect("mark-or.data", ["-m", "sk_buff.mark == 0x10 || sk_buff.dev.name == 'lo'", "-f", "udp"], traffic(e));
    assert.deepEqual([...new Set(either.map((ev) => ip4(ev.json.packet)?.dport))], [9998]);
  });

  test("a cast through a masked pointer: sk_buff._nfct:~0x7:nf_conn.mark == 0x42 (a conntrack mark)", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collect("ctmark.data", ["-m", "sk_buff._nfct:~0x7:nf_conn.mark == 0x42"], traffic(e));
    assert.ok(events.length >= 2, `the datagram with a conntrack mark is seen (${events.length} events)`);
    for (const ev of events) assert.equal(ip4(ev.json.packet)?.dport, 9998, JSON.stringify(ev.json.packet));
  });

  test("a bitfield: sk_buff.pkt_type == 1 (PACKET_BROADCAST) keeps the broadcast ARP requests", async (t) => {
    if (!canCollect(t)) return;
    const e = env!;
    const events = await collect("bitfield.data", ["-m", "sk_buff.pkt_type == 1", "--netns", e.b], () => {
      for (const ns of [e.a, e.b]) e.exec(ns, ["ip", "neigh", "flush", "all"]);
      e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
    });
    assert.ok(events.length >= 1, "the ARP request is received as a broadcast");
    for (const ev of events) {
      const frame = Buffer.from(ev.json.packet.data, "base64");
      assert.equal(frame.subarray(0, 6).toString("hex"), "ffffffffffff", "broadcast destination");
      assert.equal(frame.readUInt16BE(12), 0x0806, "ARP");
    }
  });

  test("bad expressions are refused in one line quoting them", (t) => {
    if (!canCollect(t)) return;
    const cases: [string, RegExp][] = [
      ["sk_buff.dev.nam == 'x'", /struct net_device has no member 'nam'/],
      ["sk_buff.mark == 'x'", /'mark' is a number: expected a number/],
      ["sk_buff.dev.name > 'x'", /only == and != compare strings/],
      ["sk_buff.dev.name == veth0", /expected a number or a quoted string at 'veth0'/],
      ["dev.mark == 1", /expected 'sk_buff\.'/],
      ["sk_buff.mark == -1", /'mark' is unsigned/],
      ["sk_buff.mark == 1 xor", /expected 'and', 'or' or the end at 'xor'/],
    ];
    for (const [expr, re] of cases) {
      const r = spawnSync(collectorBinary, ["-m", expr, "-o", join(dir, "never.data")], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 2, `${expr}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`retis: invalid meta filter '${expr}': `), r.stderr);
      assert.match(r.stderr, re);
    }
  });
});
