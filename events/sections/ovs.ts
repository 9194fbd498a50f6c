import type { OvsActionExecute, OvsEvent, OvsFields, OvsFlowLookup } from "../../typings/ovs.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { SectionBase, hex, hex0x } from "./base.js";
import { formatUfid } from "./ovs-detrace.js";

const UPCALL_CMD = [" (unspec)", " (miss)", " (action)", " (exec)"];

// Conntrack action flags (OVS_CT_* as Retis numbers them).
const CT_COMMIT = 1 << 0;
const CT_FORCE = 1 << 1;
const CT_NAT_RANGE_MAP_IPS = 1 << 7;
const CT_NAT_RANGE_PROTO_SPECIFIED = 1 << 8;
const CT_NAT_RANGE_PROTO_RANDOM = 1 << 9;
const CT_NAT_RANGE_PERSISTENT = 1 << 10;
const CT_NAT_RANGE_PROTO_RANDOM_FULLY = 1 << 11;

function range(min: string | number | undefined, max: string | number | undefined): string {
  if (min === undefined || max === undefined) return "";
  return min === max ? `${min}` : `${min}-${max}`;
}

function actionText(e: OvsActionExecute): string {
  switch (e.action) {
    case undefined:
      return " unspec";
    case "output":
      return ` oport ${e.port}`;
    case "recirc":
      return ` recirc ${hex0x(e.id)}`;
    case "drop":
      return ` drop ${e.reason}`;
    case "set":
      return " tunnel_set";
    case "ct": {
      let s = ` ct zone ${e.zone_id}`;
      if (e.nat) {
        s += " nat";
        if (e.nat.dir !== undefined) {
          s += `(${e.nat.dir}`;
          if (e.flags & CT_NAT_RANGE_MAP_IPS) {
            const r = range(e.nat.min_addr, e.nat.max_addr);
            if (r) s += `=${r}`;
          }
          if (e.flags & CT_NAT_RANGE_PROTO_SPECIFIED) {
            const r = range(e.nat.min_port, e.nat.max_port);
            if (r) s += `:${r}`;
          }
          s += ")";
        }
      }
      const flags: string[] = [];
      if (e.flags & CT_COMMIT) flags.push("commit");
      if (e.flags & CT_FORCE) flags.push("force");
      if (e.flags & CT_NAT_RANGE_PERSISTENT) flags.push("persistent");
      if (e.flags & CT_NAT_RANGE_PROTO_RANDOM) flags.push("hash");
      if (e.flags & CT_NAT_RANGE_PROTO_RANDOM_FULLY) flags.push("random");
      if (flags.length > 0) s += ` ${flags.join(",")}`;
      return s;
    }
    default:
      return ` ${e.action}`;
  }
}

function fmtFlowLookup(f: Formatter, e: OvsFlowLookup, o: DisplayOptions): void {
  if (e.flow === 0n) {
    f.write(`flow miss mask ${e.n_mask_hit} cache ${e.n_cache_hit}`);
    return;
  }
  const sep = o.multiline ? "\n" : " ";
  f.write(
    `flow hit ufid ${formatUfid(e.ufid)} mask ${e.n_mask_hit} cache ${e.n_cache_hit} flow ${hex(e.flow)} sf_acts ${hex(e.sf_acts)}`,
  );
  if (e.dpflow.length > 0) f.write(`${sep}odpflow ${e.dpflow}`);
  if (e.ofpflows.length > 0) {
    f.write(`${sep}openflow${sep}`);
    f.incLevel(4);
    f.write(e.ofpflows.join(sep));
    f.resetLevel();
  }
}

export type OvsSection = OvsEvent & SectionBase<OvsFields>;
export const OvsSection = class OvsSection extends SectionBase<OvsFields> {
  fmt(f: Formatter, o: DisplayOptions): void {
    const e = this as unknown as OvsFields;
    switch (e.event_type) {
      case "upcall":
        f.write(`upcall${UPCALL_CMD[e.cmd] ?? ""} port ${e.port} cpu ${e.cpu}`);
        break;
      case "upcall_enqueue":
        f.write(`upcall_enqueue${UPCALL_CMD[e.cmd] ?? ""} (${e.upcall_cpu}/${e.upcall_ts}) q ${e.queue_id} ret ${e.ret}`);
        break;
      case "upcall_return":
        f.write(`upcall_ret (${e.upcall_cpu}/${e.upcall_ts}) ret ${e.ret}`);
        break;
      case "recv_upcall":
        f.write(`upcall_recv q ${e.queue_id} pkt_size ${e.pkt_size}`);
        break;
      case "flow_operation":
        f.write(`flow_${e.op_type} q ${e.queue_id} ts ${e.batch_ts} (${e.batch_idx})`);
        break;
      case "action_execute":
        if (e.recirc_id !== 0) f.write(`[recirc_id ${hex0x(e.recirc_id)}] `);
        f.write(`exec${actionText(e)}`);
        if (e.queue_id !== undefined) f.write(` q ${e.queue_id}`);
        break;
      case "flow_lookup":
        fmtFlowLookup(f, e, o);
        break;
      default: {
        const never: never = e;
        void never;
      }
    }
  }
} as new (dict: OvsFields) => OvsSection;
