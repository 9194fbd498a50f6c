// The `retis` library: read, write, render and sort Retis captures.
//
// One set of types: the package's types are typings/' declarations (what hover shows and what cells and
// scripts are checked against), and each runtime class is exported as a value typed by typings' constructor
// interface. So `import type { Event } from "retis"`, `Retis.Event` in a cell and what `reader` yields are
// the same type.
import type * as T from "../typings/index.js";
import { Event as EventClass } from "./event.js";
import { EventFile as EventFileClass } from "./file/event-file.js";
import { EventReader as EventReaderClass, SeriesReader as SeriesReaderClass } from "./file/reader.js";
import { EventSeries as EventSeriesClass } from "./series.js";
import { collect as collectImpl } from "./collect/run.js";
export { observeCaptures } from "./collect/run.js";

export type * from "../typings/index.js";

/** A Retis capture file: `new EventFile("retis.data")`, `EventFile.withRotation("retis.data.0")`. Retis `EventFile`. */
export const EventFile: T.EventFileConstructor = EventFileClass;
/** A Retis capture file (typings' `EventFile`). */
export type EventFile = T.EventFile;

/** Reads an events file: `new EventReader("retis.data")`, `EventReader.withRotation(path)`. Retis `EventReader`. */
export const EventReader: T.EventReaderConstructor = EventReaderClass;
/** A reader of an events file (typings' `EventReader`). */
export type EventReader = T.EventReader;

/** Reads a sorted file: `new SeriesReader("sorted_events.json")`. Retis `SeriesReader`. */
export const SeriesReader: T.SeriesReaderConstructor = SeriesReaderClass;
/** A reader of a sorted file (typings' `SeriesReader`). */
export type SeriesReader = T.SeriesReader;

/** One Retis event (`e instanceof Event`); events come from readers. Retis `Event`. */
export const Event: T.EventConstructor = EventClass;
/** One Retis event (typings' `Event`). */
export type Event = T.Event;

/** The events of one packet (`EventSeries.fromEvents(events)`). Retis `EventSeries`. */
export const EventSeries: T.EventSeriesConstructor = EventSeriesClass;
/** The events of one packet (typings' `EventSeries`). */
export type EventSeries = T.EventSeries;

export { RetisFormatError, RetisOptionError, RetisPermissionError, RetisUsageError } from "./errors.js";

/**
 * Runs the native collector with `retis collect`'s options and resolves to an `EventFile` over what it wrote;
 * `cap.follow()` yields events as they are written, `cap.stop()` ends it, `cap.stats` counts.
 */
export const collect: T.CollectFunction = collectImpl;
export { parseExact } from "./json/exact.js";
export { stringifyExact } from "./json/write.js";

/** An event from one JSON line (e.g. a collector's output as it arrives). Its sections parse on first use. */
export function eventFromLine(line: string, source?: { file: string; line: number }): T.Event {
  return EventClass.fromLine(line, source);
}
export { Sorter, sortEvents, type SortOptions } from "./sort.js";
export { dissect } from "./packet/index.js";
export { changeText, seriesChanges } from "./changes.js";
