// Readers over events files (with split files followed) and sorted files, sync and async. Each line is
// turned into an Event with its file and line number; the capture's clock offset rides along for --utc.
import type * as T from "../../typings/index.js";
import { RetisFormatError, RetisUsageError } from "../errors.js";
import { Event } from "../event.js";
import { JsonSyntaxError } from "../json/exact.js";
import { splitArray } from "../json/split.js";
import { EventSeries } from "../series.js";
import { detect, nextSplitPath, type FileInfo } from "./detect.js";
import { oneByOne, readLineBatches, readLines, type Line } from "./lines.js";

/** Turns one line of an events file into an event; blank lines and truncated last lines are errors. */
function eventOf(info: FileInfo, line: Line): Event {
  const pos = { file: info.path, line: line.number };
  if (line.text.length === 0) throw RetisFormatError.at(pos, "empty line; expected one JSON event per line");
  const e = Event.fromLine(line.text, pos, info.compat);
  // A last line without its newline may be cut short: check all of it now, not when a section is read.
  if (line.unterminated) e.parseAll();
  return e;
}

function seriesOf(info: FileInfo, line: Line): EventSeries {
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
    const e = Event.fromLine(el, pos, info.compat);
    if (line.unterminated) e.parseAll();
    series.push(e);
  }
  return series;
}

export class EventReader implements T.EventReader {
  constructor(
    private readonly info: FileInfo,
    private readonly followSplits: boolean,
  ) {
    if (info.sorted) throw new RetisUsageError("Cannot create a EventReader from a sorted file. Use an SeriesReader instead");
  }

  get path(): string {
    return this.info.path;
  }

  *[Symbol.iterator](): Iterator<Event> {
    let info: FileInfo | undefined = this.info;
    while (info) {
      const offset = info.startup.startup?.clock_monotonic_offset;
      for (const line of readLines(info.source)) {
        const e = eventOf(info, line);
        e.monotonicOffset = offset;
        yield e;
      }
      info = this.followSplits ? nextInfo(info) : undefined;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Event> {
    return oneByOne(this.eventBatches());
  }

  private async *eventBatches(): AsyncGenerator<Event[]> {
    let info: FileInfo | undefined = this.info;
    while (info) {
      const offset = info.startup.startup?.clock_monotonic_offset;
      for await (const lines of readLineBatches(info.source)) {
        const events = lines.map((line) => eventOf(info!, line));
        for (const e of events) e.monotonicOffset = offset;
        yield events;
      }
      info = this.followSplits ? nextInfo(info) : undefined;
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

export class SeriesReader implements T.SeriesReader {
  constructor(private readonly info: FileInfo) {
    if (!info.sorted) throw new RetisUsageError("Cannot create a SeriesReader from an unsorted file. Use an EventReader instead");
  }

  get path(): string {
    return this.info.path;
  }

  *[Symbol.iterator](): Iterator<EventSeries> {
    const offset = this.info.startup.startup?.clock_monotonic_offset;
    for (const line of readLines(this.info.source)) {
      const s = seriesOf(this.info, line);
      for (const e of s) e.monotonicOffset = offset;
      yield s;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<EventSeries> {
    return oneByOne(this.seriesBatches());
  }

  private async *seriesBatches(): AsyncGenerator<EventSeries[]> {
    const offset = this.info.startup.startup?.clock_monotonic_offset;
    for await (const lines of readLineBatches(this.info.source)) {
      const batch = lines.map((line) => seriesOf(this.info, line));
      for (const s of batch) for (const e of s) e.monotonicOffset = offset;
      yield batch;
    }
  }
}
