// Network-layer headers: IPv4 (with options), IPv6 and its extension headers.
import type {
  Ipv4Layer,
  Ipv4Option,
  Ipv6DestinationOptionsLayer,
  Ipv6FragmentLayer,
  Ipv6HopByHopLayer,
  Ipv6Layer,
  Ipv6Option,
  Ipv6OtherExtensionLayer,
  Ipv6RoutingLayer,
} from "../../typings/packet-layers.js";
import { clampedSlice, ipv4At, ipv6At, u16, u32 } from "./bytes.js";
import type { Dissection, Next } from "./dissection.js";
import { IpProtocol } from "./names.js";

const IPV4_SIZE = 20;
const IPV6_SIZE = 40;

export function parseIpv4(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < IPV4_SIZE) return d.cut("ipv4", at, IPV4_SIZE, end);
  const data = d.data;
  const ihl = data[at]! & 0x0f;
  const flagsAndOffset = u16(data, at + 6);
  const optionsEnd = at + Math.max(IPV4_SIZE, ihl * 4);
  const totalLength = u16(data, at + 2);
  const layer: Ipv4Layer = {
    layer: "ipv4",
    offset: at,
    length: Math.min(optionsEnd, end) - at,
    version: data[at]! >> 4,
    ihl,
    dscp: data[at + 1]! >> 2,
    ecn: data[at + 1]! & 0x03,
    totalLength,
    identification: u16(data, at + 4),
    reservedFlag: (flagsAndOffset & 0x8000) !== 0,
    dontFragment: (flagsAndOffset & 0x4000) !== 0,
    moreFragments: (flagsAndOffset & 0x2000) !== 0,
    fragmentOffset: (flagsAndOffset & 0x1fff) * 8,
    ttl: data[at + 8]!,
    protocol: data[at + 9]!,
    checksum: u16(data, at + 10),
    source: ipv4At(data, at + 12),
    destination: ipv4At(data, at + 16),
    options: ipv4Options(clampedSlice(data, at + IPV4_SIZE, Math.min(optionsEnd, end))),
  };
  // The payload is what the total length announces past the header, as far as captured.
  const declaredEnd = optionsEnd + Math.max(0, totalLength - ihl * 4);
  const payloadEnd = Math.min(declaredEnd, end);
  d.add(layer, optionsEnd, payloadEnd);
  if (optionsEnd > end) d.cut("ipv4", at, optionsEnd - at, end);
  // A non-first fragment carries the middle of the datagram, no transport header (RFC 791): its bytes are payload.
  // Retis decodes them as a header anyway and prints invented ports; here they stay payload, as in Scapy.
  if (layer.fragmentOffset > 0) return undefined;
  return { parse: "protocol", protocol: layer.protocol, extensions: false, at: optionsEnd, end: payloadEnd, declaredEnd };
}

function ipv4Options(bytes: Uint8Array): Ipv4Option[] {
  const options: Ipv4Option[] = [];
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i]!;
    const number = first & 0x1f;
    // EOL and NOP are single bytes; every other option has a length byte counting type and length.
    const single = number === 0 || number === 1;
    const optionLength = single ? undefined : bytes[i + 1];
    const dataLength = optionLength === undefined ? 0 : Math.max(0, optionLength - 2);
    const dataStart = i + (single ? 1 : 2);
    options.push({
      copied: (first & 0x80) !== 0,
      class: (first >> 5) & 0x03,
      number,
      optionLength,
      data: clampedSlice(bytes, dataStart, dataStart + dataLength),
    });
    i = dataStart + dataLength;
  }
  return options;
}

export function parseIpv6(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < IPV6_SIZE) return d.cut("ipv6", at, IPV6_SIZE, end);
  const data = d.data;
  const first = u32(data, at);
  const trafficClass = (first >>> 20) & 0xff;
  const payloadLength = u16(data, at + 4);
  const layer: Ipv6Layer = {
    layer: "ipv6",
    offset: at,
    length: IPV6_SIZE,
    version: first >>> 28,
    trafficClass,
    dscp: trafficClass >> 2,
    ecn: trafficClass & 0x03,
    flowLabel: first & 0xfffff,
    payloadLength,
    nextHeader: data[at + 6]!,
    hopLimit: data[at + 7]!,
    source: ipv6At(data, at + 8),
    destination: ipv6At(data, at + 24),
  };
  const declaredEnd = at + IPV6_SIZE + payloadLength;
  const payloadEnd = Math.min(declaredEnd, end);
  d.add(layer, at + IPV6_SIZE, payloadEnd);
  return { parse: "protocol", protocol: layer.nextHeader, extensions: true, at: at + IPV6_SIZE, end: payloadEnd, declaredEnd };
}

/** Any IPv6 extension header layer. */
export type Ipv6ExtensionLayer =
  | Ipv6HopByHopLayer
  | Ipv6DestinationOptionsLayer
  | Ipv6RoutingLayer
  | Ipv6FragmentLayer
  | Ipv6OtherExtensionLayer;

/** Layer tag of an IPv6 extension header by its protocol number. */
export function extensionLayerName(protocol: number): Ipv6ExtensionLayer["layer"] {
  switch (protocol) {
    case IpProtocol.hopByHop:
      return "ipv6-hop-by-hop";
    case IpProtocol.destinationOptions:
      return "ipv6-destination-options";
    case IpProtocol.routing:
      return "ipv6-routing";
    case IpProtocol.fragment:
      return "ipv6-fragment";
    default:
      return "ipv6-extension";
  }
}

export function parseIpv6Extension(d: Dissection, protocol: number, at: number, end: number, declaredEnd: number): Next | undefined {
  const name = extensionLayerName(protocol);
  if (d.available(at, end) < 2) return d.cut(name, at, 8, end);
  const data = d.data;
  // The fragment header is always 8 bytes; the others count 8-byte units after the first 8.
  const headerLength = protocol === IpProtocol.fragment ? 8 : 8 + data[at + 1]! * 8;
  if (d.available(at, end) < headerLength) return d.cut(name, at, headerLength, end);
  const base = { offset: at, length: headerLength, protocol, nextHeader: data[at]!, headerLength };
  const body = data.subarray(at + 2, at + headerLength);
  let layer: Ipv6ExtensionLayer;
  switch (name) {
    case "ipv6-hop-by-hop":
    case "ipv6-destination-options":
      layer = { layer: name, ...base, options: ipv6Options(body) };
      break;
    case "ipv6-routing":
      layer = { layer: name, ...base, routingType: body[0]!, segmentsLeft: body[1]!, data: body.subarray(2) };
      break;
    case "ipv6-fragment": {
      const offsetAndFlags = u16(data, at + 2);
      layer = {
        layer: name,
        ...base,
        fragmentOffset: offsetAndFlags & 0xfff8,
        moreFragments: (offsetAndFlags & 0x01) !== 0,
        identification: u32(data, at + 4),
      };
      break;
    }
    case "ipv6-extension":
      layer = { layer: name, ...base, data: body };
      break;
  }
  d.add(layer, at + headerLength, end);
  // After a non-first fragment's header comes the middle of the packet, not the next header (RFC 8200 §4.5).
  if (layer.layer === "ipv6-fragment" && layer.fragmentOffset > 0) return undefined;
  return { parse: "protocol", protocol: layer.nextHeader, extensions: true, at: at + headerLength, end, declaredEnd };
}

function ipv6Options(bytes: Uint8Array): Ipv6Option[] {
  const options: Ipv6Option[] = [];
  let i = 0;
  while (i < bytes.length) {
    const type = bytes[i]!;
    if (type === 0) {
      // Pad1 is the only option without a length byte.
      options.push({ type, data: bytes.subarray(i + 1, i + 1) });
      i += 1;
      continue;
    }
    const dataLength = bytes[i + 1] ?? 0;
    options.push({ type, data: clampedSlice(bytes, i + 2, i + 2 + dataLength) });
    i += 2 + dataLength;
  }
  return options;
}
