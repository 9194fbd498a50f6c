// Small pure helpers shared by the notebook renderers: escaping, time and address formatting, tables.
import { POINTER_FIELDS } from "../sections/pointers.js";

/** Text safe inside HTML or SVG elements and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A duration in nanoseconds as a short human figure: `850 ns`, `12.345 µs`, `3.210 ms`, `1.500 s`. */
export function formatDuration(ns: bigint | number): string {
  const n = Number(ns);
  const sign = n < 0 ? "-" : "";
  const a = Math.abs(n);
  if (a < 1e3) return `${sign}${a} ns`;
  if (a < 1e6) return `${sign}${(a / 1e3).toFixed(3)} µs`;
  if (a < 1e9) return `${sign}${(a / 1e6).toFixed(3)} ms`;
  return `${sign}${(a / 1e9).toFixed(3)} s`;
}

/** JSON text that keeps u64 (bigint) values exact, as decimal digits. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "undefined";
}

/** An HTML table from a header row and body rows; cells are escaped. */
export function htmlTable(head: string[], rows: string[][], className = "retis"): string {
  const th = head.map((h) => `<th style="text-align:left">${escapeXml(h)}</th>`).join("");
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td style="text-align:left;vertical-align:top"><pre style="margin:0">${escapeXml(c)}</pre></td>`).join("")}</tr>`)
    .join("\n");
  return `<table class="${className}">\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A plain-text table, columns padded to their widest cell. */
export function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

/**
 * A u64 as it reads best: kernel addresses (`skb`, `orig_head`, OVS `flow`…) in hex, as Retis and the kernel
 * print them; other numbers (timestamps, counters) in decimal.
 */
export function u64Text(name: string, value: bigint): string {
  return ADDRESSES.has(name) ? `0x${value.toString(16)}` : value.toString();
}

/** Names of the u64 fields that hold addresses, from the one list of them (events/sections/pointers.ts). */
const ADDRESSES = new Set(Object.values(POINTER_FIELDS).flatMap((paths) => paths.map((p) => p.split(".").pop()!)));
