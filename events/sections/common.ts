import type { CommonEvent, CommonFields } from "../../typings/common.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { formatTimestamp } from "../format/time.js";
import { SectionBase } from "./base.js";

export interface CommonSection extends CommonFields {}
export class CommonSection extends SectionBase<CommonFields> implements CommonEvent {
  fmt(f: Formatter, o: DisplayOptions): void {
    f.write(formatTimestamp(this.timestamp, o.utc, o.offset));
    if (this.smp_id !== undefined) f.write(` (${this.smp_id})`);
    const task = this.task;
    if (task) f.write(` [${task.comm}] ${task.pid === task.tgid ? task.tgid : `${task.pid}/${task.tgid}`}`);
  }
}
