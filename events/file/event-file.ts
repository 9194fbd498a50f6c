// EventFile: the entry point, as Retis's Python `EventFile`. Accepts `FILE` (this file only) and `FILE..`
// (this file and the split files after it), like the retis CLI.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as T from "../../typings/index.js";
import { RetisFormatError, RetisUsageError } from "../errors.js";
import { detect, type FileInfo } from "./detect.js";
import { EventReader, SeriesReader, readerOf } from "./reader.js";
import { followFile } from "../collect/follow.js";

export class EventFile implements T.EventFile {
  readonly path: string;
  readonly #info: FileInfo;
  readonly #followSplits: boolean;

  /** Opens `path` (`FILE` or `FILE..`) and reads its first line; throws RetisFormatError on bad input. */
  constructor(path: string) {
    if (typeof path !== "string") throw new TypeError(`EventFile takes a file path (string), not ${path === null ? "null" : typeof path}`);
    const follow = path.endsWith("..");
    this.path = follow ? path.slice(0, -2) : path;
    this.#followSplits = follow;
    this.#info = detect(this.path);
    if (follow && this.#info.sorted) throw new RetisUsageError("Cannot use rotation on event series");
  }

  /** Opens `path` and the split files after it (`path.1`, `path.2`… when path is `….0`). Retis `with_rotation`. */
  static withRotation(path: string): EventFile {
    return new EventFile(`${path}..`);
  }

  /**
   * The default input, as Retis: `retis.data` in `dir`, else the split set `retis.data.0..`.
   * Throws when neither exists.
   */
  static defaultInput(dir = process.cwd()): string {
    const plain = join(dir, "retis.data");
    if (existsSync(plain)) return resolve(plain);
    if (existsSync(`${plain}.0`)) return `${resolve(plain)}.0..`;
    throw new RetisFormatError(plain, 0, "No input: neither retis.data nor retis.data.0 exists here; expected a capture (retis collect -o) or an input path");
  }

  /**
   * The events of an events file while it is being written, across rotation; see typings' `EventFile.follow`.
   * `for await (const e of EventFile.follow("retis.data")) …`
   */
  static follow(path: string, options?: T.FollowOptions): AsyncIterableIterator<T.Event, undefined, undefined> {
    return followFile(path, options);
  }

  /** The Retis version that wrote the file, as in its startup event. */
  get version(): string {
    return this.#info.version.text;
  }

  /** False when the file is older than the current format and its events are fixed up as they are read. */
  currentFormat(): boolean {
    return this.#info.compat === undefined;
  }

  sorted(): boolean {
    return this.#info.sorted;
  }

  startup(): T.StartupEvent {
    return this.#info.startup.startup!;
  }

  /** A new reader from the first event on every call. */
  events(): EventReader {
    return readerOf(EventReader, this.#info, this.#followSplits);
  }

  /** A new reader from the first series on every call. */
  series(): SeriesReader {
    return readerOf(SeriesReader, this.#info, false);
  }
}
