// Link-layer headers: Ethernet, VLAN tags, MACsec, ARP.
import type { ArpLayer, EthernetLayer, MacsecLayer, VlanLayer } from "../../typings/packet-layers.js";
import { clampedSlice, hex, ipv4At, macAt, u16, u32 } from "./bytes.js";
import type { Dissection, Next } from "./dissection.js";

const ETHERNET_SIZE = 14;
const VLAN_SIZE = 4;
const MACSEC_SIZE = 6;
const SCI_SIZE = 8;
const ARP_SIZE = 28;

export function parseEthernet(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < ETHERNET_SIZE) return d.cut("ethernet", at, ETHERNET_SIZE, end);
  const data = d.data;
  const layer: EthernetLayer = {
    layer: "ethernet",
    offset: at,
    length: ETHERNET_SIZE,
    destination: macAt(data, at),
    source: macAt(data, at + 6),
    ethertype: u16(data, at + 12),
  };
  d.add(layer, at + ETHERNET_SIZE, end);
  return { parse: "ethertype", type: layer.ethertype, vlan: true, at: at + ETHERNET_SIZE, end };
}

export function parseVlan(d: Dissection, tpid: number, at: number, end: number): Next | undefined {
  if (d.available(at, end) < VLAN_SIZE) return d.cut("vlan", at, VLAN_SIZE, end);
  const tci = u16(d.data, at);
  const layer: VlanLayer = {
    layer: "vlan",
    offset: at,
    length: VLAN_SIZE,
    tpid,
    pcp: tci >> 13,
    dei: (tci & 0x1000) !== 0,
    vid: tci & 0x0fff,
    ethertype: u16(d.data, at + 2),
  };
  d.add(layer, at + VLAN_SIZE, end);
  return { parse: "ethertype", type: layer.ethertype, vlan: true, at: at + VLAN_SIZE, end };
}

export function parseMacsec(d: Dissection, at: number, end: number): Next | undefined {
  if (d.available(at, end) < MACSEC_SIZE) return d.cut("macsec", at, MACSEC_SIZE, end);
  const data = d.data;
  const tci = data[at]! >> 2;
  const sciPresent = (tci & 0x08) !== 0;
  const encrypted = (tci & 0x02) !== 0;
  const changed = (tci & 0x01) !== 0;
  const sciEnd = at + MACSEC_SIZE + (sciPresent ? SCI_SIZE : 0);
  // Neither encrypted nor changed: the protected frame's EtherType comes first in the user data.
  const clear = !encrypted && !changed;
  const ethertype = clear && sciEnd + 2 <= end ? u16(data, sciEnd) : undefined;
  const layer: MacsecLayer = {
    layer: "macsec",
    offset: at,
    length: Math.min(sciEnd, end) - at + (ethertype === undefined ? 0 : 2),
    version: (tci & 0x20) !== 0,
    endStation: (tci & 0x10) !== 0,
    sciPresent,
    singleCopyBroadcast: (tci & 0x04) !== 0,
    encrypted,
    changed,
    associationNumber: data[at]! & 0x03,
    shortLength: data[at + 1]! & 0x3f,
    packetNumber: u32(data, at + 2),
    sci: sciPresent ? hex(clampedSlice(data, at + MACSEC_SIZE, sciEnd)) : undefined,
    ethertype,
  };
  if (!clear) {
    d.add(layer, Math.min(sciEnd, end), end);
    // An SCI cut short leaves the SecTAG incomplete (found by the Scapy differential test).
    if (sciEnd > end) d.cut("macsec", at, sciEnd - at, end);
    return undefined;
  }
  if (ethertype === undefined) {
    d.add(layer, Math.min(sciEnd, end), end);
    return d.cut("macsec", at, sciEnd + 2 - at, end);
  }
  d.add(layer, sciEnd + 2, end);
  return { parse: "ethertype", type: ethertype, vlan: true, at: sciEnd + 2, end };
}

export function parseArp(d: Dissection, at: number, end: number): undefined {
  if (d.available(at, end) < ARP_SIZE) return d.cut("arp", at, ARP_SIZE, end);
  const data = d.data;
  // Fixed Ethernet/IPv4 layout whatever the length fields say, as Retis reads it.
  const layer: ArpLayer = {
    layer: "arp",
    offset: at,
    length: ARP_SIZE,
    hardwareType: u16(data, at),
    protocolType: u16(data, at + 2),
    hardwareLength: data[at + 4]!,
    protocolLength: data[at + 5]!,
    operation: u16(data, at + 6),
    senderMac: macAt(data, at + 8),
    senderIp: ipv4At(data, at + 14),
    targetMac: macAt(data, at + 18),
    targetIp: ipv4At(data, at + 24),
  };
  d.add(layer, at + ARP_SIZE, end);
  return undefined;
}
