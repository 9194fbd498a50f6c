// Readers over events files (with split files followed) and sorted files, sync and async. Each line is
// turned into an Event with its file and line number; the capture's clock offset rides along for --utc.
import type * as T from "../../typings/index.js";
import type { FormatVersion } from "../compat.js";
import { RetisFormatError, RetisUsageError } from "../errors.js";
import { Event } from "../event.js";
import { JsonSyntaxError } from "../json/exact.js";
import { splitArray } from "../json/split.js";
import { EventSeries } from "../series.js";
import { detect, nextSplitPath, type FileInfo } from "./detect.js";
import { oneByOne, readLineBatches, readLines, type Line } from "./lines.js";

/** Turns one line of an events file into an event; blank lines and truncated last lines are errors. */
function eventOf(info: FileInfo, line: Line, offset: T.TimeSpec | undefined): Event {
  return eventOfLine(info.path, info.compat, line, offset);
}

/** The same, for a reader that has the file's name and version but no FileInfo (a worker thread). */
export function eventOfLine(path: string, compat: FormatVersion | undefined, line: Line, offset: T.TimeSpec | undefined): Event {
  const pos = { file: path, line: line.number };
  if (line.text.length === 0) throw RetisFormatError.at(pos, "empty line; expected one JSON event per line");
  const e = Event.fromLine(line.text, pos, compat, offset);
  // A last line without its newline may be cut short: check all of it now, not when a section is read.
  if (line.unterminated) e.parseAll();
  return e;
}

function seriesOf(info: FileInfo, line: Line, offset: T.TimeSpec | undefined): EventSeries {
  const pos = { file: info.path, line: line.number };
  let elements: string[];
  try {
    elements = splitArray(line.text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw RetisFormatError.at(pos, `${e.message}; expected a JSON array of events (a series)`);
    throw e;
  }
  const series = new EventSeries();
  for (const el of elements) {
    if (!el.startsWith("{")) throw RetisFormatError.at(pos, `series element is ${el.slice(0, 20)}; expected an event object`);
    const e = Event.fromLine(el, pos, info.compat, offset);
    if (line.unterminated) e.parseAll();
    series.push(e);
  }
  return series;
}

interface Opened {
  info: FileInfo;
  follow: boolean;
}

/** Set while EventFile hands a reader the file it has opened already (see `readerOf`). */
let handedOver: Opened | undefined;

/** A reader over a file EventFile has detected already: no second look at its first line. */
export function readerOf<R>(Reader: new (path: string) => R, info: FileInfo, follow: boolean): R {
  handedOver = { info, follow };
  try {
    return new Reader(info.path);
  } finally {
    handedOver = undefined;
  }
}

/** Opens a reader's file: `FILE`, or `FILE..` (and `rotation`) for the split files after it. */
function open(path: string, rotation: boolean): Opened {
  if (handedOver !== undefined) return handedOver;
  if (typeof path !== "string") throw new TypeError(`a reader takes a file path (string), not ${path === null ? "null" : typeof path}`);
  const dots = path.endsWith("..");
  return { info: detect(dots ? path.slice(0, -2) : path), follow: dots || rotation };
}

// A reader left before its end still holds its file open inside its generator: closing it when the reader is
// garbage-collected keeps abandoned readers from exhausting file descriptors.
const abandoned = new FinalizationRegistry<{ return?(): unknown }>((it) => {
  try {
    void Promise.resolve(it.return?.()).catch(() => undefined);
  } catch {
    // Closing a reader that failed already: nothing left to release.
  }
});

/**
 * One position in a file, as Python's readers: `next()`, `for…of` and `for await…of` all continue from it;
 * leaving a loop early does not close it (another `events()` starts afresh). Sync stepping owns the position
 * once started; async stepping after it continues where it stands.
 */
abstract class Cursor<T> {
  #sync: Iterator<T> | undefined;
  #async: AsyncIterator<T> | undefined;

  protected abstract items(): Generator<T>;
  protected abstract itemsAsync(): AsyncIterator<T>;

  next(): IteratorResult<T, undefined> {
    if (this.#sync === undefined) {
      if (this.#async !== undefined)
        throw new RetisUsageError("This reader is being read with for await: keep reading it that way, or open another one (events(), series())");
      this.#sync = this.items();
      abandoned.register(this, this.#sync);
    }
    return this.#sync.next() as IteratorResult<T, undefined>;
  }

  [Symbol.iterator](): this {
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const step: () => Promise<IteratorResult<T, undefined>> =
      this.#sync !== undefined
        ? () => Promise.resolve(this.next())
        : () => {
            if (this.#async === undefined) {
              this.#async = this.itemsAsync();
              abandoned.register(this, this.#async);
            }
            return this.#async.next() as Promise<IteratorResult<T, undefined>>;
          };
    // No `return()`: `break` leaves the position where it is, as for the sync iterator.
    const it: AsyncIterableIterator<T> = { next: step, [Symbol.asyncIterator]: () => it };
    return it;
  }
}

export class EventReader extends Cursor<Event> implements T.EventReader {
  readonly #info: FileInfo;
  readonly #follow: boolean;

  /**
   * Reads the events of the events file at `path` (`FILE`, or `FILE..` with the split files after it), the
   * startup event first. Retis `EventReader(path)`; a sorted file fails as in Retis.
   */
  constructor(path: string) {
    super();
    const { info, follow } = open(path, false);
    if (info.sorted) throw new RetisUsageError("Cannot create a EventReader from a sorted file. Use an SeriesReader instead");
    this.#info = info;
    this.#follow = follow;
  }

  /** Reads `path` and the split files after it (`retis.data.0` → `.1`, `.2`…). Retis `EventReader.with_rotation`. */
  static withRotation(path: string): EventReader {
    return new EventReader(path.endsWith("..") ? path : `${path}..`);
  }

  get path(): string {
    return this.#info.path;
  }

  protected *items(): Generator<Event> {
    let info: FileInfo | undefined = this.#info;
    while (info) {
      const offset = info.startup.startup?.clock_monotonic_offset;
      for (const line of readLines(info.source)) yield eventOf(info, line, offset);
      info = this.#follow ? nextInfo(info) : undefined;
    }
  }

  protected itemsAsync(): AsyncIterator<Event> {
    return oneByOne(this.eventBatches());
  }

  private async *eventBatches(): AsyncGenerator<Event[]> {
    let info: FileInfo | undefined = this.#info;
    while (info) {
      const offset = info.startup.startup?.clock_monotonic_offset;
      for await (const lines of readLineBatches(info.source)) yield lines.map((line) => eventOf(info!, line, offset));
      info = this.#follow ? nextInfo(info) : undefined;
    }
  }
}

function nextInfo(info: FileInfo): FileInfo | undefined {
  const next = nextSplitPath(info);
  if (next === undefined) return undefined;
  const n = detect(next);
  if (n.sorted) throw new RetisFormatError(next, 1, "split file is sorted; expected an events file like the rest of the set");
  return n;
}

export class SeriesReader extends Cursor<EventSeries> implements T.SeriesReader {
  readonly #info: FileInfo;

  /** Reads the series of the sorted file at `path` (`retis sort -o`). Retis `SeriesReader(path)`; an events file fails as in Retis. */
  constructor(path: string) {
    super();
    const { info, follow } = open(path, false);
    if (!info.sorted) throw new RetisUsageError("Cannot create a SeriesReader from an unsorted file. Use an EventReader instead");
    if (follow) throw new RetisUsageError("Cannot use rotation on event series");
    this.#info = info;
  }

  get path(): string {
    return this.#info.path;
  }

  protected *items(): Generator<EventSeries> {
    const offset = this.#info.startup.startup?.clock_monotonic_offset;
    for (const line of readLines(this.#info.source)) yield seriesOf(this.#info, line, offset);
  }

  protected itemsAsync(): AsyncIterator<EventSeries> {
    return oneByOne(this.seriesBatches());
  }

  private async *seriesBatches(): AsyncGenerator<EventSeries[]> {
    const offset = this.#info.startup.startup?.clock_monotonic_offset;
    for await (const lines of readLineBatches(this.#info.source)) yield lines.map((line) => seriesOf(this.#info, line, offset));
  }
}
