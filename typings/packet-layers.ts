// The layers `packet.dissect()` returns. Types only: events/packet/ implements them.
// Every layer is tagged by `layer`; narrow with `switch (l.layer)` or `packet.find("tcp")`.
// Addresses are text (MAC lowercase colon-separated, IPv4 dotted, IPv6 RFC 5952); numbers are numbers.

/** Where a layer sits in the captured bytes. */
export interface LayerPosition {
  /** Byte offset of this header from the start of the captured data (the Ethernet header is at 0). */
  readonly offset: number;
  /** Bytes of this header present in the capture (less than the protocol's header size when cut short). */
  readonly length: number;
}

/** Ethernet II header. */
export interface EthernetLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "ethernet";
  /** Destination MAC address, e.g. `ae:b0:4a:6a:bf:af`. */
  readonly destination: string;
  /** Source MAC address, e.g. `9e:1d:3d:31:9e:3b`. */
  readonly source: string;
  /** EtherType of what follows (0x0800 IPv4, 0x86dd IPv6, 0x8100 VLAN…). */
  readonly ethertype: number;
}

/** 802.1Q or 802.1ad VLAN tag (the 4 bytes after the TPID). */
export interface VlanLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "vlan";
  /** The EtherType that introduced this tag: 0x8100 (802.1Q), 0x88a8 (802.1ad) or 0x9100. */
  readonly tpid: number;
  /** Priority code point, 0–7. */
  readonly pcp: number;
  /** Drop eligible indicator bit. */
  readonly dei: boolean;
  /** VLAN identifier, 0–4095. */
  readonly vid: number;
  /** EtherType of what follows the tag. */
  readonly ethertype: number;
}

/** IEEE 802.1AE MACsec SecTAG. */
export interface MacsecLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "macsec";
  /** TCI V bit: version, must be 0. */
  readonly version: boolean;
  /** TCI ES bit: sent by an end station. */
  readonly endStation: boolean;
  /** TCI SC bit: an explicit SCI follows. */
  readonly sciPresent: boolean;
  /** TCI SCB bit: single copy broadcast. */
  readonly singleCopyBroadcast: boolean;
  /** TCI E bit: the user data is encrypted. */
  readonly encrypted: boolean;
  /** TCI C bit: the user data was changed (not the original frame). */
  readonly changed: boolean;
  /** Association number, 0–3. */
  readonly associationNumber: number;
  /** Short length: user data length when under 48 bytes, else 0. */
  readonly shortLength: number;
  /** Packet number (replay protection counter). */
  readonly packetNumber: number;
  /** Secure channel identifier in hex (16 digits, fewer when cut off), when `sciPresent`. */
  readonly sci: string | undefined;
  /** EtherType of the protected frame, when neither encrypted nor changed and captured. */
  readonly ethertype: number | undefined;
}

/** ARP (Ethernet/IPv4 layout: 6-byte hardware and 4-byte protocol addresses). */
export interface ArpLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "arp";
  /** Hardware type (1 for Ethernet). */
  readonly hardwareType: number;
  /** Protocol type, an EtherType (0x0800 for IPv4). */
  readonly protocolType: number;
  /** Hardware address length, in bytes. */
  readonly hardwareLength: number;
  /** Protocol address length, in bytes. */
  readonly protocolLength: number;
  /** Operation: 1 request, 2 reply, 3 reverse request, 4 reverse reply. */
  readonly operation: number;
  /** Sender hardware (MAC) address. */
  readonly senderMac: string;
  /** Sender protocol (IPv4) address. */
  readonly senderIp: string;
  /** Target hardware (MAC) address; all zero in a request. */
  readonly targetMac: string;
  /** Target protocol (IPv4) address. */
  readonly targetIp: string;
}

/** One IPv4 option, as found in the header. */
export interface Ipv4Option {
  /** Copied flag: the option is copied into every fragment. */
  readonly copied: boolean;
  /** Option class, 0–3 (0 control, 2 debugging and measurement). */
  readonly class: number;
  /** Option number, 0–31 (0 EOL, 1 NOP, 7 record route, 20 router alert…). */
  readonly number: number;
  /** The option's length byte (type and length included), absent for EOL and NOP. */
  readonly optionLength: number | undefined;
  /** The option data after the type and length bytes, as captured. */
  readonly data: Uint8Array;
}

/** IPv4 header. */
export interface Ipv4Layer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "ipv4";
  /** Version field (4 for a sane packet). */
  readonly version: number;
  /** Internet header length, in 32-bit words (5 without options). */
  readonly ihl: number;
  /** Differentiated services code point, 0–63. */
  readonly dscp: number;
  /** ECN field: 0 not ECT, 1 ECT(1), 2 ECT(0), 3 CE. */
  readonly ecn: number;
  /** Total length of the datagram (header and payload), in bytes; 0 when the kernel has not filled it yet. */
  readonly totalLength: number;
  /** Identification, used to reassemble fragments. */
  readonly identification: number;
  /** Reserved flag: the high bit of the 3-bit flags field (the "evil bit"). */
  readonly reservedFlag: boolean;
  /** Don't fragment flag. */
  readonly dontFragment: boolean;
  /** More fragments flag. */
  readonly moreFragments: boolean;
  /** Fragment offset, in bytes (the 13-bit field times 8). */
  readonly fragmentOffset: number;
  /** Time to live, in hops. */
  readonly ttl: number;
  /** Protocol of the payload (6 TCP, 17 UDP, 1 ICMP, 132 SCTP…). */
  readonly protocol: number;
  /** Header checksum, as found (not verified). */
  readonly checksum: number;
  /** Source address, dotted decimal. */
  readonly source: string;
  /** Destination address, dotted decimal. */
  readonly destination: string;
  /** Options, in order, including EOL and the padding after it. */
  readonly options: readonly Ipv4Option[];
}

/** IPv6 fixed header. */
export interface Ipv6Layer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "ipv6";
  /** Version field (6 for a sane packet). */
  readonly version: number;
  /** Traffic class byte (DSCP << 2 | ECN). */
  readonly trafficClass: number;
  /** Differentiated services code point, 0–63 (upper 6 bits of the traffic class). */
  readonly dscp: number;
  /** ECN field: 0 not ECT, 1 ECT(1), 2 ECT(0), 3 CE. */
  readonly ecn: number;
  /** Flow label, 20 bits. */
  readonly flowLabel: number;
  /** Payload length (extension headers included), in bytes; 0 for jumbograms or unfilled GSO headers. */
  readonly payloadLength: number;
  /** Next header: first extension header or upper-layer protocol number. */
  readonly nextHeader: number;
  /** Hop limit, in hops. */
  readonly hopLimit: number;
  /** Source address, RFC 5952 text. */
  readonly source: string;
  /** Destination address, RFC 5952 text. */
  readonly destination: string;
}

/** One option of a hop-by-hop or destination options header (Pad1 and PadN included). */
export interface Ipv6Option {
  /** Option type (0 Pad1, 1 PadN, 5 router alert, 0xc2 jumbo payload…). */
  readonly type: number;
  /** Option data, as captured. */
  readonly data: Uint8Array;
}

/** Fields common to the IPv6 extension headers. */
export interface Ipv6ExtensionBase extends LayerPosition {
  /** Protocol number of this extension header (0, 43, 44, 60, 135, 139, 140, 253, 254). */
  readonly protocol: number;
  /** Next header: following extension header or upper-layer protocol number. */
  readonly nextHeader: number;
  /** Size of this extension header, in bytes, as declared. */
  readonly headerLength: number;
}

/** IPv6 hop-by-hop options header (protocol 0). */
export interface Ipv6HopByHopLayer extends Ipv6ExtensionBase {
  /** Layer tag. */
  readonly layer: "ipv6-hop-by-hop";
  /** The options, in order. */
  readonly options: readonly Ipv6Option[];
}

/** IPv6 destination options header (protocol 60). */
export interface Ipv6DestinationOptionsLayer extends Ipv6ExtensionBase {
  /** Layer tag. */
  readonly layer: "ipv6-destination-options";
  /** The options, in order. */
  readonly options: readonly Ipv6Option[];
}

/** IPv6 routing header (protocol 43). */
export interface Ipv6RoutingLayer extends Ipv6ExtensionBase {
  /** Layer tag. */
  readonly layer: "ipv6-routing";
  /** Routing type (4 segment routing, 0 deprecated source route…). */
  readonly routingType: number;
  /** Segments left: route segments still to visit. */
  readonly segmentsLeft: number;
  /** Type-specific data after the first 4 bytes, as captured. */
  readonly data: Uint8Array;
}

/** IPv6 fragment header (protocol 44). */
export interface Ipv6FragmentLayer extends Ipv6ExtensionBase {
  /** Layer tag. */
  readonly layer: "ipv6-fragment";
  /** Fragment offset, in bytes (the 13-bit field times 8). */
  readonly fragmentOffset: number;
  /** M flag: more fragments follow. */
  readonly moreFragments: boolean;
  /** Identification shared by the fragments of one packet. */
  readonly identification: number;
}

/** Another IPv6 extension header: mobility (135), HIP (139), Shim6 (140), experimental (253, 254). */
export interface Ipv6OtherExtensionLayer extends Ipv6ExtensionBase {
  /** Layer tag. */
  readonly layer: "ipv6-extension";
  /** The header's bytes after next header and length, as captured. */
  readonly data: Uint8Array;
}

/** A decoded TCP option; `kind` tells which. */
export type TcpOption =
  | TcpOptionEol
  | TcpOptionNop
  | TcpOptionMss
  | TcpOptionWindowScale
  | TcpOptionSackPermitted
  | TcpOptionSack
  | TcpOptionTimestamps
  | TcpOptionFastOpen
  | TcpOptionOther;

/** Fields every TCP option has. */
export interface TcpOptionBase {
  /** Option kind number (0 EOL, 1 NOP, 2 MSS, 3 window scale, 4 SACK permitted, 5 SACK, 8 timestamps…). */
  readonly number: number;
  /** The option's length byte (kind and length included), absent for EOL and NOP or when cut off. */
  readonly optionLength: number | undefined;
  /** The option data after kind and length, as captured. */
  readonly data: Uint8Array;
}

/** End of option list (kind 0). */
export interface TcpOptionEol extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "eol";
}

/** No-operation padding (kind 1). */
export interface TcpOptionNop extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "nop";
}

/** Maximum segment size (kind 2). */
export interface TcpOptionMss extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "mss";
  /** Maximum segment size, in bytes; undefined when cut off. */
  readonly mss: number | undefined;
}

/** Window scale (kind 3). */
export interface TcpOptionWindowScale extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "wscale";
  /** Shift count applied to the window field; undefined when cut off. */
  readonly shift: number | undefined;
}

/** SACK permitted (kind 4). */
export interface TcpOptionSackPermitted extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "sackOK";
}

/** One selectively acknowledged block of sequence space. */
export interface SackBlock {
  /** First sequence number of the block. */
  readonly left: number;
  /** Sequence number just after the block. */
  readonly right: number;
}

/** Selective acknowledgment (kind 5). */
export interface TcpOptionSack extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "sack";
  /** The acknowledged blocks fully captured. */
  readonly blocks: readonly SackBlock[];
}

/** Timestamps (kind 8). */
export interface TcpOptionTimestamps extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "timestamps";
  /** TSval: the sender's timestamp clock; undefined when cut off. */
  readonly value: number | undefined;
  /** TSecr: the timestamp echoed back; undefined when cut off. */
  readonly echoReply: number | undefined;
}

/** TCP Fast Open cookie (kind 34); no data is a cookie request. */
export interface TcpOptionFastOpen extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "tfo";
}

/** Any other option (MD5 19, user timeout 28, TCP-AO 29, MPTCP 30, experimental 254…): see `number` and `data`. */
export interface TcpOptionOther extends TcpOptionBase {
  /** Option tag. */
  readonly kind: "other";
}

/** TCP header. */
export interface TcpLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "tcp";
  /** Source port. */
  readonly sourcePort: number;
  /** Destination port. */
  readonly destinationPort: number;
  /** Sequence number. */
  readonly sequence: number;
  /** Acknowledgment number (meaningful when `flags.ack`). */
  readonly acknowledgment: number;
  /** Data offset: header length in 32-bit words (5 without options). */
  readonly dataOffset: number;
  /** The flags byte with the AE bit as bit 8 (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80, AE 0x100). */
  readonly rawFlags: number;
  /** The flags, one boolean each. */
  readonly flags: TcpFlags;
  /** Receive window, in bytes before scaling. */
  readonly window: number;
  /** Checksum, as found (not verified). */
  readonly checksum: number;
  /** Urgent pointer (meaningful when `flags.urg`). */
  readonly urgentPointer: number;
  /** Options, in order (EOL and what follows it included). */
  readonly options: readonly TcpOption[];
}

/** TCP flags. */
export interface TcpFlags {
  /** FIN: no more data from the sender. */
  readonly fin: boolean;
  /** SYN: synchronize sequence numbers. */
  readonly syn: boolean;
  /** RST: reset the connection. */
  readonly rst: boolean;
  /** PSH: push buffered data to the application. */
  readonly psh: boolean;
  /** ACK: the acknowledgment field is significant. */
  readonly ack: boolean;
  /** URG: the urgent pointer is significant. */
  readonly urg: boolean;
  /** ECE: ECN echo. */
  readonly ece: boolean;
  /** CWR: congestion window reduced. */
  readonly cwr: boolean;
  /** AE: accurate ECN (RFC 7560, formerly NS). */
  readonly ae: boolean;
}

/** UDP header. */
export interface UdpLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "udp";
  /** Source port. */
  readonly sourcePort: number;
  /** Destination port. */
  readonly destinationPort: number;
  /** Length of header and data, in bytes. */
  readonly udpLength: number;
  /** Checksum, as found (0 means none over IPv4). */
  readonly checksum: number;
}

/** ICMP header (IPv4). */
export interface IcmpLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "icmp";
  /** Message type (8 echo request, 0 echo reply, 3 destination unreachable, 11 time exceeded…). */
  readonly type: number;
  /** Message code, meaning depends on the type. */
  readonly code: number;
  /** Checksum, as found (not verified). */
  readonly checksum: number;
  /** Echo identifier, for echo request and reply when captured. */
  readonly identifier: number | undefined;
  /** Echo sequence number, for echo request and reply when captured. */
  readonly sequence: number | undefined;
}

/** ICMPv6 header. */
export interface Icmpv6Layer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "icmpv6";
  /** Message type (128 echo request, 129 echo reply, 135 neighbor solicitation, 136 advertisement…). */
  readonly type: number;
  /** Message code, meaning depends on the type. */
  readonly code: number;
  /** Checksum, as found (not verified). */
  readonly checksum: number;
  /** Echo identifier, for echo request and reply when captured. */
  readonly identifier: number | undefined;
  /** Echo sequence number, for echo request and reply when captured. */
  readonly sequence: number | undefined;
}

/** A decoded SCTP chunk; `chunk` tells which. */
export type SctpChunk = SctpDataChunk | SctpInitChunk | SctpSackChunk | SctpOtherChunk;

/** Fields every SCTP chunk has. */
export interface SctpChunkBase {
  /** Chunk type number (0 DATA, 1 INIT, 2 INIT ACK, 3 SACK, 4 HEARTBEAT…). */
  readonly type: number;
  /** Chunk flags byte. */
  readonly flags: number;
  /** Chunk length field: header and value, padding excluded, in bytes. */
  readonly chunkLength: number;
  /** Chunk value (after the 4-byte chunk header, padding excluded), as captured. */
  readonly value: Uint8Array;
}

/** DATA chunk (type 0). */
export interface SctpDataChunk extends SctpChunkBase {
  /** Chunk tag. */
  readonly chunk: "DATA";
  /** U flag: unordered delivery. */
  readonly unordered: boolean;
  /** B flag: first fragment of a user message. */
  readonly beginning: boolean;
  /** E flag: last fragment of a user message. */
  readonly ending: boolean;
  /** Transmission sequence number; undefined when cut off. */
  readonly tsn: number | undefined;
  /** Stream identifier; undefined when cut off. */
  readonly streamId: number | undefined;
  /** Stream sequence number; undefined when cut off. */
  readonly streamSequence: number | undefined;
  /** Payload protocol identifier; undefined when cut off. */
  readonly ppid: number | undefined;
}

/** INIT (type 1) or INIT ACK (type 2) chunk. */
export interface SctpInitChunk extends SctpChunkBase {
  /** Chunk tag. */
  readonly chunk: "INIT" | "INIT_ACK";
  /** Initiate tag: the verification tag the peer must use; undefined when cut off. */
  readonly initiateTag: number | undefined;
  /** Advertised receiver window credit, in bytes; undefined when cut off. */
  readonly advertisedWindow: number | undefined;
  /** Number of outbound streams; undefined when cut off. */
  readonly outboundStreams: number | undefined;
  /** Number of inbound streams (maximum); undefined when cut off. */
  readonly inboundStreams: number | undefined;
  /** Initial transmission sequence number; undefined when cut off. */
  readonly initialTsn: number | undefined;
}

/** SACK chunk (type 3). */
export interface SctpSackChunk extends SctpChunkBase {
  /** Chunk tag. */
  readonly chunk: "SACK";
  /** Cumulative TSN acknowledged; undefined when cut off. */
  readonly cumulativeTsnAck: number | undefined;
  /** Advertised receiver window credit, in bytes; undefined when cut off. */
  readonly advertisedWindow: number | undefined;
  /** Number of gap ack blocks; undefined when cut off. */
  readonly gapAckBlocks: number | undefined;
  /** Number of duplicate TSNs; undefined when cut off. */
  readonly duplicateTsns: number | undefined;
}

/** Any other chunk: HEARTBEAT, ABORT, SHUTDOWN, COOKIE_ECHO… or unknown (`name` is `UNKNOWN`). */
export interface SctpOtherChunk extends SctpChunkBase {
  /** Chunk tag. */
  readonly chunk: "other";
  /** Chunk name as Retis prints it (`HEARTBEAT`, `COOKIE_ECHO`…), `UNKNOWN` for unknown types. */
  readonly name: string;
}

/** SCTP common header and its chunks. */
export interface SctpLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "sctp";
  /** Source port. */
  readonly sourcePort: number;
  /** Destination port. */
  readonly destinationPort: number;
  /** Verification tag (0 in an INIT). */
  readonly verificationTag: number;
  /** CRC32c checksum, as found (not verified). */
  readonly checksum: number;
  /** The chunks, in order, as far as captured. */
  readonly chunks: readonly SctpChunk[];
}

/** VXLAN header (UDP port 4789 or 8472); an Ethernet frame follows. */
export interface VxlanLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "vxlan";
  /** Flags byte (0x08 is the I flag). */
  readonly flags: number;
  /** I flag: the VNI is valid. */
  readonly vniValid: boolean;
  /** VXLAN network identifier, 24 bits. */
  readonly vni: number;
}

/** One Geneve option (TLV). */
export interface GeneveOption {
  /** Option class (0x0100 is the Linux netdev class). */
  readonly class: number;
  /** Option type byte; its top bit marks a critical option. */
  readonly type: number;
  /** Critical bit of the type. */
  readonly critical: boolean;
  /** Option data length, in bytes (the 5-bit field times 4). */
  readonly dataLength: number;
  /** Option data, as captured. */
  readonly data: Uint8Array;
  /** Decoded Linux GRO hint (class 0x0100, type 1), when present. */
  readonly groHint: GeneveGroHint | undefined;
}

/** Linux's Geneve GRO hint option: where the nested headers are. */
export interface GeneveGroHint {
  /** Inner protocol id: 0 TEB, 1 IPv6, 2 IPv4. */
  readonly innerProtoId: number;
  /** The nested network header is IPv6 (else IPv4). */
  readonly nestedIsV6: boolean;
  /** Offset of the nested network header, in bytes. */
  readonly nestedNhOffset: number;
  /** Offset of the nested transport header, in bytes. */
  readonly nestedTpOffset: number;
  /** Length of the nested headers, in bytes. */
  readonly nestedHdrLen: number;
}

/** Geneve header (UDP port 6081). */
export interface GeneveLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "geneve";
  /** Version, 0. */
  readonly version: number;
  /** Total length of the options, in bytes (the 6-bit field times 4). */
  readonly optionsLength: number;
  /** O bit: control packet. */
  readonly control: boolean;
  /** C bit: critical options are present. */
  readonly critical: boolean;
  /** Protocol type of the payload, an EtherType (0x6558 Ethernet, 0x0800 IPv4…). */
  readonly protocol: number;
  /** Virtual network identifier, 24 bits. */
  readonly vni: number;
  /** The options, as far as captured. */
  readonly options: readonly GeneveOption[];
}

/** IPsec encapsulating security payload header; the rest is encrypted. */
export interface EspLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "esp";
  /** Security parameters index. */
  readonly spi: number;
  /** Sequence number. */
  readonly sequence: number;
}

/** IPsec authentication header. */
export interface AhLayer extends LayerPosition {
  /** Layer tag. */
  readonly layer: "ah";
  /** Protocol of what the header protects. */
  readonly nextHeader: number;
  /** Payload length field: header size in 32-bit words minus 2. */
  readonly payloadLength: number;
  /** Security parameters index. */
  readonly spi: number;
  /** Sequence number. */
  readonly sequence: number;
  /** Integrity check value, as captured. */
  readonly icv: Uint8Array;
}

/** Any dissected layer, tagged by `layer`. */
export type PacketLayer =
  | EthernetLayer
  | VlanLayer
  | MacsecLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | Ipv6HopByHopLayer
  | Ipv6DestinationOptionsLayer
  | Ipv6RoutingLayer
  | Ipv6FragmentLayer
  | Ipv6OtherExtensionLayer
  | TcpLayer
  | UdpLayer
  | IcmpLayer
  | Icmpv6Layer
  | SctpLayer
  | VxlanLayer
  | GeneveLayer
  | EspLayer
  | AhLayer;

/** The tag of a layer: `"ethernet"`, `"ipv4"`, `"tcp"`… */
export type LayerName = PacketLayer["layer"];

/** The layer type of a tag: `LayerOf<"tcp">` is `TcpLayer`. */
export type LayerOf<N extends LayerName> = Extract<PacketLayer, { layer: N }>;

/** Why dissection stopped: the bytes ran out inside a header. */
export interface PacketTruncation {
  /** The layer whose header was cut (it is in `layers` when partly decoded). */
  readonly layer: LayerName;
  /** Byte offset where that header starts. */
  readonly offset: number;
  /** Bytes the header needs (at least). */
  readonly needed: number;
  /** Bytes there were, within the capture and the enclosing length fields. */
  readonly available: number;
}

/** Why dissection stopped: a protocol this dissector does not decode. */
export interface PacketUnsupported {
  /** What was met, as Retis names it: `ethertype 0x88cc`, `protocol 0x2f`. */
  readonly what: string;
  /** Byte offset where the undecoded data starts. */
  readonly offset: number;
}

/** A packet parsed into layers by `packet.dissect()`. Never throws: bad bytes end the layers early with a marker. */
export interface DissectedPacket {
  /** The captured bytes that were dissected. */
  readonly data: Uint8Array;
  /** The layers from the outermost (Ethernet) inwards; tunnels repeat layers (outer IPv4, inner IPv4). */
  readonly layers: readonly PacketLayer[];
  /** Bytes after the innermost header, within its enclosing length fields (application data, encrypted ESP data, an unsupported protocol's bytes). */
  readonly payload: Uint8Array;
  /** Set when the data ended inside a header. */
  readonly truncated: PacketTruncation | undefined;
  /** Set when dissection stopped at a protocol it does not decode. */
  readonly unsupported: PacketUnsupported | undefined;
  /** The outermost layer with this tag, or undefined: `p.find("tcp")?.destinationPort`. */
  find<N extends LayerName>(name: N): LayerOf<N> | undefined;
  /** Same as `find`: the outermost layer with this tag, or undefined. */
  get<N extends LayerName>(name: N): LayerOf<N> | undefined;
  /** The innermost layer with this tag (inside tunnels), or undefined. */
  findLast<N extends LayerName>(name: N): LayerOf<N> | undefined;
  /** Every layer with this tag, outermost first. */
  findAll<N extends LayerName>(name: N): LayerOf<N>[];
  /** True when a layer with this tag is present. */
  has(name: LayerName): boolean;
  /** Retis's one-line rendering of the packet (`formatPacketLine`), link layer included when asked. */
  toString(options?: { linkLayer?: boolean }): string;
  /**
   * Scapy's one-line summary (Python `pkt.summary()`): `Ether / IP / TCP 1.1.1.1:443 > 10.0.0.42:12345 A`, with
   * `/ Raw` for a payload and `/ Padding` for bytes past the IP length. Ports are numbers, never service names.
   */
  summary(): string;
  /** Prints every layer and field as a tree (Python `pkt.show()`); field names are this library's. */
  show(): void;
  /** The tree `show()` prints, as text (Python `pkt.show(dump=True)`). */
  show(options: { dump: true }): string;
}
