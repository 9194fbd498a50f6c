// How events look in a notebook. An Event: its Retis text (text/plain, exactly `String(event)`) and a table
// of its sections (text/html). An EventSeries: Retis's sorted text plus a timeline (probe, time since the
// first event, device). An array of events: one row per event. All pure functions of the events.
//
// Events are recognised by shape, not by class: the kernel's display module runs in the engine's thread
// and must not load a second copy of events/ just for `instanceof`.
import { escapeXml, formatDuration, htmlTable, jsonText, textTable } from "./html.js";

/** The parts of an Event the renderers read (typings/event.ts). */
export interface EventLike {
  common: { timestamp: bigint; smp_id?: number; task?: { comm: string; pid: number } };
  kernel?: { symbol: string; probe_type: string };
  userspace?: { symbol?: string; probe_type?: string };
  dev?: { name: string; ifindex: number };
  skb_drop?: { drop_reason: string; subsys?: string; reason(): string };
  tracking?: { idx: number };
  sections(): string[];
  get(name: string): unknown;
  toString(): string;
}

/** The parts of an EventSeries the renderers read. */
export interface SeriesLike extends ArrayLike<EventLike> {
  trackingId(): bigint | undefined;
  toString(): string;
}

export function isEvent(x: unknown): x is EventLike {
  if (typeof x !== "object" || x === null) return false;
  const e = x as Record<string, unknown>;
  const common = e.common as Record<string, unknown> | undefined;
  return typeof common === "object" && common !== null && typeof e.sections === "function" && typeof e.get === "function" && typeof e.toDict === "function";
}

export function isSeries(x: unknown): x is SeriesLike {
  if (typeof x !== "object" || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s.trackingId === "function" && typeof s.length === "number" && (s.length === 0 || isEvent((s as unknown as ArrayLike<unknown>)[0]));
}

/** Probe as Retis prints it: `[tp] skb:kfree_skb`, `[k] ip_rcv`, `[kr] …`, `[u] …`. */
export function probeName(e: EventLike): string {
  // The sections render themselves as Retis does; no second copy of the probe marks here.
  return String(e.kernel ?? e.userspace ?? "");
}

/** Drop reason with its subsystem when not core: `NO_SOCKET`, `openvswitch/DROP_…`. */
export function dropReason(e: EventLike): string {
  const d = e.skb_drop;
  if (!d) return "";
  return d.reason();
}

function device(e: EventLike): string {
  return e.dev ? (e.dev.name ? `${e.dev.name} (${e.dev.ifindex})` : `if ${e.dev.ifindex}`) : "";
}

/** Fields of a section as `key=value` lines; nested objects as JSON (u64 exact). */
function fieldLines(section: unknown): string {
  const dict = typeof (section as { toDict?: unknown })?.toDict === "function" ? (section as { toDict(): unknown }).toDict() : section;
  if (typeof dict !== "object" || dict === null) return String(dict);
  return Object.entries(dict as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === "object" && v !== null ? jsonText(v) : String(v)}`)
    .join("\n");
}

export function eventBundle(e: EventLike): Record<string, string> {
  const text = e.toString();
  const rows = e.sections().map((name) => {
    const section = e.get(name);
    const own = section !== undefined && section !== null ? String(section) : "";
    return [name, own, fieldLines(section)];
  });
  const html = `<div class="retis-event">\n<pre>${escapeXml(text)}</pre>\n${htmlTable(["section", "text", "fields"], rows)}\n</div>`;
  return { "text/plain": text, "text/html": html };
}

/** Timeline rows of events: index, time since the first, probe, device, drop reason. */
export function timelineRows(events: ArrayLike<EventLike>): string[][] {
  const first = events.length > 0 ? events[0]!.common.timestamp : 0n;
  let previous = first;
  const rows: string[][] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const t = e.common.timestamp;
    rows.push([String(i), `+${formatDuration(t - first)}`, i === 0 ? "" : `+${formatDuration(t - previous)}`, probeName(e), device(e), dropReason(e)]);
    previous = t;
  }
  return rows;
}

const TIMELINE_HEAD = ["#", "since first", "since previous", "probe", "device", "drop"];

export function seriesBundle(s: SeriesLike): Record<string, string> {
  const id = s.trackingId();
  const title = `${s.length} event${s.length === 1 ? "" : "s"}${id === undefined ? "" : `, packet #${id.toString(16)}`}`;
  const rows = timelineRows(s);
  const html = `<div class="retis-series">\n<p>${escapeXml(title)}</p>\n${htmlTable(TIMELINE_HEAD, rows)}\n</div>`;
  return { "text/plain": s.toString(), "text/html": html };
}

/** Events that are not one series: one row each, with absolute timestamps and the first line of their text. */
export function eventsTableBundle(events: readonly EventLike[]): Record<string, string> {
  const head = ["#", "timestamp", "probe", "device", "drop", "summary"];
  const rows = events.map((e, i) => [String(i), String(e.common.timestamp), probeName(e), device(e), dropReason(e), firstLine(e)]);
  return {
    "text/plain": `${events.length} events\n${textTable(head, rows)}`,
    "text/html": `<div class="retis-events">\n<p>${events.length} events</p>\n${htmlTable(head, rows)}\n</div>`,
  };
}

function firstLine(e: EventLike): string {
  const t = e.toString();
  const nl = t.indexOf("\n");
  return nl < 0 ? t : t.slice(0, nl);
}
