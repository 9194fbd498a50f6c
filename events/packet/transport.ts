// UDP and ICMP headers (TCP and SCTP have their own modules).
import type { IcmpLayer, Icmpv6Layer, UdpLayer } from "../../typings/packet-layers.js";
import { u16 } from "./bytes.js";
import type { Dissection, Next } from "./dissection.js";
import { udpTunnel } from "./dispatch.js";

const UDP_SIZE = 8;
const ICMP_SIZE = 4;
const ICMP_ECHO_SIZE = 8;

export function parseUdp(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < UDP_SIZE) return d.cut("udp", at, UDP_SIZE, end);
  const data = d.data;
  const layer: UdpLayer = {
    layer: "udp",
    offset: at,
    length: UDP_SIZE,
    sourcePort: u16(data, at),
    destinationPort: u16(data, at + 2),
    udpLength: u16(data, at + 4),
    checksum: u16(data, at + 6),
  };
  d.add(layer, at + UDP_SIZE, end);
  const tunnel = udpTunnel(layer.destinationPort);
  return tunnel === undefined ? undefined : { parse: tunnel, at: at + UDP_SIZE, end };
}

// Echo request and reply carry an identifier and a sequence number in the second word.
const ECHO_TYPES = { icmp: [0, 8], icmpv6: [128, 129] } as const;

export function parseIcmp(d: Dissection, version: "icmp" | "icmpv6", at: number, end: number): undefined {
  if (d.available(at, end) < ICMP_SIZE) return d.cut(version, at, ICMP_SIZE, end);
  const data = d.data;
  const type = data[at]!;
  const full = d.available(at, end) >= ICMP_ECHO_SIZE;
  const echo = full && (ECHO_TYPES[version] as readonly number[]).includes(type);
  const layer: IcmpLayer | Icmpv6Layer = {
    layer: version,
    offset: at,
    length: full ? ICMP_ECHO_SIZE : ICMP_SIZE,
    type,
    code: data[at + 1]!,
    checksum: u16(data, at + 2),
    identifier: echo ? u16(data, at + 4) : undefined,
    sequence: echo ? u16(data, at + 6) : undefined,
  };
  d.add(layer, at + layer.length, end);
  return undefined;
}
