// A series: the events of one packet, as `retis sort` groups them (one line of a sorted file).
import type * as T from "../typings/index.js";
import { Event, displayOptions } from "./event.js";
import { Formatter } from "./format/formatter.js";
import { seriesBundle } from "./display/list.js";
import { fmtChanges, seriesChanges } from "./changes.js";

export class EventSeries extends Array<Event> implements T.EventSeries {
  // map/filter/slice give plain arrays: a filtered series is no longer one packet's series.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** A series of the given events (never `new EventSeries(n)`, which is Array's length constructor). */
  static fromEvents(events: Iterable<T.Event>): EventSeries {
    const s = new EventSeries();
    for (const e of events) {
      // The typings' Event is what users hold; every event comes from this library (readers, eventFromLine).
      if (!(e instanceof Event)) throw new TypeError("EventSeries.fromEvents takes events read by this library");
      s.push(e);
    }
    return s;
  }

  trackingId(): bigint | undefined {
    for (const e of this) {
      const t = e.tracking?.skb ?? e.skb_tracking;
      if (t) return t.trackingId();
    }
    return undefined;
  }

  format(options: T.FormatOptions = {}): string {
    const texts: string[] = [];
    const hops = options.changes ? this.changes() : undefined;
    this.forEach((e, i) => {
      // Later events hang under the first one, marked with '↳' (Retis's series layout).
      const f = i === 0 ? new Formatter() : new Formatter(4, "↳");
      const o = displayOptions(options, e.monotonicOffset);
      e.fmt(f, o);
      if (hops && i > 0) fmtChanges(f, hops[i - 1]!, o);
      texts.push(f.finish());
    });
    return texts.join("\n");
  }

  /** What changed at each hop since the hops before it (events/changes.ts). */
  changes(): T.HopChanges[] {
    return seriesChanges(this);
  }

  override toString(): string {
    return this.format();
  }

  /** console.log and the shells show a series as Retis's sorted text. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `EventSeries (${this.length} event${this.length === 1 ? "" : "s"})\n${this.format()}`;
  }

  /** A notebook shows a series as Retis's text and a timeline of its hops (events/display/). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return seriesBundle(this);
  }

  /** The series as one line of a sorted file (a JSON array of events). */
  toJSONLine(): string {
    return `[${this.map((e) => e.toJSONLine()).join(",")}]`;
  }
}
