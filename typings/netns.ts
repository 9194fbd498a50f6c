import type { Section } from "./section.js";

/** JSON shape of the `netns` section. */
export interface NetnsFields {
  /** Unique id of the network namespace (`bpf_get_netns_cookie`); absent on older kernels. JSON `cookie` (u64). */
  cookie?: bigint;
  /** Inode number of the network namespace, from the device or else the socket (`ns.inum`), as in `/proc/PID/ns/net`. JSON `inum` (u32). */
  inum: number;
}

/** The `netns` section: the network namespace the packet was in. Retis `NetnsEvent`. */
export interface NetnsEvent extends NetnsFields, Section<NetnsFields> {}
