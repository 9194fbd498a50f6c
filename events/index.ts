// The `retis` library: read, write, render and sort Retis captures. Types are in typings/ (re-exported).
export type * from "../typings/index.js";
export { EventFile } from "./file/event-file.js";
export { EventReader, SeriesReader } from "./file/reader.js";
export { Event } from "./event.js";
export { EventSeries } from "./series.js";
export { RetisFormatError, RetisUsageError } from "./errors.js";
export { parseExact } from "./json/exact.js";
export { stringifyExact } from "./json/write.js";

import { Event } from "./event.js";

/** An event from one JSON line (e.g. a collector's output as it arrives). Its sections parse on first use. */
export function eventFromLine(line: string, source?: { file: string; line: number }): Event {
  return Event.fromLine(line, source);
}
export { Sorter, sortEvents, type SortOptions } from "./sort.js";
export { dissect } from "./packet/index.js";
