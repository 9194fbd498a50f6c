import type { Section } from "./section.js";

/** JSON shape of the `skb-tracking` section. */
export interface SkbTrackingFields {
  /** Head of the packet buffer (`skb->head`) when the tracking logic first saw the packet; with `timestamp` it names the packet. JSON `orig_head` (u64). */
  orig_head: bigint;
  /** When the tracking logic first saw the packet: CLOCK_MONOTONIC, in nanoseconds. JSON `timestamp` (u64). */
  timestamp: bigint;
  /** Address of the current `struct sk_buff`; tells clones of one packet apart. JSON `skb` (u64). */
  skb: bigint;
}

/**
 * The `skb-tracking` section: the identity of a packet across the whole stack, so that events of one packet
 * can be followed (and grouped by `retis sort`). Retis `SkbTrackingEvent`.
 */
export interface SkbTrackingEvent extends SkbTrackingFields, Section<SkbTrackingFields> {
  /** The packet's unique id, `(timestamp << 64) | orig_head` (Python `tracking_id()`). Printed in hex as `#…`. */
  trackingId(): bigint;
  /** True when `other` is the same packet: same tracking id, clones included (Python `match()`). */
  match(other: SkbTrackingFields): boolean;
  /** True when `other` is the same packet and the same skb: same tracking id and `skb` address (Python `strict_match()`). */
  strictMatch(other: SkbTrackingFields): boolean;
}
