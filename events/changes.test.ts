// What changed along a packet's path, on real captures. Oracles: Retis's own text of its sample's events (the
// values at each hop, read from what Retis printed, not from our sections), the DNAT rule of the script that
// made samples/rich.data, and the headers these tests put on Retis's real frames themselves.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { changeText } from "./changes.js";
import { EventFile, EventSeries, eventFromLine, sortEvents, type Change, type Event, type GeneveLayer, type Ipv4Layer, type UdpLayer } from "./index.js";
import { packetTestRenderings } from "./packet/oracle.test.helper.js";
import { haveSamples, repoRoot, sample } from "../test/samples.js";

/** What Retis printed for one event, reduced to the values changes() compares. */
interface Printed {
  saddr: string;
  daddr: string;
  ttl: number;
  len: number;
  dev: string;
  netns: number;
  ct?: { state: string; status: bigint; mark: number };
}

/** Retis's multi-line text of an event → its values (the sample is ICMP over IPv4 on Ethernet: no ports). */
function printed(text: string): Printed {
  const lines = text.split("\n");
  const p = /^  (\S+) > (\S+) tos \S+ ttl (\d+) id \d+ off \d+(?: \[DF\])? len (\d+) proto ICMP/.exec(lines[1]!);
  const ns = /^  ns 0x[0-9a-f]+\/(\d+) if (\d+) \((\S+)\)/m.exec(text);
  const ct = /^  ct_state (\w+) status (0x[0-9a-f]+) .* mark (\d+)$/m.exec(text);
  assert.ok(p && ns, `unexpected rendering:\n${text}`);
  return {
    saddr: p[1]!,
    daddr: p[2]!,
    ttl: Number(p[3]),
    // Retis prints the IP total length; the packet's length counts the Ethernet header too.
    len: Number(p[4]) + 14,
    dev: `${ns[2]} (${ns[3]})`,
    netns: Number(ns[1]),
    ...(ct ? { ct: { state: ct[1]!, status: BigInt(ct[2]!), mark: Number(ct[3]) } } : {}),
  };
}

/** The changes a hop must show, from the printed values of the hops before it and of this one. */
function expected(before: Printed, now: Printed, withCt: boolean): string[] {
  const out: string[] = [];
  if (before.saddr !== now.saddr) out.push(`saddr ${before.saddr} → ${now.saddr}`);
  if (before.daddr !== now.daddr) out.push(`daddr ${before.daddr} → ${now.daddr}`);
  if (before.ttl !== now.ttl) out.push(`ttl ${before.ttl} → ${now.ttl}`);
  if (before.len !== now.len) out.push(`len ${before.len} → ${now.len}`);
  if (before.dev !== now.dev) out.push(`if ${before.dev} → ${now.dev}`);
  if (before.netns !== now.netns) out.push(`ns ${before.netns} → ${now.netns}`);
  if (withCt) {
    const a = before.ct;
    const b = now.ct;
    if (a?.state !== b?.state) out.push(`ct_state ${a?.state ?? "none"} → ${b?.state ?? "none"}`);
    if (a && b && a.status !== b.status) out.push(`ct_status 0x${a.status.toString(16)} → 0x${b.status.toString(16)}`);
    if (a && b && a.mark !== b.mark) out.push(`ct_mark ${a.mark} → ${b.mark}`);
  }
  return out;
}

/** A change as text without the status bits' names (Retis prints only the number). */
const plain = (c: Change) => (c.field === "ct.status" ? `ct_status 0x${c.from!.toString(16)} → 0x${c.to!.toString(16)}` : changeText(c));

/** An event made of a common and a packet section (and more), as the collector writes them. */
function eventOf(ts: number, frame: Uint8Array, more: Record<string, unknown> = {}): Event {
  const data = Buffer.from(frame).toString("base64");
  return eventFromLine(JSON.stringify({ common: { timestamp: ts }, packet: { len: frame.length, capture_len: frame.length, data }, ...more }));
}

describe("series.changes() on Retis's sample", () => {
  it("shows, hop by hop, what Retis's own text shows changing: device, namespace, conntrack, headers", (t) => {
    if (!haveSamples(t)) return;
    const renderings = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8")) as { source_line: number; rendered_multiline: string }[];
    const byLine = new Map(renderings.map((r) => [r.source_line, printed(r.rendered_multiline)]));
    const all = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
    let hops = 0;
    const seen = new Set<string>();
    for (const series of sortEvents(all)) {
      if (series.length < 2) continue;
      const withCt = series.some((e) => byLine.get(e.source!.line)!.ct !== undefined);
      const changes = series.changes();
      assert.equal(changes.length, series.length - 1);
      for (const hop of changes) {
        const now = byLine.get(hop.event.source!.line)!;
        const before = byLine.get(series[hop.index - 1]!.source!.line)!;
        assert.equal(hop.previous, series[hop.index - 1]);
        assert.deepEqual(hop.changes.map(plain), expected(before, now, withCt), `line ${hop.event.source!.line}`);
        for (const c of hop.changes) seen.add(c.field);
        hops++;
      }
    }
    assert.ok(hops >= 20, `${hops} hops compared`);
    // The sample crosses namespaces through OVS and loses its conntrack entry on the way: not a vacuous check.
    for (const field of ["dev", "netns", "ct.state"]) assert.ok(seen.has(field), `no ${field} change in the sample`);
  });
});

describe("series.changes() on a capture through a DNAT rule (samples/rich.data)", () => {
  it("shows the rewrite the script's nft rule asks for, at one hop, ports included", () => {
    // The oracle is the rule in the script that made the capture: `ip daddr $VIP tcp dport 80 dnat to $SERVER:8080`.
    const script = readFileSync(join(repoRoot, "samples/make-rich-capture.sh"), "utf8");
    const net = /^NET=(\S+);/m.exec(script)![1]!;
    const vip = `${net}.${/VIP=\$NET\.(\d+)/.exec(script)![1]}`;
    const server = `${net}.${/SERVER=\$NET\.(\d+)/.exec(script)![1]}`;
    const [, fromPort, toPort] = /tcp dport (\d+) dnat to \$SERVER:(\d+)/.exec(script)!;
    const all = [...new EventFile(join(repoRoot, "samples/rich.data")).events()];
    const syn = [...sortEvents(all)].find((s) => {
      const p = s[0]?.packet?.dissect();
      return p?.find("ipv4")?.destination === vip && p.find("tcp")?.flags.syn === true && !p.find("tcp")!.flags.ack;
    });
    assert.ok(syn, "the SYN to the virtual address");
    const rewritten = syn.changes().filter((h) => h.get("ip.daddr"));
    assert.equal(rewritten.length, 1, syn.format({ changes: true }));
    const hop = rewritten[0]!;
    assert.deepEqual(hop.get("ip.daddr"), { field: "ip.daddr", from: vip, to: server });
    assert.deepEqual(hop.get("l4.dport"), { field: "l4.dport", from: Number(fromPort), to: Number(toPort) });
    assert.equal(hop.get("ip.saddr"), undefined);
    assert.equal(hop.get("l4.sport"), undefined);
  });
});

describe("series.changes() on tunnels and VLAN tags (Retis's real frames)", () => {
  it("a Geneve tunnel: its headers removed, then added, the inner packet unchanged", (t) => {
    if (!haveSamples(t)) return;
    const geneve = packetTestRenderings().find((p) => p.name === "icmp_in_geneve")!;
    const d = Buffer.from(geneve.data);
    // The inner frame starts after outer Ethernet, IPv4 (IHL), UDP and Geneve (8 + option length) headers.
    const ihl = (d[14]! & 0x0f) * 4;
    const geneveAt = 14 + ihl + 8;
    const inner = d.subarray(geneveAt + 8 + (d[geneveAt]! & 0x3f) * 4);
    // Retis's line for the frame names the tunnel: outer addresses and ports, then `geneve [] vni 0x1`.
    const [, outerSrc, sport, outerDst, dport, vni] = /^(\S+)\.(\d+) > (\S+)\.(\d+) .* geneve \[\] vni (0x[0-9a-f]+) /.exec(geneve.line)!;
    const series = EventSeries.fromEvents([eventOf(1, d), eventOf(2, inner), eventOf(3, d)]);
    const [out, back] = series.changes();
    const removed = out!.get("encap")!;
    assert.deepEqual(removed.to, []);
    assert.deepEqual(
      removed.from.map((l) => l.layer),
      ["ipv4", "udp", "geneve"],
    );
    const [ip, udp, tunnel] = removed.from as [Ipv4Layer, UdpLayer, GeneveLayer];
    assert.deepEqual([ip.source, ip.destination, udp.sourcePort, udp.destinationPort, tunnel.vni], [outerSrc, outerDst, Number(sport), Number(dport), Number(vni)]);
    assert.deepEqual(out!.get("len"), { field: "len", from: d.length, to: inner.length });
    // The packet inside kept its addresses and TTL: nothing but the tunnel and the length changed.
    assert.deepEqual(out!.changes.map((c) => c.field), ["encap", "len"]);
    assert.equal(String(out), `encap removed [ipv4 ${outerSrc} > ${outerDst} udp ${sport} > ${dport} geneve vni ${vni}], len ${d.length} → ${inner.length}`);
    assert.deepEqual(back!.get("encap")!.from, []);
    assert.deepEqual(back!.changes.map((c) => c.field), ["encap", "len"]);
    assert.match(String(back), /^encap added \[ipv4 /);
  });

  it("a VLAN tag in the frame, then none, then one the driver took out (skb.vlan_accel)", (t) => {
    if (!haveSamples(t)) return;
    const plainFrame = Buffer.from(packetTestRenderings().find((p) => p.name === "sctp_init")!.data);
    // 802.1Q tag of VLAN 100 (priority 3) inserted after the MAC addresses.
    const tagged = Buffer.concat([plainFrame.subarray(0, 12), Buffer.from([0x81, 0x00, 0x60, 100]), plainFrame.subarray(12)]);
    const accel = { skb: { vlan_accel: { proto: 0x8100, pcp: 0, dei: false, vid: 7 } } };
    const series = EventSeries.fromEvents([eventOf(1, tagged), eventOf(2, plainFrame), eventOf(3, plainFrame, accel)]);
    const [untag, accelTag] = series.changes();
    assert.deepEqual(untag!.get("vlan"), { field: "vlan", from: 100, to: undefined });
    assert.deepEqual(untag!.get("len"), { field: "len", from: tagged.length, to: plainFrame.length });
    assert.equal(untag!.get("ip.daddr"), undefined);
    assert.deepEqual(accelTag!.changes, [{ field: "vlan", from: undefined, to: 7 }]);
    assert.equal(String(accelTag), "vlan none → 7");
  });

  it("a hop without a packet or device does not hide a change: each is compared with the latest hop that had it", (t) => {
    if (!haveSamples(t)) return;
    const frame = Buffer.from(packetTestRenderings().find((p) => p.name === "sctp_init")!.data);
    const ttl63 = Buffer.from(frame);
    ttl63[22] = 63;
    const bare = eventFromLine(JSON.stringify({ common: { timestamp: 2 } }));
    const series = EventSeries.fromEvents([eventOf(1, frame, { dev: { name: "a", ifindex: 2 } }), bare, eventOf(3, ttl63, { dev: { name: "b", ifindex: 2 } })]);
    const [none, later] = series.changes();
    assert.deepEqual(none!.changes, []);
    assert.equal(String(none), "");
    assert.deepEqual(later!.changes, [
      { field: "ip.ttl", from: frame[22], to: 63 },
      { field: "dev", from: { name: "a", ifindex: 2 }, to: { name: "b", ifindex: 2 } },
    ]);
    assert.equal(later!.previous, bare);
  });
});

describe("series.format({ changes: true })", () => {
  it("is Retis's series text with a `changed` line under each hop that changed, at its sections' indent", (t) => {
    if (!haveSamples(t)) return;
    const all = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
    for (const series of sortEvents(all)) {
      const text = series.format({ changes: true });
      const lines = text.split("\n");
      const changed = lines.filter((l) => l.includes("changed "));
      assert.deepEqual(
        changed,
        series
          .changes()
          .filter((h) => h.changes.length > 0)
          .map((h) => `      changed ${h}`),
      );
      // Without those lines it is exactly the text `retis sort` prints.
      assert.equal(lines.filter((l) => !l.startsWith("      changed ")).join("\n"), series.format());
      const single = series.format({ changes: true, format: "single-line" });
      assert.equal(single.split("\n").length, series.length);
    }
  });
});
