import type { KernelEvent, KernelFields } from "../../typings/kernel.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

const PROBE_MARK: Record<string, string> = { raw_tracepoint: "tp", kprobe: "k", kretprobe: "kr" };

export interface KernelSection extends KernelFields {}
export class KernelSection extends SectionBase<KernelFields> implements KernelEvent {
  fmt(f: Formatter): void {
    f.write(`[${PROBE_MARK[this.probe_type] ?? "invalid"}] ${this.symbol}`);
  }

  /** The stack trace: one entry per line, or `[a, b]` on a single line. */
  fmtStack(f: Formatter, o: DisplayOptions): void {
    const stack = this.stack_trace ?? [];
    f.write(o.multiline ? stack.join("\n") : `[${stack.join(", ")}]`);
  }
}
