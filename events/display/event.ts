// How one event looks in a notebook: `text/plain` is Retis's own text (`String(event)`); `text/html` that text
// above a table of the sections, each with its fields (kernel addresses in hex), the packet as a layer tree
// with its bytes. Typed against typings/: any Event, whoever made it.
import type * as T from "../../typings/index.js";
import { escapeXml, jsonText, u64Text } from "./html.js";
import { packetHtml } from "./packet.js";

/** A field's value as HTML: nested records as nested tables, u64 values exact (addresses in hex). */
function valueHtml(key: string, value: unknown): string {
  if (typeof value === "bigint") return `<code>${escapeXml(u64Text(key, value))}</code>`;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `<ol start="0" style="margin:0">${value.map((v) => `<li>${valueHtml(key, v)}</li>`).join("")}</ol>`;
  if (typeof value === "object" && value !== null) return fieldsTable(value as Record<string, unknown>);
  if (typeof value === "string") return escapeXml(value);
  return `<code>${escapeXml(jsonText(value))}</code>`;
}

function fieldsTable(fields: Record<string, unknown>): string {
  const rows = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><td style="text-align:left;vertical-align:top">${escapeXml(k)}</td><td style="text-align:left">${valueHtml(k, v)}</td></tr>`);
  return `<table style="margin:0">${rows.join("")}</table>`;
}

function sectionHtml(event: T.Event, name: T.SectionName): string {
  if (name === "packet" && event.packet) {
    const { data: _bytes, ...rest } = event.packet.toDict();
    return fieldsTable(rest) + packetHtml(event.packet.dissect());
  }
  const section = event.get(name) as { toDict?(): unknown } | undefined;
  const dict = section?.toDict ? section.toDict() : section;
  const extra: Record<string, unknown> = {};
  // The packet's identity as Retis prints it (`#…`), beside the two fields it is made of.
  if (name === "skb_tracking" && event.skb_tracking) extra["tracking id"] = `#${event.skb_tracking.trackingId().toString(16)}`;
  return typeof dict === "object" && dict !== null ? fieldsTable({ ...extra, ...(dict as Record<string, unknown>) }) : valueHtml(name, dict);
}

/** An event's HTML: Retis's text, then one row per section. */
export function eventHtml(event: T.Event): string {
  const rows = event.sections().map((name) => `<tr><th style="text-align:left;vertical-align:top">${escapeXml(name)}</th><td style="text-align:left">${sectionHtml(event, name)}</td></tr>`);
  return `<div class="retis-event">\n<pre>${escapeXml(event.toString())}</pre>\n<table class="retis">\n${rows.join("\n")}\n</table>\n</div>`;
}

export function eventBundle(event: T.Event): Record<string, string> {
  return { "text/plain": event.toString(), "text/html": eventHtml(event) };
}
