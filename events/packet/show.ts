// A dissection as a layered tree of every field, in the shape of Scapy's `show()`: a `###[ Name ]###` title
// per layer, its fields one per line indented one step deeper than the layer before, lists of options and
// chunks as nested blocks. Field names are this library's (the ones `find("tcp").window` reads), not Scapy's.
import type { DissectedPacket, PacketLayer } from "../../typings/packet-layers.js";
import { hex } from "./bytes.js";
import { ethertypeName, protocolName } from "./names.js";

const TITLES: Record<PacketLayer["layer"], string> = {
  ethernet: "Ethernet",
  vlan: "802.1Q",
  macsec: "MACsec",
  arp: "ARP",
  ipv4: "IPv4",
  ipv6: "IPv6",
  "ipv6-hop-by-hop": "IPv6 Hop-by-Hop Options",
  "ipv6-destination-options": "IPv6 Destination Options",
  "ipv6-routing": "IPv6 Routing",
  "ipv6-fragment": "IPv6 Fragment",
  "ipv6-extension": "IPv6 Extension",
  tcp: "TCP",
  udp: "UDP",
  icmp: "ICMP",
  icmpv6: "ICMPv6",
  sctp: "SCTP",
  vxlan: "VXLAN",
  geneve: "Geneve",
  esp: "ESP",
  ah: "AH",
};

// Fields read as bit patterns or identifiers rather than quantities: shown in hex, as Scapy's X…Fields are.
const HEX_FIELDS = new Set(["checksum", "ethertype", "tpid", "protocolType", "rawFlags", "spi", "class", "verificationTag", "initiateTag", "flowLabel", "trafficClass"]);
// Protocol numbers: the number and its name.
const ETHERTYPE_FIELDS = new Set(["ethertype", "protocolType"]);
const PROTOCOL_FIELDS = new Set(["protocol", "nextHeader"]);

const STEP = "   ";

function scalar(layer: string, key: string, value: unknown): string {
  if (value instanceof Uint8Array) return value.length === 0 ? "''" : `${hex(value)} (${value.length} bytes)`;
  if (typeof value === "number") {
    if (ETHERTYPE_FIELDS.has(key) || (layer === "geneve" && key === "protocol")) {
      const name = ethertypeName(value);
      return `0x${value.toString(16).padStart(4, "0")}${name === undefined ? "" : ` (${name})`}`;
    }
    if (PROTOCOL_FIELDS.has(key) && layer !== "ipv6-extension") {
      const name = protocolName(value);
      return name === undefined ? String(value) : `${value} (${name})`;
    }
    if (HEX_FIELDS.has(key)) return `0x${value.toString(16)}`;
    return String(value);
  }
  return String(value);
}

/** A record of booleans only (TCP flags): the names of the set ones. */
function flagNames(value: object): string | undefined {
  const entries = Object.entries(value);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === "boolean")) return undefined;
  const set = entries.filter(([, v]) => v).map(([k]) => k.toUpperCase());
  return set.length === 0 ? "(none)" : set.join(" ");
}

function writeFields(out: string[], layer: string, record: object, indent: string, skip: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(record)) {
    if (skip.has(key) || value === undefined) continue;
    const label = `${indent}${key.padEnd(15)} =`;
    if (Array.isArray(value)) {
      out.push(`${indent}\\${key}\\`);
      value.forEach((item: unknown, i) => {
        if (typeof item === "object" && item !== null && !(item instanceof Uint8Array)) {
          out.push(`${indent} |###[ ${itemTitle(item as Record<string, unknown>, key, i)} ]###`);
          writeFields(out, layer, item, `${indent} |  `, NO_SKIP);
        } else {
          out.push(`${indent} |  ${scalar(layer, key, item)}`);
        }
      });
    } else if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
      const flags = flagNames(value);
      if (flags !== undefined) {
        out.push(`${label} ${flags}`);
      } else {
        out.push(`${indent}\\${key}\\`);
        writeFields(out, layer, value, `${indent} |  `, NO_SKIP);
      }
    } else {
      out.push(`${label} ${scalar(layer, key, value)}`);
    }
  }
}

/** An option or chunk by its own tag (`mss`, `INIT`, `HEARTBEAT`), else its place in the list. */
function itemTitle(item: Record<string, unknown>, key: string, index: number): string {
  const tag = item.chunk === "other" ? item.name : (item.chunk ?? item.kind);
  return typeof tag === "string" ? tag : `${key} #${index}`;
}

const NO_SKIP: ReadonlySet<string> = new Set();
const LAYER_SKIP: ReadonlySet<string> = new Set(["layer"]);

/** The tree of a dissection, ending with the payload and why dissection stopped, if it stopped early. */
export function packetShow(packet: DissectedPacket): string {
  const out: string[] = [];
  let indent = "  ";
  for (const layer of packet.layers) {
    out.push(`###[ ${TITLES[layer.layer]} ]###`);
    writeFields(out, layer.layer, layer, indent, LAYER_SKIP);
    indent += STEP;
  }
  if (packet.payload.length > 0) {
    out.push("###[ Raw ]###");
    out.push(`${indent}${"load".padEnd(15)} = ${hex(packet.payload)} (${packet.payload.length} bytes)`);
  }
  const t = packet.truncated;
  if (t !== undefined) out.push(`!!! truncated: ${TITLES[t.layer]} at byte ${t.offset} needs ${t.needed} bytes, ${t.available} captured`);
  const u = packet.unsupported;
  if (u !== undefined) out.push(`!!! not decoded: ${u.what} at byte ${u.offset}`);
  return out.join("\n");
}
