import type { Section } from "./section.js";

/** JSON shape of the `userspace` section. */
export interface UserFields {
  /** How the probe is attached; only `usdt` exists. JSON `probe_type`. */
  probe_type: string;
  /** The USDT probe as `provider:name`, e.g. `dpif_recv:recv_upcall`. JSON `symbol`. */
  symbol: string;
  /** Instruction pointer: address of the probe in the binary. JSON `ip` (u64). */
  ip: bigint;
  /** Path of the binary holding the probe, e.g. `/usr/sbin/ovs-vswitchd`. JSON `path`. */
  path: string;
  /** Process id. JSON `pid` (i32). */
  pid: number;
  /** Thread id. JSON `tid` (i32). */
  tid: number;
}

/** The `userspace` section: which user-space (USDT) probe made the event. Retis `UserEvent`. */
export interface UserEvent extends UserFields, Section<UserFields> {}
