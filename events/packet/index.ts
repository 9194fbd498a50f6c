// Packet dissection and Retis's packet line.
import type { DissectedPacket } from "../../typings/packet-layers.js";
import { packetLine } from "./line/index.js";
import { Packet } from "./packet.js";

export type * from "../../typings/packet-layers.js";

/** Parses a captured frame (starting at its Ethernet header) into typed layers. Never throws: bad bytes end the layers early with `truncated` or `unsupported` set. */
export function dissect(data: Uint8Array): DissectedPacket {
  return new Packet(data);
}

/**
 * The packet line Retis prints for this frame (`RawPacket::event_fmt`), byte for byte. `linkLayer` is Retis's
 * `-e`: MAC addresses, EtherTypes and VLAN tags.
 */
export function formatPacketLine(data: Uint8Array, options: { linkLayer: boolean }): string {
  return packetLine(dissect(data), options.linkLayer);
}

export { ethertypeName, protocolName } from "./names.js";
