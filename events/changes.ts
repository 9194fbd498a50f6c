// What changed along a packet's path (retis-org/retis issue #33): each event of a series compared with the
// hops before it, field by field, from the typed sections and the dissected packet. Also the text of those
// changes, written under each hop by `retis sort --changes` and by a series' notebook display.
import type * as T from "../typings/index.js";
import type { DisplayOptions, Formatter } from "./format/formatter.js";

/** What one event shows of each compared field; a group is undefined when its section is absent. */
interface Observation {
  packet?: PacketView;
  dev?: T.DeviceId;
  netns?: number;
  /** `null`: the packet has no conntrack entry at this hop. */
  ct?: { state: T.CtState; status: bigint; mark: number | undefined } | null;
}

/** The fields read from a packet's bytes. */
interface PacketView {
  len: number;
  saddr?: string;
  daddr?: string;
  ttl?: number;
  sport?: number;
  dport?: number;
  icmpId?: number;
  vlan?: number;
  encap: readonly T.PacketLayer[];
}

const TUNNELS = new Set<T.LayerName>(["vxlan", "geneve"]);

function packetView(e: T.Event): PacketView | undefined {
  const packet = e.packet;
  if (!packet) return undefined;
  const layers = packet.dissect().layers;
  const view: PacketView = { len: packet.len, encap: [] };
  // The accelerated tag is out of the packet's bytes; a tag still in the frame is the outermost 802.1Q header.
  view.vlan = e.skb?.vlan_accel?.vid ?? layers.find((l) => l.layer === "vlan")?.vid;
  // The packet's own headers are those inside the innermost tunnel; the tunnel's are its encapsulation.
  let tunnel = -1;
  for (let i = 0; i < layers.length; i++) if (TUNNELS.has(layers[i]!.layer)) tunnel = i;
  if (tunnel >= 0) {
    const outerIp = layers.findIndex((l) => l.layer === "ipv4" || l.layer === "ipv6");
    view.encap = layers.slice(outerIp >= 0 && outerIp < tunnel ? outerIp : 0, tunnel + 1);
  }
  let ip = -1;
  for (let i = layers.length - 1; i > tunnel && ip < 0; i--) if (layers[i]!.layer === "ipv4" || layers[i]!.layer === "ipv6") ip = i;
  if (ip < 0) return view;
  const l3 = layers[ip] as T.Ipv4Layer | T.Ipv6Layer;
  view.saddr = l3.source;
  view.daddr = l3.destination;
  view.ttl = l3.layer === "ipv4" ? l3.ttl : l3.hopLimit;
  for (const l of layers.slice(ip + 1)) {
    if (l.layer === "tcp" || l.layer === "udp" || l.layer === "sctp") {
      view.sport = l.sourcePort;
      view.dport = l.destinationPort;
      break;
    }
    if (l.layer === "icmp" || l.layer === "icmpv6") {
      view.icmpId = l.identifier;
      break;
    }
  }
  return view;
}

function observe(e: T.Event, withCt: boolean): Observation {
  const o: Observation = {};
  const packet = packetView(e);
  if (packet) o.packet = packet;
  if (e.dev) o.dev = { name: e.dev.name, ifindex: e.dev.ifindex };
  if (e.netns) o.netns = e.netns.inum;
  // A ct section is written whenever the packet has a conntrack entry: once the series shows one, an event
  // without it means the entry is gone (crossing namespaces scrubs it) or not made yet.
  if (withCt) o.ct = e.ct ? { state: e.ct.state, status: e.ct.ct_status, mark: e.ct.mark } : null;
  return o;
}

/** The identity of a tunnel header: what tells one tunnel from another (not its TTL or checksum). */
function layerKey(l: T.PacketLayer): string {
  switch (l.layer) {
    case "ipv4":
    case "ipv6":
      return `${l.layer} ${l.source}>${l.destination}`;
    case "udp":
      return `udp ${l.sourcePort}>${l.destinationPort}`;
    case "vxlan":
    case "geneve":
      return `${l.layer} ${l.vni}`;
    default:
      return l.layer;
  }
}

const sameEncap = (a: readonly T.PacketLayer[], b: readonly T.PacketLayer[]) => a.map(layerKey).join("/") === b.map(layerKey).join("/");

/** The changes from `before` (the latest value of each group) to `now`. */
function compare(before: Observation, now: Observation): T.Change[] {
  const out: T.Change[] = [];
  const p = before.packet;
  const q = now.packet;
  if (p && q) {
    if (!sameEncap(p.encap, q.encap)) out.push({ field: "encap", from: p.encap, to: q.encap });
    // Header fields compare only where both hops have them: a frame cut short says nothing about the rest.
    const both = <V>(field: T.ChangeField, a: V | undefined, b: V | undefined) => {
      if (a !== undefined && b !== undefined && a !== b) out.push({ field, from: a, to: b } as T.Change);
    };
    both("ip.saddr", p.saddr, q.saddr);
    both("ip.daddr", p.daddr, q.daddr);
    both("l4.sport", p.sport, q.sport);
    both("l4.dport", p.dport, q.dport);
    both("icmp.id", p.icmpId, q.icmpId);
    both("ip.ttl", p.ttl, q.ttl);
    both("len", p.len, q.len);
    if (p.vlan !== q.vlan) out.push({ field: "vlan", from: p.vlan, to: q.vlan });
  }
  if (before.dev && now.dev && (before.dev.name !== now.dev.name || before.dev.ifindex !== now.dev.ifindex)) out.push({ field: "dev", from: before.dev, to: now.dev });
  if (before.netns !== undefined && now.netns !== undefined && before.netns !== now.netns) out.push({ field: "netns", from: before.netns, to: now.netns });
  const c = before.ct;
  const d = now.ct;
  if (c !== undefined && d !== undefined) {
    if (c?.state !== d?.state) out.push({ field: "ct.state", from: c?.state, to: d?.state });
    if (c && d) {
      if (c.status !== d.status) out.push({ field: "ct.status", from: c.status, to: d.status });
      if (c.mark !== d.mark) out.push({ field: "ct.mark", from: c.mark, to: d.mark });
    }
  }
  return out;
}

class Hop implements T.HopChanges {
  constructor(
    readonly index: number,
    readonly event: T.Event,
    readonly previous: T.Event,
    readonly changes: readonly T.Change[],
  ) {}

  get<F extends T.ChangeField>(field: F): T.ChangeOf<F> | undefined {
    return this.changes.find((c) => c.field === field) as T.ChangeOf<F> | undefined;
  }

  toString(): string {
    return this.changes.map(changeText).join(", ");
  }
}

/**
 * What changed at each hop of a series: one entry per event after the first. Each group of fields (packet,
 * device, namespace) is compared with the latest earlier event that had it, so an event without a packet
 * section (or a device) does not hide a change made before it.
 */
export function seriesChanges(events: ArrayLike<T.Event>): T.HopChanges[] {
  const hops: T.HopChanges[] = [];
  let withCt = false;
  for (let i = 0; i < events.length && !withCt; i++) withCt = events[i]!.ct !== undefined;
  const latest: Observation = {};
  for (let i = 0; i < events.length; i++) {
    const now = observe(events[i]!, withCt);
    if (i > 0) hops.push(new Hop(i, events[i]!, events[i - 1]!, compare(latest, now)));
    if (now.packet) latest.packet = now.packet;
    if (now.dev) latest.dev = now.dev;
    if (now.netns !== undefined) latest.netns = now.netns;
    if (now.ct !== undefined) latest.ct = now.ct;
  }
  return hops;
}

/** Names of the `ct->status` bits (`enum ip_conntrack_status`, include/uapi/linux/netfilter/nf_conntrack_common.h). */
const CT_STATUS_BITS = [
  "EXPECTED",
  "SEEN_REPLY",
  "ASSURED",
  "CONFIRMED",
  "SRC_NAT",
  "DST_NAT",
  "SEQ_ADJUST",
  "SRC_NAT_DONE",
  "DST_NAT_DONE",
  "DYING",
  "FIXED_TIMEOUT",
  "TEMPLATE",
  "NAT_CLASH",
  "HELPER",
  "OFFLOAD",
  "HW_OFFLOAD",
];

/** The bits set in `to` and not `from` (`+NAME`), then those cleared (`-NAME`). */
function statusBits(from: bigint, to: bigint): string {
  const name = (bit: number) => CT_STATUS_BITS[bit] ?? `bit${bit}`;
  const diff: string[] = [];
  for (const [sign, bits] of [["+", to & ~from], ["-", from & ~to]] as const) {
    for (let bit = 0; bits >> BigInt(bit) !== 0n; bit++) if ((bits >> BigInt(bit)) & 1n) diff.push(`${sign}${name(bit)}`);
  }
  return diff.join(" ");
}

/** A tunnel's headers as Retis words them: `ipv4 10.0.0.1 > 10.0.0.2 udp 41234 > 4789 vxlan vni 0x2a`. */
function encapText(layers: readonly T.PacketLayer[]): string {
  return layers
    .map((l) => {
      switch (l.layer) {
        case "ipv4":
        case "ipv6":
          return `${l.layer} ${l.source} > ${l.destination}`;
        case "udp":
          return `udp ${l.sourcePort} > ${l.destinationPort}`;
        case "vxlan":
        case "geneve":
          return `${l.layer} vni 0x${l.vni.toString(16)}`;
        default:
          return l.layer;
      }
    })
    .join(" ");
}

const orNone = (v: unknown) => (v === undefined ? "none" : String(v));

/** One change in Retis's words: `daddr 10.0.0.9 → 10.0.0.2`, `if 2 (veth0) → 3 (veth1)`, `ct_state none → NEW`. */
export function changeText(c: T.Change): string {
  switch (c.field) {
    case "encap":
      if (c.from.length === 0) return `encap added [${encapText(c.to)}]`;
      if (c.to.length === 0) return `encap removed [${encapText(c.from)}]`;
      return `encap [${encapText(c.from)}] → [${encapText(c.to)}]`;
    case "ip.saddr":
      return `saddr ${c.from} → ${c.to}`;
    case "ip.daddr":
      return `daddr ${c.from} → ${c.to}`;
    case "l4.sport":
      return `sport ${c.from} → ${c.to}`;
    case "l4.dport":
      return `dport ${c.from} → ${c.to}`;
    case "icmp.id":
      return `icmp id ${c.from} → ${c.to}`;
    case "ip.ttl":
      return `ttl ${c.from} → ${c.to}`;
    case "len":
      return `len ${c.from} → ${c.to}`;
    case "vlan":
      return `vlan ${orNone(c.from)} → ${orNone(c.to)}`;
    case "dev": {
      // As Retis writes a device: `if 3 (veth1)`, the name only when there is one.
      const dev = (d: T.DeviceId | undefined) => (d === undefined ? "none" : `${d.ifindex}${d.name ? ` (${d.name})` : ""}`);
      return `if ${dev(c.from)} → ${dev(c.to)}`;
    }
    case "netns":
      return `ns ${c.from} → ${c.to}`;
    case "ct.state":
      return `ct_state ${c.from?.toUpperCase() ?? "none"} → ${c.to?.toUpperCase() ?? "none"}`;
    case "ct.status": {
      const hex = (v: bigint | undefined) => (v === undefined ? "none" : `0x${v.toString(16)}`);
      const bits = c.from !== undefined && c.to !== undefined ? ` (${statusBits(c.from, c.to)})` : "";
      return `ct_status ${hex(c.from)} → ${hex(c.to)}${bits}`;
    }
    case "ct.mark":
      return `ct_mark ${orNone(c.from)} → ${orNone(c.to)}`;
  }
}

/** Writes a hop's changes under its event, at the level of the event's sections: `changed daddr … → …, …`. */
export function fmtChanges(f: Formatter, hop: T.HopChanges, o: DisplayOptions): void {
  if (hop.changes.length === 0) return;
  f.incLevel(2);
  f.write(`${o.multiline ? "\n" : " "}changed ${hop.toString()}`);
  f.resetLevel();
}
