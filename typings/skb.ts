import type { Section } from "./section.js";

/** VLAN tag the driver took out of the packet (hardware acceleration). JSON `skb.vlan_accel`. */
export interface SkbVlanAccelFields {
  /** Tag protocol identifier, e.g. 0x8100. JSON `proto` (u16). */
  proto: number;
  /** Priority code point (CoS), 0–7. JSON `pcp` (u8). */
  pcp: number;
  /** Drop eligible indicator. JSON `dei`. */
  dei: boolean;
  /** VLAN id, 0–4095. JSON `vid` (u16). */
  vid: number;
}

/** Metadata of the skb. JSON `skb.meta`. */
export interface SkbMetaFields {
  /** Total length of the data (`skb->len`), in bytes. JSON `len` (u32). */
  len: number;
  /** Bytes held in pages rather than the linear area (`skb->data_len`). JSON `data_len` (u32). */
  data_len: number;
  /** Packet hash (`skb->hash`); 0 when not computed. JSON `hash` (u32). */
  hash: number;
  /**
   * Checksum status (`skb->ip_summed`), as include/linux/skbuff.h defines it. JSON `ip_summed` (u8).
   * - 0 `CHECKSUM_NONE`: on receive, the device gave no checksum (the stack verifies it); on transmit, no
   *   offload is wanted (the checksum is already in the packet, or not needed).
   * - 1 `CHECKSUM_UNNECESSARY`: the device verified the checksum(s); `csum_level` says how many.
   * - 2 `CHECKSUM_COMPLETE`: on receive, the device summed the whole packet as it was handed to the stack;
   *   that ones' complement sum is in `csum`.
   * - 3 `CHECKSUM_PARTIAL`: only the pseudo-header sum is in the packet; the device (or software fallback) must
   *   sum the bytes from `csum_start` to the end and store the result at `csum_start + csum_offset`. `csum`
   *   then holds those two offsets, not a checksum.
   */
  ip_summed: number;
  /**
   * The 32 bits of the kernel's `union { __wsum csum; struct { __u16 csum_start, csum_offset; } }` (`skb->csum`).
   * Complete (2): the ones' complement sum of the packet computed by the device. Partial (3): the two offsets
   * of the checksum the device must write, read as a little-endian u32 (x86, arm64): `csum & 0xffff` is
   * `csum_start`, where checksumming starts, counted from `skb->head` (not `skb->data`), and `csum >>> 16` is
   * `csum_offset`, where to store the result, counted from `csum_start` (16 for TCP, 6 for UDP). Retis prints
   * these as `partial (start … off …)`. None or unnecessary: leftover, meaningless. JSON `csum` (u32).
   */
  csum: number;
  /** With `ip_summed` unnecessary (1): the number of consecutive checksums verified, minus one (0 is the outermost only, up to 3) (`skb->csum_level`). JSON `csum_level` (u8). */
  csum_level: number;
  /** QoS priority (`skb->priority`). JSON `priority` (u32). */
  priority: number;
}

/** Data and reference counts of the skb. JSON `skb.data_ref`. */
export interface SkbDataRefFields {
  /** Only the payload is referenced (`skb->nohdr`). JSON `nohdr`. */
  nohdr: boolean;
  /** The skb is a clone (`skb->cloned`). JSON `cloned`. */
  cloned: boolean;
  /** Fast-clone state (`skb->fclone`). JSON `fclone` (u8). */
  fclone: number;
  /** References to the skb (`skb->users`). JSON `users` (u8). */
  users: number;
  /** References to the data (`skb_shinfo(skb)->dataref`). JSON `dataref` (u8). */
  dataref: number;
}

/** Generic segmentation offload information. JSON `skb.gso`. */
export interface SkbGsoFields {
  /** GSO flags, `SKBFL_*` (`skb_shinfo(skb)->flags`). JSON `flags` (u8). */
  flags: number;
  /** Number of page fragments (`skb_shinfo(skb)->nr_frags`). JSON `frags` (u8). */
  frags: number;
  /** Size of each segment (`gso_size`), in bytes. JSON `size` (u32). */
  size: number;
  /** Number of segments (`gso_segs`). JSON `segs` (u32). */
  segs: number;
  /** GSO type, `SKB_GSO_*` bits (`gso_type`). JSON `type` (u32). */
  type: number;
}

/** JSON shape of the `skb` section: each part is present only when collected (`--skb-sections`). */
export interface SkbFields {
  /** VLAN tag offloaded to the skb, when there is one. JSON `vlan_accel`. */
  vlan_accel?: SkbVlanAccelFields;
  /** Length, hash, checksum and priority. JSON `meta`. */
  meta?: SkbMetaFields;
  /** Clone and reference-count state. JSON `data_ref`. */
  data_ref?: SkbDataRefFields;
  /** Segmentation offload state; only for GSO packets. JSON `gso`. */
  gso?: SkbGsoFields;
}

/** The `skb` section: selected `struct sk_buff` fields. Retis `SkbEvent`. */
export interface SkbEvent extends SkbFields, Section<SkbFields> {}
