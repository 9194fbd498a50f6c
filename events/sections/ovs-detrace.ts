import type { OvsFlowInfoEvent, OvsFlowInfoFields, Ufid } from "../../typings/ovs-detrace.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

function h(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** A UFID as OVS prints it, UUID-like: `{:08x}-{:04x}-{:04x}-{:04x}-{:04x}{:08x}`. */
export function formatUfid(u: Ufid): string {
  const [a, b, c, d] = u;
  return `${h(a, 8)}-${h(b >>> 16, 4)}-${h(b & 0xffff, 4)}-${h(c >>> 16, 4)}-${h(c & 0xffff, 4)}${h(d, 8)}`;
}

export interface OvsDetraceSection extends OvsFlowInfoFields {}
export class OvsDetraceSection extends SectionBase<OvsFlowInfoFields> implements OvsFlowInfoEvent {
  fmt(f: Formatter, o: DisplayOptions): void {
    if (!o.multiline) {
      f.write(`ufid:${formatUfid(this.ufid)} ${this.dpflow} openflow: ${this.ofpflows.join(" ")}`);
      return;
    }
    // Retis glues the first flow to "openflow:" (it starts the indented block mid-line); kept as is.
    f.write(`ufid:${formatUfid(this.ufid)} ${this.dpflow}\nopenflow:`);
    f.incLevel(4);
    f.write(this.ofpflows.join("\n"));
    f.resetLevel();
  }
}
