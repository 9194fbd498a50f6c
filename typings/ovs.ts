import type { Section } from "./section.js";
import type { Ufid } from "./ovs-detrace.js";

/** Start of an upcall: the kernel datapath sends the packet to ovs-vswitchd (`ovs_dp_upcall`). */
export interface OvsUpcall {
  event_type: "upcall";
  /** Upcall command (`OVS_PACKET_CMD_*`): 0 unspec, 1 miss, 2 action, 3 execute. JSON `cmd` (u8). */
  cmd: number;
  /** Datapath port the packet came in on. JSON `port` (u32). */
  port: number;
  /** CPU of the upcall; with the event's timestamp it identifies the upcall. JSON `cpu` (u32). */
  cpu: number;
}

/** The upcall packet was put on a Netlink queue (one upcall may enqueue several times). */
export interface OvsUpcallEnqueue {
  event_type: "upcall_enqueue";
  /** Result of the enqueue; non-zero means it failed, most likely a full queue. JSON `ret` (i32). */
  ret: number;
  /** Upcall command (`OVS_PACKET_CMD_*`). JSON `cmd` (u8). */
  cmd: number;
  /** Netlink port id of the queue. JSON `port` (u32). */
  port: number;
  /** Timestamp of the upcall this belongs to, monotonic ns. JSON `upcall_ts` (u64). */
  upcall_ts: bigint;
  /** CPU of the upcall this belongs to. JSON `upcall_cpu` (u32). */
  upcall_cpu: number;
  /** Id tying the queued packet to its later handling in ovs-vswitchd. JSON `queue_id` (u32). */
  queue_id: number;
}

/** End of an upcall (`ovs_dp_upcall` return). */
export interface OvsUpcallReturn {
  event_type: "upcall_return";
  /** Timestamp of the upcall, monotonic ns. JSON `upcall_ts` (u64). */
  upcall_ts: bigint;
  /** CPU of the upcall. JSON `upcall_cpu` (u32). */
  upcall_cpu: number;
  /** Return value of the upcall. JSON `ret` (i32). */
  ret: number;
}

/** ovs-vswitchd received an upcall (USDT `dpif_recv:recv_upcall`). */
export interface OvsRecvUpcall {
  event_type: "recv_upcall";
  /** Upcall type. JSON `type` (u32). */
  type: number;
  /** Size of the packet, in bytes. JSON `pkt_size` (u32). */
  pkt_size: number;
  /** Size of the flow key, in bytes. JSON `key_size` (u64). */
  key_size: bigint;
  /** Id tying this to its enqueue event. JSON `queue_id` (u32). */
  queue_id: number;
  /** When the batch of upcalls started, monotonic ns. JSON `batch_ts` (u64). */
  batch_ts: bigint;
  /** Position within the batch. JSON `batch_idx` (u8). */
  batch_idx: number;
}

/** ovs-vswitchd put a flow or executed actions for an upcall. */
export interface OvsFlowOperation {
  event_type: "flow_operation";
  /** `put` (install a flow) or `exec` (execute actions). JSON `op_type`. */
  op_type: "exec" | "put";
  /** Id tying this to its enqueue event. JSON `queue_id` (u32). */
  queue_id: number;
  /** When the batch of upcalls started, monotonic ns. JSON `batch_ts` (u64). */
  batch_ts: bigint;
  /** Position within the batch. JSON `batch_idx` (u8). */
  batch_idx: number;
}

/** NAT settings of a conntrack action. */
export interface OvsActionCtNat {
  /** NAT direction: `src` or `dst`. JSON `dir`. */
  dir?: "src" | "dst";
  /** Lowest address of the NAT range. JSON `min_addr`. */
  min_addr?: string;
  /** Highest address of the NAT range. JSON `max_addr`. */
  max_addr?: string;
  /** Lowest port of the NAT range. JSON `min_port` (u16). */
  min_port?: number;
  /** Highest port of the NAT range. JSON `max_port` (u16). */
  max_port?: number;
}

/** Datapath actions that carry no fields. */
export type OvsPlainAction =
  | "userspace" | "set" | "push_vlan" | "pop_vlan" | "sample" | "hash" | "push_mpls" | "pop_mpls" | "set_masked"
  | "trunc" | "push_eth" | "pop_eth" | "ct_clear" | "push_nsh" | "pop_nsh" | "meter" | "clone" | "check_pkt_len"
  | "add_mpls" | "dec_ttl";

/** The action an `action_execute` event ran, flattened beside it: the `action` key names it. */
export type OvsAction =
  | { /** Send the packet to a port. */ action: "output"; /** Datapath port. JSON `port` (u32). */ port: number }
  | { /** Recirculate the packet. */ action: "recirc"; /** Recirculation id. JSON `id` (u32). */ id: number }
  | { /** Drop the packet. */ action: "drop"; /** Drop reason (`enum ovs_drop_reason`). JSON `reason` (u32). */ reason: number }
  | {
      /** Send the packet through conntrack. */
      action: "ct";
      /** Flags: commit 1, force 2, ip4 4, ip6 8, nat 16, src 32, dst 64, map_ips 128, proto_specified 256, random 512, persistent 1024, random_fully 2048. JSON `flags` (u32). */
      flags: number;
      /** Conntrack zone. JSON `zone_id` (u16). */
      zone_id: number;
      /** NAT settings, when the action does NAT. JSON `nat`. */
      nat?: OvsActionCtNat;
    }
  | { /** A datapath action without fields. */ action: OvsPlainAction }
  | { /** No action was decoded (printed `unspec`). */ action?: undefined };

/** A datapath action was executed on the packet (`openvswitch:ovs_do_execute_action`). */
export type OvsActionExecute = {
  event_type: "action_execute";
  /** Recirculation id of the flow. JSON `recirc_id` (u32). */
  recirc_id: number;
  /** Id tying this to an upcall, when the packet came back from ovs-vswitchd. JSON `queue_id` (u32). */
  queue_id?: number;
} & OvsAction;

/** A datapath flow lookup (`ovs_flow_tbl_lookup`); `flow` 0 means a miss. */
export interface OvsFlowLookup {
  event_type: "flow_lookup";
  /** Address of the matched flow; 0 on a miss. JSON `flow` (u64). */
  flow: bigint;
  /** Address of the matched flow's actions. JSON `sf_acts` (u64). */
  sf_acts: bigint;
  /** Unique flow id of the matched flow. JSON `ufid`. */
  ufid: Ufid;
  /** Mask tables looked up. JSON `n_mask_hit` (u32). */
  n_mask_hit: number;
  /** Cache hits during the lookup. JSON `n_cache_hit` (u32). */
  n_cache_hit: number;
  /** The datapath flow, filled by `retis sort` from `ovs-detrace` events; empty otherwise. JSON `dpflow`. */
  dpflow: string;
  /** OpenFlow flows behind it, filled by `retis sort` from `ovs-detrace` events; empty otherwise. JSON `ofpflows`. */
  ofpflows: string[];
}

/** JSON shape of the `ovs` section: one of its event types, named by `event_type`. */
export type OvsFields =
  | OvsUpcall
  | OvsUpcallEnqueue
  | OvsUpcallReturn
  | OvsRecvUpcall
  | OvsFlowOperation
  | OvsActionExecute
  | OvsFlowLookup;

/** Names of the OVS event types. */
export type OvsEventType = OvsFields["event_type"];

/** The `ovs` section: an Open vSwitch datapath or ovs-vswitchd event; narrow it on `event_type`. Retis `OvsEvent`. */
export type OvsEvent = OvsFields & Section<OvsFields>;
