import type { CtConnFields, CtEvent, CtFields, CtTuple } from "../../typings/ct.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { SectionBase, hex0x } from "./base.js";

function tupleText(t: CtTuple): string {
  const p = t.proto;
  if ("tcp" in p || "udp" in p) {
    const ports = "tcp" in p ? p.tcp : p.udp;
    return `${t.ip.src}.${ports.sport} > ${t.ip.dst}.${ports.dport}`;
  }
  if ("sctp" in p) return `${t.ip.src}.${p.sctp.sport} > ${t.ip.dst}.${p.sctp.dport} vtag ${hex0x(p.sctp.vtag)}`;
  return `${t.ip.src} > ${t.ip.dst} type ${p.icmp.type} code ${p.icmp.code} id ${p.icmp.id}`;
}

function protoName(t: CtTuple): string {
  return Object.keys(t.proto)[0] ?? "";
}

/** The connection part shared by a connection and its parent. */
function connText(c: CtConnFields): string {
  let s = `status ${hex0x(c.ct_status)} `;
  const proto = protoName(c.orig);
  // Retis prints the protocol part only when both directions agree on the protocol.
  if (proto === protoName(c.reply)) {
    const state = proto === "tcp" || proto === "sctp" ? ` (${c.proto_state ?? "UNKNOWN"})` : "";
    s += `${proto}${state} orig [${tupleText(c.orig)}] reply [${tupleText(c.reply)}] `;
  }
  switch (c.zone_dir) {
    case "Original":
      s += `orig-zone ${c.zone_id}`;
      break;
    case "Reply":
      s += `reply-zone ${c.zone_id}`;
      break;
    case "Default":
      s += `zone ${c.zone_id}`;
      break;
    case "None":
      break;
  }
  if (c.mark !== undefined) s += ` mark ${c.mark}`;
  if (c.labels !== undefined) s += ` labels ${hex0x((c.labels.hi << 64n) | c.labels.lo)}`;
  return s;
}

export interface CtSection extends CtFields {}
export class CtSection extends SectionBase<CtFields> implements CtEvent {
  fmt(f: Formatter, o: DisplayOptions): void {
    f.write(`ct_state ${this.state.toUpperCase()} ${connText(this)}`);
    if (this.parent !== undefined) {
      if (o.multiline) f.write("\n\\");
      f.write(` parent [${connText(this.parent)}]`);
    }
  }
}
