// What follows a header, decided once for both the dissector and the packet line so they cannot disagree.
// The choices are Retis's: VLAN tags are walked only where Retis walks them, IPv6 extension headers only
// right after the IPv6 header, and VXLAN/Geneve are recognized by UDP destination port alone.
import { EtherType, IpProtocol, isIpv6Extension } from "./names.js";

export type EthertypeStep = "vlan" | "macsec" | "arp" | "ipv4" | "ipv6";

/** The header an EtherType announces, undefined when unsupported. `vlan` is false where Retis does not walk tags (inside Geneve). */
export function ethertypeStep(type: number, vlan: boolean): EthertypeStep | undefined {
  switch (type) {
    case EtherType.vlan:
    case EtherType.providerBridge:
    case EtherType.qinq:
      return vlan ? "vlan" : undefined;
    case EtherType.macsec:
      return "macsec";
    case EtherType.arp:
      return "arp";
    case EtherType.ipv4:
      return "ipv4";
    case EtherType.ipv6:
      return "ipv6";
    default:
      return undefined;
  }
}

export type ProtocolStep = "tcp" | "udp" | "icmp" | "icmpv6" | "ah" | "esp" | "sctp" | "ipv6-extension" | "end";

/**
 * The header an IP protocol number announces, undefined when unsupported. `extensions` is true in the IPv6
 * header chain, where extension headers are walked and "no next header" (59) ends the packet.
 */
export function protocolStep(protocol: number, extensions: boolean): ProtocolStep | undefined {
  switch (protocol) {
    case IpProtocol.tcp:
      return "tcp";
    case IpProtocol.udp:
      return "udp";
    case IpProtocol.icmp:
      return "icmp";
    case IpProtocol.icmpv6:
      return "icmpv6";
    case IpProtocol.ah:
      return "ah";
    case IpProtocol.esp:
      return "esp";
    case IpProtocol.sctp:
      return "sctp";
    default:
      if (!extensions) return undefined;
      if (protocol === IpProtocol.noNextHeader) return "end";
      return isIpv6Extension(protocol) ? "ipv6-extension" : undefined;
  }
}

/** The tunnel a UDP destination port carries: VXLAN on 4789 and 8472 (Linux's old default), Geneve on 6081. */
export function udpTunnel(destinationPort: number): "vxlan" | "geneve" | undefined {
  if (destinationPort === 4789 || destinationPort === 8472) return "vxlan";
  if (destinationPort === 6081) return "geneve";
  return undefined;
}

/** Retis's words for an unsupported EtherType: `ethertype 0x88cc`. */
export function unsupportedEthertype(type: number): string {
  return `ethertype 0x${type.toString(16).padStart(4, "0")}`;
}

/** Retis's words for an unsupported IP protocol: `protocol 0x2f`. */
export function unsupportedProtocol(protocol: number): string {
  return `protocol 0x${protocol.toString(16)}`;
}
