import type { DevEvent, DevFields } from "../../typings/dev.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface DevSection extends DevFields {}
export class DevSection extends SectionBase<DevFields> implements DevEvent {
  fmt(f: Formatter): void {
    f.write(`if ${this.ifindex}`);
    if (this.name.length > 0) f.write(` (${this.name})`);
    if (this.rx_ifindex !== undefined) f.write(` rxif ${this.rx_ifindex}`);
  }
}
