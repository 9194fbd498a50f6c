// Tunnel headers carried over UDP: VXLAN and Geneve.
import type { GeneveGroHint, GeneveLayer, GeneveOption, VxlanLayer } from "../../typings/packet-layers.js";
import { clampedSlice, u16, u24 } from "./bytes.js";
import type { Dissection, Next } from "./dissection.js";
import { EtherType } from "./names.js";

const VXLAN_SIZE = 8;
const GENEVE_SIZE = 8;
const GENEVE_OPTION_HEADER_SIZE = 4;
// Linux's netdev option class and its GRO hint type (drivers/net/geneve.c).
const NETDEV_CLASS = 0x0100;
const GRO_HINT_TYPE = 1;

export function parseVxlan(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < VXLAN_SIZE) return d.cut("vxlan", at, VXLAN_SIZE, end);
  const flags = d.data[at]!;
  const layer: VxlanLayer = {
    layer: "vxlan",
    offset: at,
    length: VXLAN_SIZE,
    flags,
    vniValid: (flags & 0x08) !== 0,
    vni: u24(d.data, at + 4),
  };
  d.add(layer, at + VXLAN_SIZE, end);
  return { parse: "ethernet", at: at + VXLAN_SIZE, end };
}

export function parseGeneve(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < GENEVE_SIZE) return d.cut("geneve", at, GENEVE_SIZE, end);
  const data = d.data;
  const optionsLength = (data[at]! & 0x3f) * 4;
  const headerEnd = at + GENEVE_SIZE + optionsLength;
  const layer: GeneveLayer = {
    layer: "geneve",
    offset: at,
    length: Math.min(headerEnd, end) - at,
    version: data[at]! >> 6,
    optionsLength,
    control: (data[at + 1]! & 0x80) !== 0,
    critical: (data[at + 1]! & 0x40) !== 0,
    protocol: u16(data, at + 2),
    vni: u24(data, at + 4),
    options: geneveOptions(clampedSlice(data, at + GENEVE_SIZE, headerEnd)),
  };
  d.add(layer, headerEnd, end);
  if (headerEnd > end) d.cut("geneve", at, headerEnd - at, end);
  // Geneve says "Ethernet follows" with TEB; any other EtherType is the payload itself, VLAN tags not walked.
  if (layer.protocol === EtherType.teb) return { parse: "ethernet", at: headerEnd, end };
  return { parse: "ethertype", type: layer.protocol, vlan: false, at: headerEnd, end };
}

function geneveOptions(bytes: Uint8Array): GeneveOption[] {
  const options: GeneveOption[] = [];
  let i = 0;
  while (bytes.length - i >= GENEVE_OPTION_HEADER_SIZE) {
    const optionClass = u16(bytes, i);
    const type = bytes[i + 2]!;
    const dataLength = (bytes[i + 3]! & 0x1f) * 4;
    const data = clampedSlice(bytes, i + GENEVE_OPTION_HEADER_SIZE, i + GENEVE_OPTION_HEADER_SIZE + dataLength);
    options.push({
      class: optionClass,
      type,
      critical: (type & 0x80) !== 0,
      dataLength,
      data,
      groHint: optionClass === NETDEV_CLASS && type === GRO_HINT_TYPE ? groHint(data) : undefined,
    });
    i += GENEVE_OPTION_HEADER_SIZE + dataLength;
  }
  return options;
}

function groHint(data: Uint8Array): GeneveGroHint | undefined {
  if (data.length < 4) return undefined;
  // `u8 inner_proto_id:2, nested_is_v6:1` in the kernel: C bit-fields fill from the low bits.
  return {
    innerProtoId: data[0]! & 0x03,
    nestedIsV6: (data[0]! & 0x04) !== 0,
    nestedNhOffset: data[1]!,
    nestedTpOffset: data[2]!,
    nestedHdrLen: data[3]!,
  };
}
