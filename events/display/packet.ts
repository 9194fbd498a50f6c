// How a dissected packet looks in a notebook: Retis's line as text; as HTML, the layers as a collapsible tree
// (one <details> per layer, outermost first, like Wireshark's packet details pane) and a hex dump of the
// captured bytes (offset, hex, ASCII), like its bytes pane.
import type { DissectedPacket, PacketLayer } from "../../typings/packet-layers.js";
import { escapeXml } from "./html.js";

/** Fields of a layer that are its position, not its content. */
const POSITION = new Set(["layer", "offset", "length"]);

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A field value in a few characters: bytes as hex (cut after 32 bytes), numbers as they are, records as JSON. */
function valueText(key: string, value: unknown): string {
  if (value instanceof Uint8Array) return value.length > 32 ? `${hexBytes(value.subarray(0, 32))}…` : hexBytes(value);
  // EtherTypes, protocol numbers, flags and checksums read as the hex a network engineer knows (0x0800).
  if (typeof value === "number" && /ethertype|tpid|protocol$|flags$|checksum/i.test(key)) return `0x${value.toString(16).padStart(4, "0")} (${value})`;
  if (typeof value === "object" && value !== null) return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? hexBytes(v) : typeof v === "bigint" ? v.toString() : v));
  return String(value);
}

function fields(layer: PacketLayer): [string, unknown][] {
  return Object.entries(layer).filter(([key, value]) => !POSITION.has(key) && value !== undefined);
}

/** One layer: its name, position and main fields on the summary line; every field inside. */
function layerDetails(layer: PacketLayer, open: boolean): string {
  const all = fields(layer);
  const brief = all
    .slice(0, 3)
    .map(([k, v]) => `${k} ${valueText(k, v)}`)
    .join(", ");
  const rows = all.map(([k, v]) => `<tr><td style="text-align:left">${escapeXml(k)}</td><td style="text-align:left"><code>${escapeXml(valueText(k, v))}</code></td></tr>`).join("");
  return (
    `<details class="retis-layer"${open ? " open" : ""}><summary><b>${escapeXml(layer.layer)}</b> ` +
    `<small>bytes ${layer.offset}–${layer.offset + layer.length - 1}</small> ${escapeXml(brief)}</summary>` +
    `<table style="margin-left:1.5em">${rows}</table></details>`
  );
}

/** The bytes as lines of 16: offset, hex in two groups of 8, ASCII with dots for the unprintable. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0"));
    const left = hex.slice(0, 8).join(" ");
    const right = hex.slice(8).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${at.toString(16).padStart(4, "0")}  ${`${left}  ${right}`.padEnd(49)}  ${ascii}`);
  }
  return lines.join("\n");
}

/** The HTML of a packet: its line, the layer tree and the hex dump (used inside an event's table too). */
export function packetHtml(packet: DissectedPacket): string {
  const line = packet.toString({ linkLayer: true });
  const end =
    packet.truncated !== undefined
      ? `<p>truncated in ${escapeXml(packet.truncated.layer)} at byte ${packet.truncated.offset}</p>`
      : packet.unsupported !== undefined
        ? `<p>${escapeXml(packet.unsupported.what)} not decoded, from byte ${packet.unsupported.offset}</p>`
        : "";
  // The innermost layer opens by itself: it is the one people look for (the TCP header, the ICMP type).
  const layers = packet.layers.map((l, i) => layerDetails(l, i === packet.layers.length - 1)).join("\n");
  return (
    `<div class="retis-packet"><code>${escapeXml(line)}</code><br><code>${escapeXml(packet.summary())}</code>\n${layers}\n${end}` +
    `<details class="retis-bytes"><summary>${packet.data.length} bytes captured, ${packet.payload.length} of payload</summary>` +
    `<pre style="margin:0">${escapeXml(hexDump(packet.data))}</pre></details></div>`
  );
}

/** The MIME bundle of a packet: `text/plain` is Retis's line with the link layer. */
export function packetBundle(packet: DissectedPacket): Record<string, string> {
  return { "text/plain": packet.toString({ linkLayer: true }), "text/html": packetHtml(packet) };
}
