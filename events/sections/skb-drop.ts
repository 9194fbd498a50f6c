import type { SkbDropEvent, SkbDropFields } from "../../typings/skb-drop.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface SkbDropSection extends SkbDropFields {}
export class SkbDropSection extends SectionBase<SkbDropFields> implements SkbDropEvent {
  fmt(f: Formatter): void {
    f.write(`drop (reason ${this.subsys !== undefined ? `${this.subsys}/` : ""}${this.drop_reason})`);
  }
}
