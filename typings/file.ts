import type { Event, EventSeries } from "./event.js";
import type { StartupEvent } from "./startup.js";
import type { FollowOptions } from "./collect.js";

/**
 * Reads the events of an unsorted file, the startup event first. Retis `EventReader`.
 *
 * It is an iterator, as in Python: `next()` steps one event (`next(reader)`), `for…of` and `for await…of`
 * continue from where the reader stands, and leaving a loop early keeps the position. `EventFile.events()`
 * returns a new reader, from the first event, on every call.
 *
 * ```ts
 * const events = new EventReader("retis.data");
 * const startup = events.next().value;     // the startup event
 * for (const e of events) console.log(String(e));
 * ```
 */
export interface EventReader extends IterableIterator<Event, undefined, undefined>, AsyncIterable<Event> {
  /** The path being read (for split files, the first one). */
  readonly path: string;
  /** The next event, or `{ done: true }` after the last one (Python `next(reader)`). */
  next(): IteratorResult<Event, undefined>;
  /** The reader itself: `for…of` continues from where it stands. */
  [Symbol.iterator](): EventReader;
  /** Async iteration from where the reader stands (`for await…of`); reads the file in large chunks. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Event, undefined, undefined>;
}

/** How readers of events files are made: `new EventReader(path)`, `EventReader.withRotation(path)`. */
export interface EventReaderConstructor {
  /**
   * Opens the events file at `path` (`FILE`, or `FILE..` with the split files after it) and reads its first
   * line. Throws `RetisUsageError` on a sorted file ("Cannot create a EventReader from a sorted file. Use an
   * SeriesReader instead", Retis's words) and `RetisFormatError` (file, line, what was expected) on bad input.
   */
  new (path: string): EventReader;
  /** Reads `path` and the split files after it (`retis.data.0` → `.1`, `.2`…). Retis `EventReader.with_rotation(path)`. */
  withRotation(path: string): EventReader;
  readonly prototype: EventReader;
}

/**
 * Reads the series of a sorted file (`retis sort -o`). Retis `SeriesReader`. An iterator like `EventReader`:
 * `next()`, `for…of` and `for await…of` continue from where it stands.
 */
export interface SeriesReader extends IterableIterator<EventSeries, undefined, undefined>, AsyncIterable<EventSeries> {
  /** The path being read. */
  readonly path: string;
  /** The next series, or `{ done: true }` after the last one (Python `next(reader)`). */
  next(): IteratorResult<EventSeries, undefined>;
  /** The reader itself: `for…of` continues from where it stands. */
  [Symbol.iterator](): SeriesReader;
  /** Async iteration from where the reader stands (`for await…of`). */
  [Symbol.asyncIterator](): AsyncIterableIterator<EventSeries, undefined, undefined>;
}

/** How readers of sorted files are made: `new SeriesReader(path)`, as Retis's `SeriesReader("sorted_events.json")`. */
export interface SeriesReaderConstructor {
  /**
   * Opens the sorted file at `path` and reads its first line. Throws `RetisUsageError` on an events file
   * ("Cannot create a SeriesReader from an unsorted file. Use an EventReader instead", Retis's words) and
   * `RetisFormatError` on bad input.
   */
  new (path: string): SeriesReader;
  readonly prototype: SeriesReader;
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
  /** The Retis version that wrote the file, as in its startup event (`v1.7.0`). */
  readonly version: string;
  /** True for a sorted file (series, from `retis sort -o`): its first line is a JSON array. */
  sorted(): boolean;
  /** False when the file is older than the current format (1.5, 1.6) and its events are fixed up as they are read. */
  currentFormat(): boolean;
  /** The startup event of the file (line 1): version, command line, machine, clock offset. */
  startup(): StartupEvent;
  /** A new reader from the first event, on every call; fails on a sorted file. */
  events(): EventReader;
  /** A new reader from the first series, on every call; fails on an unsorted file. */
  series(): SeriesReader;
}

/** How capture files are opened: `new EventFile(path)`, `EventFile.withRotation(path)`. */
export interface EventFileConstructor {
  /**
   * Opens `path` (`FILE`, or `FILE..` with the split files after it) and reads its first line. Throws
   * `RetisFormatError` (file, line, what was expected) on a missing, empty or unreadable file.
   */
  new (path: string): EventFile;
  /** Opens `path` and the split files after it (`path.1`, `path.2`… when path is `….0`). Retis `EventFile.with_rotation`. */
  withRotation(path: string): EventFile;
  /** The default input, as Retis: `retis.data` in `dir` (default: the current directory), else `retis.data.0..`. Throws when neither exists. */
  defaultInput(dir?: string): string;
  /**
   * The events of an events file while it is being written (`for await (const e of EventFile.follow(path))`),
   * the startup event first: what is there already, then each line as soon as its newline is written (never
   * a half-written line), across rotation (`path` is the file being written, `OUT`; finished parts `OUT.0`,
   * `OUT.1`… are read first). Ends when `options.until` settles, else when no process holds the file open
   * for writing any more, after the last line; or when the loop breaks (files and watchers are closed).
   */
  follow(path: string, options?: FollowOptions): AsyncIterableIterator<Event, undefined, undefined>;
  readonly prototype: EventFile;
}
