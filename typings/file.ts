import type { Event, EventSeries } from "./event.js";
import type { StartupEvent } from "./startup.js";

/** Reads the events of an unsorted file, the startup event first; iterate it with `for…of` or `for await…of`. Retis `EventReader`. */
export interface EventReader extends Iterable<Event>, AsyncIterable<Event> {
  /** The path being read (for split files, the first one). */
  readonly path: string;
}

/** Reads the series of a sorted file (`retis sort -o`); iterate it with `for…of` or `for await…of`. Retis `SeriesReader`. */
export interface SeriesReader extends Iterable<EventSeries>, AsyncIterable<EventSeries> {
  /** The path being read. */
  readonly path: string;
}

/**
 * A Retis capture file, events (`retis collect`) or series (`retis sort -o`). Retis `EventFile`.
 *
 * ```ts
 * const file = new EventFile("retis.data");
 * if (!file.sorted()) for (const e of file.events()) console.log(String(e));
 * ```
 */
export interface EventFile {
  /** Path of the file; with split files, the first one. */
  readonly path: string;
  /** True for a sorted file (series, from `retis sort -o`): its first line is a JSON array. */
  sorted(): boolean;
  /** The startup event of the file (line 1): version, command line, machine, clock offset. */
  startup(): StartupEvent;
  /** A new reader from the first event; fails on a sorted file. */
  events(): EventReader;
  /** A new reader from the first series; fails on an unsorted file. */
  series(): SeriesReader;
}
