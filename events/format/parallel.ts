// Printing on several threads: the calling thread reads the capture (detection, split files, line checks:
// the library's readers) and hands batches of lines to rendering threads, which parse every section and
// render Retis's text; the results are written back in input order. A failure inside a batch is reported
// after everything before it has been written, as a single-threaded print would.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FormatOptions, TimeSpec } from "../../typings/index.js";
import { RetisFormatError } from "../errors.js";
import type { RenderBatch, RenderResult } from "./render-worker.js";

/** One thing to print: an event (one JSON text) or a series (its events' JSON texts). */
export interface RenderUnit {
  texts: string[];
  file: string;
  line: number;
  offset: TimeSpec | undefined;
}

/** Threads to render with by default: the machine's cores, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

// Batches of about this many characters: large enough that messaging costs little, small enough that
// output starts early and memory stays bounded (a few batches per thread in flight).
export const BATCH_CHARS = 1 << 19;
export const IN_FLIGHT_PER_THREAD = 3;

/** Threads that parse, check and render batches of lines; results come back per batch. */
export class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, (r: RenderResult) => void>();
  #failed: Error | undefined;
  #next = 0;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL("./render-worker.js", import.meta.url));
      w.on("message", (r: RenderResult) => {
        const done = this.#waiting.get(r.id);
        this.#waiting.delete(r.id);
        done?.(r);
      });
      w.on("error", (e) => this.#fail(e));
      this.#workers.push(w);
    }
  }

  get threads(): number {
    return this.#workers.length;
  }

  #fail(e: Error): void {
    this.#failed ??= e;
    for (const [id, done] of this.#waiting) done({ id, bytes: new Uint8Array(), units: 0, error: { message: e.message } });
    this.#waiting.clear();
  }

  /** Runs a batch on the next thread in turn (its `id` is set here). */
  run(batch: Omit<RenderBatch, "id">): Promise<RenderResult> {
    const id = this.#next++;
    const result = new Promise<RenderResult>((resolve) => this.#waiting.set(id, resolve));
    if (this.#failed) this.#fail(this.#failed);
    else this.#workers[id % this.#workers.length]!.postMessage({ ...batch, id });
    return result;
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** A batch's failure, as the error the same line gives on one thread. */
export function batchError(r: RenderResult): Error | undefined {
  const e = r.error;
  if (e === undefined) return undefined;
  if ("problem" in e) return new RetisFormatError(e.file, e.line, e.problem);
  return new Error(e.message);
}

/** Units joined into one batch, split again by the thread (see RenderBatch). */
export function batchOf(units: RenderUnit[], kind: RenderBatch["kind"], options: FormatOptions): Omit<RenderBatch, "id"> {
  const first = units[0]!;
  const texts: string[] = [];
  const lines: number[] = [];
  const sizes: number[] = [];
  for (const u of units) {
    for (const t of u.texts) texts.push(t);
    lines.push(u.line);
    sizes.push(u.texts.length);
  }
  return { file: first.file, offset: first.offset, options, kind, text: texts.join("\n"), lines, sizes: kind === "series" ? sizes : undefined };
}

/** Renders units on a pool's threads and writes the text in input order. */
export class ParallelRenderer {
  readonly #queue: Promise<RenderResult>[] = [];
  #batch: RenderUnit[] = [];
  #batchChars = 0;

  /**
   * `write` gets each batch's bytes in input order and the number of units they hold. `kind` says whether
   * units are events or series (print's separators differ).
   */
  constructor(
    private readonly pool: WorkerPool,
    private readonly kind: "events" | "series",
    private readonly options: FormatOptions,
    private readonly write: (bytes: Uint8Array, units: number) => void,
  ) {}

  /** Queues a unit; resolves at once unless enough work is in flight, then after the oldest batch is written. */
  async add(unit: RenderUnit): Promise<void> {
    const last = this.#batch[this.#batch.length - 1];
    if (last !== undefined && (last.file !== unit.file || last.offset !== unit.offset)) this.#send();
    this.#batch.push(unit);
    for (const t of unit.texts) this.#batchChars += t.length;
    if (this.#batchChars >= BATCH_CHARS) {
      this.#send();
      if (this.#queue.length >= this.pool.threads * IN_FLIGHT_PER_THREAD) await this.#writeOldest();
    }
  }

  #send(): void {
    const units = this.#batch;
    if (units.length === 0) return;
    this.#batch = [];
    this.#batchChars = 0;
    this.#queue.push(this.pool.run(batchOf(units, this.kind, this.options)));
  }

  async #writeOldest(): Promise<void> {
    const r = await this.#queue.shift()!;
    if (r.bytes.length > 0 || r.units > 0) this.write(r.bytes, r.units);
    const e = batchError(r);
    if (e) throw e;
  }

  /** Renders and writes everything queued, in order; throws the first batch's failure. */
  async finish(): Promise<void> {
    this.#send();
    while (this.#queue.length > 0) await this.#writeOldest();
  }

}
