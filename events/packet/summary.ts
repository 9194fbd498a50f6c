// Scapy's one-line summary of a packet (`Packet.summary()`): layer names joined by " / ", the innermost layer
// that has something to say saying it (`TCP 1.1.1.1:443 > 10.0.0.42:12345 A`), then "Raw" for the payload and
// "Padding" for bytes past the IP length. Deliberate difference: ports are numbers, never service names
// (Scapy prints `https`), as Retis prints them.
import type { DissectedPacket, PacketLayer, SctpChunk } from "../../typings/packet-layers.js";

/** Scapy's class name of each layer, the words of the summary. */
export function scapyName(layer: PacketLayer): string {
  switch (layer.layer) {
    case "ethernet":
      return "Ether";
    case "vlan":
      return layer.tpid === 0x88a8 ? "Dot1AD" : "Dot1Q";
    case "macsec":
      return "MACsec";
    case "arp":
      return "ARP";
    case "ipv4":
      return "IP";
    case "ipv6":
      return "IPv6";
    case "ipv6-hop-by-hop":
      return "IPv6ExtHdrHopByHop";
    case "ipv6-destination-options":
      return "IPv6ExtHdrDestOpt";
    case "ipv6-routing":
      return layer.routingType === 4 ? "IPv6ExtHdrSegmentRouting" : "IPv6ExtHdrRouting";
    case "ipv6-fragment":
      return "IPv6ExtHdrFragment";
    case "ipv6-extension":
      return "IPv6ExtHdr";
    case "tcp":
      return "TCP";
    case "udp":
      return "UDP";
    case "icmp":
      return "ICMP";
    case "icmpv6":
      return "ICMPv6";
    case "sctp":
      return "SCTP";
    case "vxlan":
      return "VXLAN";
    case "geneve":
      return "GENEVE";
    case "esp":
      return "ESP";
    case "ah":
      return "AH";
  }
}

const SCTP_CHUNK_CLASSES = [
  "SCTPChunkData",
  "SCTPChunkInit",
  "SCTPChunkInitAck",
  "SCTPChunkSACK",
  "SCTPChunkHeartbeatReq",
  "SCTPChunkHeartbeatAck",
  "SCTPChunkAbort",
  "SCTPChunkShutdown",
  "SCTPChunkShutdownAck",
  "SCTPChunkError",
  "SCTPChunkCookieEcho",
  "SCTPChunkCookieAck",
  "SCTPChunkECNEcho",
  "SCTPChunkCWR",
  "SCTPChunkShutdownComplete",
];

function sctpChunkClass(chunk: SctpChunk): string {
  return SCTP_CHUNK_CLASSES[chunk.type] ?? "SCTPChunk";
}

// The names Scapy reads from /etc/protocols for the IPv4 summary (`1.2.3.4 > 5.6.7.8 tcp`).
const IP_PROTOCOL_WORDS = new Map<number, string>([
  [1, "icmp"],
  [2, "igmp"],
  [6, "tcp"],
  [17, "udp"],
  [41, "ipv6"],
  [47, "gre"],
  [50, "esp"],
  [51, "ah"],
  [59, "ipv6_nonxt"],
  [103, "pim"],
  [112, "vrrp"],
  [137, "mpls_in_ip"],
  [132, "sctp"],
]);

// RFC 792 and its successors: the type names Scapy prints.
const ICMP_TYPES = new Map<number, string>([
  [0, "echo-reply"],
  [3, "dest-unreach"],
  [4, "source-quench"],
  [5, "redirect"],
  [8, "echo-request"],
  [9, "router-advertisement"],
  [10, "router-solicitation"],
  [11, "time-exceeded"],
  [12, "parameter-problem"],
  [13, "timestamp-request"],
  [14, "timestamp-reply"],
  [15, "information-request"],
  [16, "information-response"],
  [17, "address-mask-request"],
  [18, "address-mask-reply"],
]);

// RFC 792 and RFC 1812 codes, with the words Scapy prints (code 8, host isolated, has none there).
const UNREACHABLE = new Map<number, string>([
  [0, "network-unreachable"],
  [1, "host-unreachable"],
  [2, "protocol-unreachable"],
  [3, "port-unreachable"],
  [4, "fragmentation-needed"],
  [5, "source-route-failed"],
  [6, "network-unknown"],
  [7, "host-unknown"],
  [9, "network-prohibited"],
  [10, "host-prohibited"],
  [11, "TOS-network-unreachable"],
  [12, "TOS-host-unreachable"],
  [13, "communication-prohibited"],
  [14, "host-precedence-violation"],
  [15, "precedence-cutoff"],
]);

const ICMP_CODES = new Map<number, ReadonlyMap<number, string>>([
  [3, UNREACHABLE],
  [5, new Map(["network-redirect", "host-redirect", "TOS-network-redirect", "TOS-host-redirect"].entries())],
  [11, new Map(["ttl-zero-during-transit", "ttl-zero-during-reassembly"].entries())],
  [12, new Map(["ip-header-bad", "required-option-missing"].entries())],
]);

// Scapy prints the flags it knows by letter, lowest bit first: FSRPAUECN.
const TCP_FLAG_LETTERS = "FSRPAUECN";

function tcpFlags(rawFlags: number): string {
  let out = "";
  for (let bit = 0; bit < TCP_FLAG_LETTERS.length; bit++) if ((rawFlags & (1 << bit)) !== 0) out += TCP_FLAG_LETTERS[bit];
  return out;
}

const ARP_OPERATIONS = ["", "who-has", "is-at", "RARP-req", "RARP-rep", "Dyn-RARP-req", "Dyn-RAR-rep", "Dyn-RARP-err", "InARP-req", "InARP-rep"];

/** The addresses of the IP header right before `index`, as Scapy's TCP/UDP/ICMP summaries take them from their underlayer. */
function underlayerAddresses(layers: readonly PacketLayer[], index: number): { source: string; destination: string } | undefined {
  const under = layers[index - 1];
  return under?.layer === "ipv4" || under?.layer === "ipv6" ? under : undefined;
}

/** What a layer says when it is the innermost with something to say (Scapy's `mysummary`); "" when it has nothing. */
function layerSummary(layers: readonly PacketLayer[], index: number): string {
  const layer = layers[index]!;
  switch (layer.layer) {
    case "ethernet":
      return `${layer.source} > ${layer.destination} (0x${layer.ethertype.toString(16)})`;
    case "arp": {
      if (layer.operation === 1) return `ARP who has ${layer.targetIp} says ${layer.senderIp}`;
      if (layer.operation === 2) return `ARP is at ${layer.senderMac} says ${layer.senderIp}`;
      return `ARP ${ARP_OPERATIONS[layer.operation] ?? layer.operation} ${layer.senderIp} > ${layer.targetIp}`;
    }
    case "ipv4": {
      const frag = layer.fragmentOffset > 0 ? ` frag:${layer.fragmentOffset / 8}` : "";
      return `${layer.source} > ${layer.destination} ${IP_PROTOCOL_WORDS.get(layer.protocol) ?? layer.protocol}${frag}`;
    }
    case "ipv6":
      return `${layer.source} > ${layer.destination} (${layer.nextHeader})`;
    case "tcp":
    case "udp": {
      const ip = underlayerAddresses(layers, index);
      const name = layer.layer.toUpperCase();
      const flags = layer.layer === "tcp" ? ` ${tcpFlags(layer.rawFlags)}` : "";
      if (ip === undefined) return `${name} ${layer.sourcePort} > ${layer.destinationPort}${flags}`;
      return `${name} ${ip.source}:${layer.sourcePort} > ${ip.destination}:${layer.destinationPort}${flags}`;
    }
    case "icmp": {
      const type = ICMP_TYPES.get(layer.type) ?? String(layer.type);
      const code = ICMP_CODES.get(layer.type)?.get(layer.code) ?? String(layer.code);
      const ip = underlayerAddresses(layers, index);
      return ip === undefined ? `ICMP ${type} ${code}` : `ICMP ${ip.source} > ${ip.destination} ${type} ${code}`;
    }
    case "icmpv6":
      if (layer.type === 128 || layer.type === 129) {
        const id = layer.identifier === undefined ? "" : ` (id: 0x${layer.identifier.toString(16)} seq: 0x${layer.sequence!.toString(16)})`;
        return `ICMPv6 Echo ${layer.type === 128 ? "Request" : "Reply"}${id}`;
      }
      return `ICMPv6 type ${layer.type} code ${layer.code}`;
    case "vlan": {
      let macs = "";
      for (let i = index - 1; i >= 0; i--) {
        const eth = layers[i]!;
        if (eth.layer === "ethernet") {
          macs = `${eth.source} > ${eth.destination} `;
          break;
        }
      }
      return `802.1q ${macs}(0x${layer.ethertype.toString(16)}) vlan ${layer.vid}`;
    }
    case "geneve":
      return `GENEVE (vni=0x${layer.vni.toString(16)},optionlen=${layer.optionsLength / 4},proto=0x${layer.protocol.toString(16)})`;
    default:
      return "";
  }
}

/** Scapy's `summary()` of a dissection. `trailing` is the number of bytes past the IP length (Scapy's Padding). */
export function packetSummary(packet: DissectedPacket, trailing: number): string {
  const { layers } = packet;
  const parts = layers.map((l) => scapyName(l));
  // The innermost layer with a summary speaks; the ones outside it give their names only.
  for (let i = layers.length - 1; i >= 0; i--) {
    const text = layerSummary(layers, i);
    if (text === "") continue;
    parts[i] = text;
    // Scapy drops the names of the layers a summary already names: an IP summary stands for the IP class.
    break;
  }
  const words: string[] = [];
  layers.forEach((layer, i) => {
    words.push(parts[i]!);
    if (layer.layer === "sctp") for (const chunk of layer.chunks) words.push(sctpChunkClass(chunk));
  });
  // ESP's encrypted data is a field of Scapy's ESP layer, not a Raw layer after it; what follows an ARP
  // message can only be the Ethernet padding.
  const last = layers.at(-1)?.layer;
  if (packet.payload.length > 0 && last !== "esp") words.push(last === "arp" ? "Padding" : "Raw");
  if (trailing > 0) words.push("Padding");
  return words.join(" / ");
}
