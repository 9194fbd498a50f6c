import type { SkbDropEvent, SkbDropFields } from "../../typings/skb-drop.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface SkbDropSection extends SkbDropFields {}
export class SkbDropSection extends SectionBase<SkbDropFields> implements SkbDropEvent {
  reason(): string {
    return this.subsys !== undefined ? `${this.subsys}/${this.drop_reason}` : this.drop_reason;
  }

  fmt(f: Formatter): void {
    f.write(`drop (reason ${this.reason()})`);
  }
}
