// How several events look in a notebook: a series (one packet's events, `retis sort`) as a timeline with the
// time between hops, and any list of events as a table with one row each. text/plain is Retis's text for a
// series, a padded table for a list.
import type * as T from "../../typings/index.js";
import { changeText } from "../changes.js";
import { escapeXml, formatDuration, htmlTable, textTable } from "./html.js";

/** Lists longer than this show their first rows and a count, so that a stray `events` does not flood the page. */
export const MAX_ROWS = 200;

/** The probe as Retis prints it: `[tp] skb:kfree_skb`, `[k] ip_rcv`, `[u] …` (the section's own text). */
export function probeName(e: T.Event): string {
  return String(e.kernel ?? e.userspace ?? "");
}

/** The drop reason, with its subsystem when not core (`NO_SOCKET`, `openvswitch/DROP_…`); "" when not dropped. */
export function dropReason(e: T.Event): string {
  return e.skb_drop ? e.skb_drop.reason() : "";
}

function device(e: T.Event): string {
  if (!e.dev) return "";
  return e.dev.name ? `${e.dev.name} (${e.dev.ifindex})` : `if ${e.dev.ifindex}`;
}

function namespace(e: T.Event): string {
  return e.netns ? String(e.netns.inum) : "";
}

/**
 * True for an Event by shape: a notebook's display code may run beside another copy of this library (or events
 * made elsewhere), where `instanceof` would say no.
 */
export function isEventLike(x: unknown): x is T.Event {
  if (typeof x !== "object" || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.common === "object" && e.common !== null && typeof e.sections === "function" && typeof e.get === "function" && typeof e.toDict === "function";
}

const TIMELINE = ["#", "time", "Δ previous hop", "probe", "device", "netns", "drop", "changed"];

/**
 * One row per hop: time since the first event and since the hop before, probe, device, namespace, drop, and
 * for a series what changed since the hops before (one change per line).
 */
export function timelineRows(events: ArrayLike<T.Event>, hops?: readonly T.HopChanges[]): string[][] {
  const rows: string[][] = [];
  const first = events.length > 0 ? events[0]!.common.timestamp : 0n;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const t = e.common.timestamp;
    const delta = i === 0 ? "" : `+${formatDuration(t - events[i - 1]!.common.timestamp)}`;
    const row = [String(i), `+${formatDuration(t - first)}`, delta, probeName(e), device(e), namespace(e), dropReason(e)];
    if (hops) row.push(i === 0 ? "" : hops[i - 1]!.changes.map(changeText).join("\n"));
    rows.push(row);
  }
  return rows;
}

export function seriesBundle(series: T.EventSeries): Record<string, string> {
  const id = series.trackingId();
  const title = `${series.length} event${series.length === 1 ? "" : "s"}${id === undefined ? "" : ` of packet #${id.toString(16)}`}`;
  const html = `<div class="retis-series">\n<p>${escapeXml(title)}</p>\n${htmlTable(TIMELINE, timelineRows(series, series.changes()))}\n</div>`;
  // Retis's sorted text, with what changed under each hop (`retis sort --changes`).
  return { "text/plain": series.format({ changes: true }), "text/html": html };
}

const LIST = ["#", "timestamp", "probe", "device", "netns", "drop", "summary"];

function firstLine(e: T.Event): string {
  const text = e.toString();
  const nl = text.indexOf("\n");
  return nl < 0 ? text : text.slice(0, nl);
}

/** Events that are not one series: one row each (absolute timestamps), the first MAX_ROWS of them. */
export function eventsBundle(events: readonly T.Event[]): Record<string, string> {
  const shown = events.slice(0, MAX_ROWS);
  const rows = shown.map((e, i) => [String(i), String(e.common.timestamp), probeName(e), device(e), namespace(e), dropReason(e), firstLine(e)]);
  const more = events.length > MAX_ROWS ? `… ${events.length - MAX_ROWS} more events (${events.length} in all)` : "";
  return {
    "text/plain": `${events.length} events\n${textTable(LIST, rows)}${more ? `\n${more}` : ""}`,
    "text/html": `<div class="retis-events">\n<p>${events.length} events</p>\n${htmlTable(LIST, rows)}${more ? `\n<p>${escapeXml(more)}</p>` : ""}\n</div>`,
  };
}
