// How a dissected packet shows itself in a notebook (Deno's `Symbol.for("Jupyter.display")` convention):
// Retis's line as text, and a table of the layers as HTML.
import type { DissectedPacket, PacketLayer } from "../../typings/packet-layers.js";
import { hex } from "./bytes.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

/** A field value in a few characters: bytes as hex (cut after 32 bytes), lists and records as compact JSON. */
function valueText(value: unknown): string {
  if (value instanceof Uint8Array) return value.length > 32 ? `${hex(value.subarray(0, 32))}…` : hex(value);
  if (typeof value === "object" && value !== null) return JSON.stringify(value, (_, v: unknown) => (v instanceof Uint8Array ? hex(v) : v));
  return String(value);
}

function layerRow(layer: PacketLayer): string {
  const fields = Object.entries(layer)
    .filter(([key, value]) => key !== "layer" && key !== "offset" && key !== "length" && value !== undefined)
    .map(([key, value]) => `<b>${escape(key)}</b>&nbsp;${escape(valueText(value))}`)
    .join(", ");
  return `<tr><td>${layer.offset}</td><td><b>${layer.layer}</b></td><td style="text-align:left">${fields}</td></tr>`;
}

/** The MIME bundle of a packet: `text/plain` is Retis's line with the link layer, `text/html` that line, Scapy's summary and a table of layers. */
export function packetBundle(packet: DissectedPacket): Record<string, string> {
  const text = packet.toString({ linkLayer: true });
  const end =
    packet.truncated !== undefined
      ? `<p>truncated in ${packet.truncated.layer} at byte ${packet.truncated.offset}</p>`
      : packet.unsupported !== undefined
        ? `<p>${escape(packet.unsupported.what)} not decoded, from byte ${packet.unsupported.offset}</p>`
        : "";
  const html =
    `<div><code>${escape(text)}</code><br><code>${escape(packet.summary())}</code>` +
    `<table><tr><th>offset</th><th>layer</th><th style="text-align:left">fields</th></tr>${packet.layers.map(layerRow).join("")}</table>` +
    `${end}<p>${packet.payload.length} bytes of payload</p></div>`;
  return { "text/plain": text, "text/html": html };
}
