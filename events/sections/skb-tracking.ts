import type { SkbTrackingEvent, SkbTrackingFields } from "../../typings/skb-tracking.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase, hex } from "./base.js";

/** `(timestamp << 64) | orig_head`: the packet's id across the stack. */
export function trackingIdOf(t: SkbTrackingFields): bigint {
  return (t.timestamp << 64n) | t.orig_head;
}

export interface SkbTrackingSection extends SkbTrackingFields {}
export class SkbTrackingSection extends SectionBase<SkbTrackingFields> implements SkbTrackingEvent {
  trackingId(): bigint {
    return trackingIdOf(this);
  }

  match(other: SkbTrackingFields): boolean {
    return this.timestamp === other.timestamp && this.orig_head === other.orig_head;
  }

  strictMatch(other: SkbTrackingFields): boolean {
    return this.match(other) && this.skb === other.skb;
  }

  fmt(f: Formatter): void {
    f.write(`#${hex(this.trackingId())} (skb ${hex(this.skb)})`);
  }
}
