import type { NetnsEvent, NetnsFields } from "../../typings/netns.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase, hex } from "./base.js";

export interface NetnsSection extends NetnsFields {}
export class NetnsSection extends SectionBase<NetnsFields> implements NetnsEvent {
  fmt(f: Formatter): void {
    f.write(this.cookie !== undefined ? `ns 0x${hex(this.cookie)}/${this.inum}` : `ns ${this.inum}`);
  }
}
