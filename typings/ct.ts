import type { Section, U128 } from "./section.js";

/** Conntrack state of the packet (`enum ip_conntrack_info`). */
export type CtState = "established" | "related" | "new" | "reply" | "related_reply" | "untracked";

/** Direction a conntrack zone applies to; PascalCase as Retis writes it. */
export type ZoneDir = "Original" | "Reply" | "Default" | "None";

/** Addresses of a conntrack tuple. */
export interface CtIp {
  /** Source address, dotted or RFC 5952 text. JSON `src`. */
  src: string;
  /** Destination address. JSON `dst`. */
  dst: string;
  /** IP version: `v4` or `v6`. JSON `version`. */
  version: "v4" | "v6";
}

/** TCP or UDP ports of a tuple. */
export interface CtPorts {
  /** Source port. JSON `sport` (u16). */
  sport: number;
  /** Destination port. JSON `dport` (u16). */
  dport: number;
}

/** ICMP identity of a tuple. */
export interface CtIcmp {
  /** ICMP code. JSON `code` (u8). */
  code: number;
  /** ICMP type. JSON `type` (u8). */
  type: number;
  /** ICMP echo identifier. JSON `id` (u16). */
  id: number;
}

/** SCTP identity of a tuple. */
export interface CtSctp extends CtPorts {
  /** Verification tag. JSON `vtag` (u32). */
  vtag: number;
}

/** Protocol part of a tuple: exactly one key is present. JSON `proto`. */
export type CtProto =
  | { /** TCP ports. */ tcp: CtPorts }
  | { /** UDP ports. */ udp: CtPorts }
  | { /** ICMP type, code and id. */ icmp: CtIcmp }
  | { /** SCTP ports and verification tag. */ sctp: CtSctp };

/** One direction of a connection. */
export interface CtTuple {
  /** Addresses. JSON `ip`. */
  ip: CtIp;
  /** Protocol and ports. JSON `proto`. */
  proto: CtProto;
}

/** A conntrack connection (`struct nf_conn`). */
export interface CtConnFields {
  /** Conntrack zone id. JSON `zone_id` (u16). */
  zone_id: number;
  /** Direction the zone applies to. JSON `zone_dir`. */
  zone_dir: ZoneDir;
  /** Tuple of the original direction. JSON `orig`. */
  orig: CtTuple;
  /** Tuple of the reply direction. JSON `reply`. */
  reply: CtTuple;
  /** Protocol state: `tcp_conntrack` or `sctp_conntrack` name without prefix (`ESTABLISHED`, `SYN_SENT`…), or its number when unknown. JSON `proto_state` (`tcp_state` before Retis 1.7). */
  proto_state?: string;
  /** Connection mark (`ct->mark`); only with `CONFIG_NF_CONNTRACK_MARK`. JSON `mark` (u32). */
  mark?: number;
  /** Connection labels (`ct->ext` labels); absent when zero. JSON `labels` (u128 as `{hi, lo}`). */
  labels?: U128;
  /** Status bits (`ct->status`, `IPS_*`). JSON `ct_status` (u64). */
  ct_status: bigint;
}

/** JSON shape of the `ct` section: the state, the connection's fields flattened beside it, and its parent. */
export interface CtFields extends CtConnFields {
  /** Conntrack state of this packet. JSON `state`. */
  state: CtState;
  /** The connection this one is related to (e.g. the control connection of an FTP data connection). JSON `parent`. */
  parent?: CtConnFields;
}

/** The `ct` section: the packet's conntrack entry. Retis `CtEvent`. */
export interface CtEvent extends CtFields, Section<CtFields> {}
