// What changed along a packet's path: `series.changes()` compares each event of a series (one packet's
// events, `retis sort`) with the one before it. Types only: events/changes.ts implements them.
import type { CtState } from "./ct.js";
import type { Event } from "./event.js";
import type { PacketLayer } from "./packet-layers.js";

/**
 * One field that differs between a hop and the one before it. `from` is the value at the previous hop that
 * showed it, `to` the value at this hop; `undefined` means absent there (no conntrack entry, no VLAN tag).
 */
export interface FieldChange<F extends string, V> {
  /** Which field changed, e.g. `"ip.daddr"`. */
  readonly field: F;
  /** The value before this hop; `undefined` when it was absent. */
  readonly from: V | undefined;
  /** The value at this hop; `undefined` when it went away. */
  readonly to: V | undefined;
}

/** A network device as the `dev` section names it. */
export interface DeviceId {
  /** Device name (`dev->name`); may be empty. */
  readonly name: string;
  /** Device index (`dev->ifindex`), unique within a network namespace only. */
  readonly ifindex: number;
}

/**
 * Encapsulation headers added or removed (a VXLAN or Geneve tunnel): the layers of the packet outside the
 * innermost tunnel header, outermost first, without the outer Ethernet header (rewritten at every hop).
 * `from` and `to` are `[]` for a packet outside any tunnel.
 */
export interface EncapChange {
  /** Which field changed: the encapsulation. */
  readonly field: "encap";
  /** The tunnel headers before this hop (e.g. `ipv4`, `udp`, `vxlan`), `[]` when there were none. */
  readonly from: readonly PacketLayer[];
  /** The tunnel headers at this hop, `[]` when the packet left its tunnel. */
  readonly to: readonly PacketLayer[];
}

/**
 * One difference between consecutive hops of a series; narrow on `field`.
 *
 * Packet fields are read from the packet's own headers, inside any tunnel (the innermost IP header and the
 * transport header after it): a tunnel shows as `encap`, not as an address change. A conntrack entry that
 * appears or goes shows as `ct.state` from or to `undefined`; `ct.status` and `ct.mark` are compared while the
 * packet has an entry at both hops.
 */
export type Change =
  /** Source address of the IPv4 or IPv6 header (source NAT, masquerade). */
  | FieldChange<"ip.saddr", string>
  /** Destination address of the IPv4 or IPv6 header (destination NAT). */
  | FieldChange<"ip.daddr", string>
  /** IPv4 time to live or IPv6 hop limit (routing decrements it). */
  | FieldChange<"ip.ttl", number>
  /** TCP, UDP or SCTP source port (source NAT with port mapping). */
  | FieldChange<"l4.sport", number>
  /** TCP, UDP or SCTP destination port (destination NAT to another port). */
  | FieldChange<"l4.dport", number>
  /** ICMP or ICMPv6 echo identifier (NAT of pings may remap it). */
  | FieldChange<"icmp.id", number>
  /** Length of the packet from its Ethernet header, in bytes (`packet.len`): encapsulation, trimming. */
  | FieldChange<"len", number>
  /** VLAN id: the accelerated tag (`skb.vlan_accel`) or else the outermost 802.1Q tag of the packet. */
  | FieldChange<"vlan", number>
  /** The network device (`dev` section). */
  | FieldChange<"dev", DeviceId>
  /** The network namespace, by inode number (`netns.inum`). */
  | FieldChange<"netns", number>
  /** Conntrack state of the packet (`ct.state`); `undefined` when it has no conntrack entry. */
  | FieldChange<"ct.state", CtState>
  /** Conntrack status bits, `IPS_*` (`ct.ct_status`): NAT set up and done, confirmed, seen reply… */
  | FieldChange<"ct.status", bigint>
  /** Connection mark (`ct.mark`). */
  | FieldChange<"ct.mark", number>
  /** Tunnel headers added or removed. */
  | EncapChange;

/** The name of a field that `changes()` compares: `"ip.daddr"`, `"dev"`, `"encap"`… */
export type ChangeField = Change["field"];

/** The change of one field: `ChangeOf<"ip.ttl">` is `FieldChange<"ip.ttl", number>`. */
export type ChangeOf<F extends ChangeField> = Extract<Change, { field: F }>;

/**
 * One hop of a series and what changed since the hop before it: `series.changes()` returns one per event
 * after the first, also when nothing changed (`changes` is then empty).
 *
 * ```ts
 * for (const hop of series.changes())
 *   for (const c of hop.changes)
 *     if (c.field === "ip.daddr") console.log(`DNAT at ${hop.event.dev?.name}: ${c.from} → ${c.to}`);
 * ```
 */
export interface HopChanges {
  /** Position of the event in the series (1 for the second event). */
  readonly index: number;
  /** The event at this hop. */
  readonly event: Event;
  /** The event before it in the series. */
  readonly previous: Event;
  /** What differs, in a fixed order: encapsulation, packet headers, place (device, namespace), conntrack. */
  readonly changes: readonly Change[];
  /** The change of one field at this hop, or `undefined` when it did not change. */
  get<F extends ChangeField>(field: F): ChangeOf<F> | undefined;
  /** The changes as `retis sort --changes` prints them: `daddr 10.0.0.9 → 10.0.0.2, ttl 64 → 63`; `""` when none. */
  toString(): string;
}
