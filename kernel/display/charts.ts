// The Retis charts cells ask for most, built from events: drops per reason, events per probe, and the
// latency between the hops of one packet's series. Pure functions of the events they are given.
import type { Event } from "../../typings/index.js";
import { dropReason, probeName } from "../../events/display/index.js";
import { barChart, lineChart, type Plot } from "./plots.js";

function count(keys: Iterable<string>): { label: string; value: number }[] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].map(([label, value]) => ({ label, value }));
}

function* map<T, U>(items: Iterable<T>, f: (t: T) => U | undefined): Iterable<U> {
  for (const t of items) {
    const u = f(t);
    if (u !== undefined) yield u;
  }
}

/** Dropped packets per drop reason (events with an `skb_drop` section; others are ignored). */
export function dropsByReason(events: Iterable<Event>): Plot {
  return barChart("Drops per reason", count(map(events, (e) => (e.skb_drop ? dropReason(e) : undefined))), { label: "reason", value: "drops" });
}

/** Events per probe (`[tp] skb:kfree_skb`, …). */
export function eventsPerProbe(events: Iterable<Event>): Plot {
  return barChart("Events per probe", count(map(events, (e) => probeName(e) || undefined)), { label: "probe", value: "events" });
}

/**
 * The time from each hop of a series to the next, in microseconds, at the later hop: where a packet spent
 * its time. The first hop is at 0.
 */
export function latency(series: ArrayLike<Event>, title = "Latency per hop"): Plot {
  const points = [];
  for (let i = 0; i < series.length; i++) {
    const e = series[i]!;
    const dt = i === 0 ? 0n : e.common.timestamp - series[i - 1]!.common.timestamp;
    points.push({ x: i, y: Number(dt) / 1000, label: `${i} ${probeName(e)}` });
  }
  return lineChart(title, points, { x: "hop", y: "µs since previous hop" });
}
