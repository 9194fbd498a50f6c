// The dissector's driver: from the Ethernet header inwards, one header at a time, each telling what follows.
import type { Dissection, Next } from "./dissection.js";
import { ethertypeStep, protocolStep, unsupportedEthertype, unsupportedProtocol } from "./dispatch.js";
import { parseIpv4, parseIpv6, parseIpv6Extension } from "./ip.js";
import { parseAh, parseEsp } from "./ipsec.js";
import { parseArp, parseEthernet, parseMacsec, parseVlan } from "./link.js";
import { parseSctp } from "./sctp.js";
import { parseTcp } from "./tcp.js";
import { parseIcmp, parseUdp } from "./transport.js";
import { parseGeneve, parseVxlan } from "./tunnel.js";

/** Parses every header it can into `d`, from the Ethernet header at offset 0. */
export function dissectInto(d: Dissection): void {
  let next: Next | undefined = { parse: "ethernet", at: 0, end: d.data.length };
  while (next !== undefined) next = parseNext(d, next);
}

function parseNext(d: Dissection, next: Next): Next | undefined {
  switch (next.parse) {
    case "ethernet":
      return parseEthernet(d, next.at, next.end);
    case "vxlan":
      return parseVxlan(d, next.at, next.end);
    case "geneve":
      return parseGeneve(d, next.at, next.end);
    case "ethertype":
      return parseEthertype(d, next.type, next.vlan, next.at, next.end);
    case "protocol":
      return parseProtocol(d, next);
  }
}

function parseEthertype(d: Dissection, type: number, vlan: boolean, at: number, end: number): Next | undefined {
  const step = ethertypeStep(type, vlan);
  switch (step) {
    case undefined:
      return d.stop(unsupportedEthertype(type), at, end);
    case "vlan":
      return parseVlan(d, type, at, end);
    case "macsec":
      return parseMacsec(d, at, end);
    case "arp":
      return parseArp(d, at, end);
    case "ipv4":
      return parseIpv4(d, at, end);
    case "ipv6":
      return parseIpv6(d, at, end);
  }
}

function parseProtocol(d: Dissection, next: Next & { parse: "protocol" }): Next | undefined {
  const { protocol, at, end } = next;
  const step = protocolStep(protocol, next.extensions);
  switch (step) {
    case undefined:
      return d.stop(unsupportedProtocol(protocol), at, end);
    case "end":
      return undefined;
    case "ipv6-extension":
      return parseIpv6Extension(d, protocol, at, end, next.declaredEnd);
    case "tcp":
      return parseTcp(d, at, end);
    case "udp":
      return parseUdp(d, at, end);
    case "icmp":
    case "icmpv6":
      return parseIcmp(d, step, at, end);
    case "sctp":
      return parseSctp(d, at, end, next.declaredEnd);
    case "ah":
      return parseAh(d, at, end, next.declaredEnd, next.extensions);
    case "esp":
      return parseEsp(d, at, end);
  }
}
