import type { Section } from "./section.js";
import type { DissectedPacket } from "./packet-layers.js";

/** JSON shape of the `packet` section. */
export interface PacketFields {
  /** Length of the packet on the wire from its Ethernet header, in bytes (may exceed what was captured). JSON `len` (u32). */
  len: number;
  /** Number of bytes captured, at most 255: the length of `data`. JSON `capture_len` (u32). */
  capture_len: number;
  /** The captured bytes, base64. Always starts at an Ethernet header: a fake one (zero MACs, skb protocol) is added when the skb had none. JSON `data`. */
  data: string;
}

/** The `packet` section: the first bytes of the packet. Retis `PacketEvent`. */
export interface PacketEvent extends Omit<PacketFields, "data">, Section<PacketFields> {
  /** The captured bytes, from the Ethernet header on (Python `bytes(packet.data)`). JSON `data`, base64. */
  readonly data: Uint8Array;
  /** Parses the captured bytes into typed layers (Ethernet, 802.1Q, ARP, IPv4, IPv6, TCP, UDP, ICMP, VXLAN, Geneve…): the stand-in for Python's `to_scapy()`. */
  dissect(): DissectedPacket;
}
