// Retis's packet line (`RawPacket::event_fmt`), written from a dissection.
import type { DissectedPacket } from "../../../typings/packet-layers.js";
import { Line } from "./context.js";
import { formatEthernet } from "./link.js";

/** The packet line of a dissected packet, byte for byte as Retis prints it (`linkLayer` is Retis's `-e`). */
export function packetLine(packet: DissectedPacket, linkLayer: boolean): string {
  const line = new Line(packet.layers, linkLayer, packet.truncated);
  return line.finish(line.expect("ethernet", (eth) => formatEthernet(line, eth)));
}
