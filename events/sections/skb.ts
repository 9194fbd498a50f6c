import type { SkbEvent, SkbFields } from "../../typings/skb.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { ethertypeName } from "../packet/names.js";
import { SectionBase, hex0x } from "./base.js";

const CSUM = ["none", "unnecessary", "complete", "partial"];

export interface SkbSection extends SkbFields {}
export class SkbSection extends SectionBase<SkbFields> implements SkbEvent {
  /** Retis prints the section only when one of its printed parts is there. */
  printable(o: DisplayOptions): boolean {
    return this.meta !== undefined || this.data_ref !== undefined || this.gso !== undefined || (o.linkLayer && this.vlan_accel !== undefined);
  }

  fmt(f: Formatter, o: DisplayOptions): void {
    const parts: string[] = [];
    const v = this.vlan_accel;
    if (o.linkLayer && v) {
      const name = ethertypeName(v.proto);
      parts.push(
        `vlan_accel (ethertype ${name ? `${name} ` : ""}(0x${v.proto.toString(16).padStart(4, "0")}) vlan ${v.vid} p ${v.pcp}${v.dei ? " DEI" : ""})`,
      );
    }
    if (this.meta || this.data_ref) {
      let s = "skb [";
      const m = this.meta;
      if (m) {
        s += "csum ";
        switch (CSUM[m.ip_summed]) {
          case "none":
            s += "none ";
            break;
          case "unnecessary":
            s += `unnecessary (level ${m.csum_level}) `;
            break;
          case "complete":
            s += `complete (${hex0x(m.csum)}) `;
            break;
          case "partial":
            s += `partial (start ${m.csum & 0xffff} off ${m.csum >>> 16}) `;
            break;
          default:
            s += `unknown (${m.ip_summed}) `;
        }
        if (m.hash !== 0) s += `hash ${hex0x(m.hash)} `;
        s += `len ${m.len} `;
        if (m.data_len !== 0) s += `data_len ${m.data_len} `;
        s += `priority ${m.priority}`;
      }
      const d = this.data_ref;
      if (d) {
        if (m) s += " ";
        if (d.nohdr) s += "nohdr ";
        if (d.cloned) s += "cloned ";
        if (d.fclone > 0) s += `fclone ${d.fclone} `;
        s += `users ${d.users} dataref ${d.dataref}`;
      }
      parts.push(`${s}]`);
    }
    const g = this.gso;
    if (g) {
      let s = `gso [type ${hex0x(g.type)} `;
      if (g.flags !== 0) s += `flags ${hex0x(g.flags)} `;
      if (g.frags !== 0) s += `frags ${g.frags} `;
      if (g.segs !== 0) s += `segs ${g.segs} `;
      parts.push(`${s}size ${g.size}]`);
    }
    f.write(parts.join(" "));
  }
}
