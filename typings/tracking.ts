import type { Section } from "./section.js";
import type { SkbTrackingFields, SkbTrackingEvent } from "./skb-tracking.js";

/** JSON shape of the `tracking` section. */
export interface TrackingFields {
  /** Tracking data of the series' first packet (for OVS upcalls, the original packet). JSON `skb`. */
  skb: SkbTrackingFields;
  /** Position of this event in its series, from 0. JSON `idx` (u32). */
  idx: number;
}

/** The `tracking` section, added by `retis sort` to every tracked event: which series it is in and where. Retis `TrackingInfo`. */
export interface TrackingInfo extends Section<TrackingFields> {
  /** Tracking data of the series' first packet (for OVS upcalls, the original packet). JSON `skb`. */
  skb: SkbTrackingEvent;
  /** Position of this event in its series, from 0. JSON `idx` (u32). */
  idx: number;
}
