// Protocol names and numbers as Retis prints them (retis-events helpers/net.rs and its pnet fork).

export const EtherType = {
  ipv4: 0x0800,
  arp: 0x0806,
  teb: 0x6558,
  vlan: 0x8100,
  ipv6: 0x86dd,
  providerBridge: 0x88a8,
  macsec: 0x88e5,
  qinq: 0x9100,
} as const;

export const IpProtocol = {
  hopByHop: 0,
  icmp: 1,
  tcp: 6,
  udp: 17,
  routing: 43,
  fragment: 44,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  noNextHeader: 59,
  destinationOptions: 60,
  sctp: 132,
} as const;

const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0800, "IPv4"],
  [0x0806, "ARP"],
  [0x6558, "TEB"],
  [0x8035, "Reverse ARP"],
  [0x809b, "Appletalk"],
  [0x80f3, "Appletalk ARP"],
  [0x8100, "802.1Q"],
  [0x86dd, "IPv6"],
  [0x880b, "PPP"],
  [0x8847, "MPLS unicast"],
  [0x8848, "MPLS multicast"],
  [0x8863, "PPPoE D"],
  [0x8864, "PPPoE S"],
  [0x888e, "EAPOL"],
  [0x88a8, "802.1Q-QinQ"],
  [0x88e5, "802.1AE MACsec"],
  [0x88f7, "PTP"],
  [0x9100, "802.1Q-9100"],
]);

/** Retis's name of an EtherType (`IPv4`, `802.1Q`…), undefined for the ones it does not name. */
export function ethertypeName(type: number): string | undefined {
  return ETHERTYPE_NAMES.get(type);
}

const PROTOCOL_NAMES = new Map<number, string>([
  [1, "ICMP"],
  [2, "IGMP"],
  [4, "IPIP"],
  [6, "TCP"],
  [17, "UDP"],
  [27, "RDP"],
  [33, "DCCP"],
  [41, "IPv6"],
  [47, "GRE"],
  [50, "ESP"],
  [51, "AH"],
  [58, "ICMPv6"],
  [89, "OSPF"],
  [112, "VRRP"],
  [115, "L2TP"],
  [132, "SCTP"],
  [143, "Ethernet"],
]);

/** Retis's name of an IP protocol number (`TCP`, `ICMPv6`…), undefined for the ones it does not name. */
export function protocolName(protocol: number): string | undefined {
  return PROTOCOL_NAMES.get(protocol);
}

// Retis lists IPv6 extensions by pnet's `Display` of the protocol number, hence the CamelCase.
const EXTENSION_NAMES = new Map<number, string>([
  [0, "Hopopt"],
  [43, "Ipv6Route"],
  [44, "Ipv6Frag"],
  [60, "Ipv6Opts"],
  [135, "MobilityHeader"],
  [139, "Hip"],
  [140, "Shim6"],
  [253, "Test1"],
  [254, "Test2"],
]);

/** True for the IPv6 next-header values walked as extension headers. */
export function isIpv6Extension(protocol: number): boolean {
  return EXTENSION_NAMES.has(protocol);
}

/** The name Retis lists in `exts [...]` for an IPv6 extension header. */
export function extensionName(protocol: number): string {
  return EXTENSION_NAMES.get(protocol) ?? "unknown";
}

const SCTP_CHUNK_NAMES = [
  "DATA",
  "INIT",
  "INIT_ACK",
  "SACK",
  "HEARTBEAT",
  "HEARTBEAT_ACK",
  "ABORT",
  "SHUTDOWN",
  "SHUTDOWN_ACK",
  "ERROR",
  "COOKIE_ECHO",
  "COOKIE_ACK",
  "ECNE",
  "CWR",
  "SHUTDOWN_COMPLETE",
];

/** Retis's name of an SCTP chunk type, `UNKNOWN` past SHUTDOWN_COMPLETE (14). */
export function sctpChunkName(type: number): string {
  return SCTP_CHUNK_NAMES[type] ?? "UNKNOWN";
}

const TCP_OPTION_NAMES = new Map<number, string>([
  [0, "eol"],
  [1, "nop"],
  [2, "mss"],
  [3, "wscale"],
  [4, "sackOK"],
  [5, "sack"],
  [6, "echo"],
  [7, "echoreply"],
  [8, "TS"],
  [11, "cc"],
  [12, "ccnew"],
  [13, "ccecho"],
  [19, "md5"],
  [20, "scps"],
  [28, "uto"],
  [29, "tcp-ao"],
  [30, "mptcp"],
  [34, "tfo"],
  [254, "exp"],
]);

/** The name Retis prints for a TCP option kind, `?` when it has none. */
export function tcpOptionName(kind: number): string {
  return TCP_OPTION_NAMES.get(kind) ?? "?";
}
