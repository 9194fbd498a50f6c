// The network-layer part of Retis's packet line: IPv4, IPv6 with its extension headers, AH.
import type { AhLayer, Ipv4Layer, Ipv6Layer, PacketLayer } from "../../../typings/packet-layers.js";
import type { Ipv6ExtensionLayer } from "../ip.js";
import { hex } from "../bytes.js";
import { protocolStep, unsupportedProtocol } from "../dispatch.js";
import { extensionName, IpProtocol, isIpv6Extension, protocolName } from "../names.js";
import { Line, Outcome, TRUNCATED, unsupported } from "./context.js";
import { formatEsp, formatIcmp, formatSctp, formatTcp, formatUdp } from "./transport.js";

const ECN = ["", " ECT(1)", " ECT(0)", " CE"];

/** `a > b`, or `a.p > b.q` when a TCP, UDP or SCTP header directly follows. */
function addresses(source: string, destination: string, next: PacketLayer | undefined): string {
  if (next?.layer === "tcp" || next?.layer === "udp" || next?.layer === "sctp") {
    return `${source}.${next.sourcePort} > ${destination}.${next.destinationPort}`;
  }
  return `${source} > ${destination}`;
}

function protocolText(protocol: number): string {
  const name = protocolName(protocol);
  return name === undefined ? ` proto (${protocol})` : ` proto ${name} (${protocol})`;
}

export function formatIpv4(line: Line, ip: Ipv4Layer): Outcome {
  line.write(addresses(ip.source, ip.destination, line.peek()));
  line.write(` tos 0x${ip.dscp.toString(16)}${ECN[ip.ecn]} ttl ${ip.ttl} id ${ip.identification} off ${ip.fragmentOffset}`);
  // Retis reads the flags with pnet's bit order, so the reserved bit prints `+` and MF prints `rsvd`.
  const flags = [ip.reservedFlag && "+", ip.dontFragment && "DF", ip.moreFragments && "rsvd"].filter((f) => f !== false);
  if (flags.length > 0) line.write(` [${flags.join(",")}]`);
  if (ip.totalLength > 0) line.write(` len ${ip.totalLength}`);
  const options: string[] = [];
  for (const option of ip.options) {
    // EOL and padding look alike: an EOL is shown only after a real option.
    if (option.number === 0) {
      if (options.length > 0) options.push("Ipv4OptionNumber(0)");
      break;
    }
    options.push(`Ipv4OptionNumber(${option.number})`);
  }
  if (options.length > 0) line.write(` opts [${options.join(",")}]`);
  line.write(protocolText(ip.protocol));
  if (ip.fragmentOffset > 0) return nonFirstFragment(line);
  return formatTransport(line, ip.protocol, Math.max(0, ip.totalLength - ip.ihl * 4));
}

/**
 * A non-first fragment has no transport header, so there are no ports or flags to print (the dissector leaves
 * its bytes as payload). Retis decodes the fragment's data as a header and prints made-up values; this is a
 * deliberate difference. `offset` is given for IPv6, whose line does not otherwise show it.
 */
function nonFirstFragment(line: Line, offset?: number): Outcome {
  line.write(offset === undefined ? " (non-first fragment)" : ` (non-first fragment, off ${offset})`);
  return undefined;
}

export function formatIpv6(line: Line, ip: Ipv6Layer): Outcome {
  line.write(addresses(ip.source, ip.destination, line.peek()));
  line.write(`${ECN[ip.ecn]} ttl ${ip.hopLimit} label 0x${ip.flowLabel.toString(16)}`);
  if (ip.payloadLength > 0) line.write(` len ${ip.payloadLength}`);
  const chain = walkExtensions(line, ip.nextHeader, ip.payloadLength);
  // "No next header" right after IPv6: nothing else to say.
  if (chain.count === 0 && chain.protocol === IpProtocol.noNextHeader) return undefined;
  return formatAfterExtensions(line, chain);
}

interface ExtensionChain {
  /** The protocol after the last extension header walked. */
  readonly protocol: number;
  /** What the IP length says is left after them. */
  readonly length: number;
  readonly count: number;
  /** Offset of a fragment header met on the way, when not the first fragment. */
  readonly fragmentOffset: number;
}

/** Consumes the IPv6 extension headers that come next and writes ` exts [...]` for them. */
function walkExtensions(line: Line, protocol: number, length: number): ExtensionChain {
  const exts: string[] = [];
  let fragmentOffset = 0;
  for (let ext = nextExtension(line); ext !== undefined; ext = nextExtension(line)) {
    exts.push(extensionName(ext.protocol));
    protocol = ext.nextHeader;
    length = Math.max(0, length - ext.headerLength);
    if (ext.layer === "ipv6-fragment") fragmentOffset = ext.fragmentOffset;
  }
  if (exts.length > 0) line.write(` exts [${exts.join(",")}]`);
  return { protocol, length, count: exts.length, fragmentOffset };
}

/** The protocol that ends an IPv6 chain of extension headers, and what it carries. */
function formatAfterExtensions(line: Line, chain: ExtensionChain): Outcome {
  const { protocol, length } = chain;
  // Whatever the fragment header announces, even another extension header, is not in this fragment.
  if (chain.fragmentOffset > 0) {
    line.write(protocolText(protocol));
    return nonFirstFragment(line, chain.fragmentOffset);
  }
  if (isIpv6Extension(protocol)) {
    // The dissector stopped inside this extension header. Retis's walk needs 2 bytes to read one: with fewer it
    // gives up silently and prints the extension as the protocol. With more it panics; we call it truncated.
    if ((line.truncation?.available ?? 0) >= 2) return TRUNCATED;
    line.write(protocolText(protocol));
    return unsupported(unsupportedProtocol(protocol));
  }
  line.write(protocolText(protocol));
  return formatTransport(line, protocol, length);
}

function nextExtension(line: Line): Ipv6ExtensionLayer | undefined {
  const next = line.peek();
  switch (next?.layer) {
    case "ipv6-hop-by-hop":
    case "ipv6-destination-options":
    case "ipv6-routing":
    case "ipv6-fragment":
    case "ipv6-extension":
      return line.take(next.layer);
    default:
      return undefined;
  }
}

function formatAh(line: Line, ah: AhLayer, length: number): Outcome {
  line.write(` spi 0x${ah.spi.toString(16).padStart(8, "0")} seq 0x${ah.sequence.toString(16)} icv 0x${hex(ah.icv)}`);
  const left = Math.max(0, length - (ah.payloadLength + 2) * 4);
  // In IPv6, Destination Options may follow AH (RFC 8200 §4.1): the dissector walks them, and so does the line
  // (` exts [Ipv6Opts]` before the protocol). Retis stops at AH with "protocol 0x3c not supported".
  const chain = walkExtensions(line, ah.nextHeader, left);
  if (chain.count > 0) return formatAfterExtensions(line, chain);
  line.write(protocolText(ah.nextHeader));
  return formatTransport(line, ah.nextHeader, left);
}

/** What an IP protocol number announces; `length` is what the IP header says is left, for TCP and SCTP. */
function formatTransport(line: Line, protocol: number, length: number): Outcome {
  const step = protocolStep(protocol, false);
  if (step === undefined || step === "end" || step === "ipv6-extension") return unsupported(unsupportedProtocol(protocol));
  switch (step) {
    case "tcp":
      return line.expect("tcp", (tcp) => formatTcp(line, tcp, length));
    case "udp":
      return line.expect("udp", (udp) => formatUdp(line, udp));
    case "icmp":
    case "icmpv6":
      return line.expect(step, (icmp) => formatIcmp(line, icmp));
    case "sctp":
      return line.expect("sctp", (sctp) => formatSctp(line, sctp, length));
    case "ah":
      return line.expect("ah", (ah) => formatAh(line, ah, length));
    case "esp":
      return line.expect("esp", (esp) => formatEsp(line, esp));
  }
}
