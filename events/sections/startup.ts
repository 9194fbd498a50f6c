import type { StartupEvent, StartupFields } from "../../typings/startup.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface StartupSection extends StartupFields {}
export class StartupSection extends SectionBase<StartupFields> implements StartupEvent {
  fmt(f: Formatter, o: DisplayOptions): void {
    const sep = o.multiline ? "\n" : " ";
    const m = this.machine;
    f.write(`collected with Retis ${this.retis_version}${sep}on machine ${m.kernel_release} ${m.kernel_version} ${m.hardware_name}`);
    if (this.split_file !== undefined) f.write(`${sep}file id ${this.split_file.id}`);
    f.write(`${sep}cmdline ${this.cmdline}`);
  }
}
