import type { TrackingFields, TrackingInfo } from "../../typings/tracking.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";
import { SkbTrackingSection } from "./skb-tracking.js";

export class TrackingSection extends SectionBase<TrackingFields> implements TrackingInfo {
  readonly skb: SkbTrackingSection;
  declare readonly idx: number;

  constructor(dict: TrackingFields) {
    super(dict);
    this.skb = new SkbTrackingSection(dict.skb);
  }

  fmt(f: Formatter): void {
    this.skb.fmt(f);
    f.write(` n ${this.idx}`);
  }
}
