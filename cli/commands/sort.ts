// `retis sort [INPUT] [-o OUT] [--max-buffer N] [--print] [--changes] [--threads N]`: events grouped into series, one per packet.
import { closeSync, existsSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { systemErrorText } from "../../events/errors.js";
import type { SourcePos } from "../../events/errors.js";
import { Event } from "../../events/event.js";
import { BATCH_CHARS, IN_FLIGHT_PER_THREAD, ParallelRenderer, WorkerPool, batchError } from "../../events/format/parallel.js";
import type { RenderResult } from "../../events/format/render-worker.js";
import { Sorter, type EventFile, type FormatOptions, type TimeSpec } from "../../events/index.js";
import { Grouper, withPlacement, withTracking, type Placed } from "../../events/sort.js";
import { UsageError } from "../errors.js";
import { flag, parseOrHelp, str, type CommandSpec } from "../args.js";
import { INPUT, openInput, Output, Progress, writeAllSync } from "../input.js";
import { CHANGES_OPTION, formatOptions, TEXT_OPTIONS } from "../text-options.js";
import { THREADS, threadsOption } from "./print.js";

export const spec: CommandSpec = {
  name: "retis sort",
  about: "Sort stored events in series based on tracking id.\n\nReads events and arranges them by tracking id. The output is a number of \"event sets\". An event set is a list of events that share the same tracking id (i.e: belong to the same packet).",
  options: [
    ...TEXT_OPTIONS,
    { long: "out", short: "o", takes: "required", valueName: "OUT", help: "Write event series to a file rather than to stdout" },
    { long: "print", help: "Write events to stdout even if --out is used" },
    { long: "max-buffer", takes: "required", valueName: "N", default: "1000", help: "Events held in memory at most, 0 = unbounded (not in Retis)" },
    CHANGES_OPTION,
    THREADS,
  ],
  positionals: [INPUT],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const maxText = str(p, "max-buffer")!;
  if (!/^\d+$/.test(maxText)) throw new UsageError(`invalid --max-buffer '${maxText}': expected a whole number (0 = unbounded)`);
  const options = formatOptions(p);
  const threads = threadsOption(p);
  const file = openInput(p.positionals.INPUT);
  if (file.sorted()) {
    console.error("retis: File already sorted");
    return 0;
  }
  const outPath = str(p, "out");
  if (outPath !== undefined) {
    if (sameFile(outPath, file.path)) throw new UsageError(`refusing to write the sorted output over its input ${file.path}`);
    if (!file.currentFormat())
      throw new UsageError(
        `${file.path} was written by Retis ${file.version}: a sorted file can only be written from a current-format (1.7) capture; run retis sort without -o to print its series`,
      );
  }
  const text = outPath === undefined || flag(p, "print");
  if (options.changes && !text) throw new UsageError("--changes shows what changed in printed series: add --print to print them beside --out");
  const out = new Output();
  // The sorted file is written beside its target and renamed over it only when complete: a failed sort
  // (full disk, bad input) never leaves a cut file that looks valid.
  const target = outPath === undefined ? undefined : new AtomicOutput(resolve(outPath), outPath);
  const progress = new Progress("sorting");
  // Asked for threads, or a capture long enough to gain from them (a stream may be): parsed and checked
  // on other threads, grouped here. Older formats are fixed up as they are read: they stay here.
  const parallel = threads > 1 && file.currentFormat() && (str(p, "threads") !== undefined || long(file.path));
  try {
    if (parallel) await sortInParallel(file, { threads, maxBuffer: Number(maxText), target, out: text ? out : undefined, options, progress });
    else {
      const sorter = new Sorter({ maxBuffer: Number(maxText) });
      let n = 0;
      const emit = (series: ReturnType<Sorter["add"]>) => {
        for (const s of series) {
          target?.write(`${s.toJSONLine()}\n`);
          if (text) out.write(`${s.format(options)}\n\n`);
        }
      };
      for (const e of file.events()) {
        // Every command reads every section (README, "Strict reading"): a bad line is refused by all alike.
        e.parseAll();
        emit(sorter.add(e));
        progress.tick(++n);
      }
      emit([...sorter.drain()]);
    }
    target?.commit();
  } finally {
    target?.abandon();
    // Series sorted before a bad line are printed before the error.
    out.flush();
    progress.done();
  }
  return 0;
}

/** Inputs longer than this (or of unknown length) are sorted with threads by default. */
const LONG_INPUT_BYTES = 8 << 20;

function long(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined || !st.isFile() || st.size > LONG_INPUT_BYTES;
}

/** An event as the sorting thread holds it: its line, sections read by another thread. */
interface Held {
  line: string;
  source: SourcePos;
  offset: TimeSpec | undefined;
  /** Where the line takes its tracking section (trackingInsertion), from the thread that parsed it. */
  insertion: number;
}

/** The event's line as written in its series (tracking added, a flow lookup enriched). */
function placedLine(p: Placed<Held>): string {
  const h = p.item;
  if (p.flow === undefined) {
    if (p.tracking === undefined) return h.line;
    if (h.insertion >= 0) return withTracking(h.line, h.insertion, p.tracking);
  }
  return withPlacement(Event.fromLine(h.line, h.source, undefined, h.offset), p).toJSONLine();
}

interface ParallelSort {
  threads: number;
  maxBuffer: number;
  target: AtomicOutput | undefined;
  /** Text output, if any. */
  out: Output | undefined;
  options: FormatOptions;
  progress: Progress;
}

/**
 * `retis sort` with threads: batches of lines are parsed and checked on the pool, which returns what
 * grouping reads of each event; grouping stays here, in input order, so the series are those of one
 * thread. Series text is rendered on the pool too. A bad line fails after the events before it were sorted.
 */
async function sortInParallel(file: EventFile, o: ParallelSort): Promise<void> {
  const pool = new WorkerPool(o.threads);
  const grouper = new Grouper<Held>({ maxBuffer: o.maxBuffer });
  let n = 0;
  let ticked = 0;
  const renderer =
    o.out === undefined
      ? undefined
      : new ParallelRenderer(pool, "series", o.options, (bytes) => {
          o.out!.flush();
          writeAllSync(1, bytes, "standard output", () => process.exit(0));
        });
  const emit = async (series: Placed<Held>[][]) => {
    for (const s of series) {
      const lines = s.map(placedLine);
      o.target?.write(`[${lines.join(",")}]\n`);
      const first = s[0]!.item;
      if (renderer) await renderer.add({ texts: lines, file: first.source.file, line: first.source.line, offset: first.offset });
    }
  };
  const queue: { held: Held[]; result: Promise<RenderResult> }[] = [];
  let batch: Held[] = [];
  let texts: string[] = [];
  let lines: number[] = [];
  let chars = 0;
  const send = () => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    queue.push({ held: batch, result: pool.run({ file: first.source.file, offset: first.offset, options: o.options, kind: "facts", text: texts.join("\n"), lines }) });
    batch = [];
    texts = [];
    lines = [];
    chars = 0;
  };
  const settle = async () => {
    const { held, result } = queue.shift()!;
    const r = await result;
    for (let i = 0; i < r.units; i++) {
      const h = held[i]!;
      h.insertion = r.insertions![i]!;
      const flushed = grouper.add(h, r.facts![i]!, h.source);
      if (flushed.length > 0) await emit(flushed);
    }
    n += r.units;
    // Progress counts in steps of 16384 events.
    const step = n & ~0x3fff;
    if (step > ticked) o.progress.tick((ticked = step));
    const e = batchError(r);
    if (e) throw e;
  };
  try {
    const events = file.events()[Symbol.iterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = events.next();
      } catch (e) {
        // A line the reader refuses: the events before it are sorted first (their own errors come first).
        send();
        while (queue.length > 0) await settle();
        throw e;
      }
      if (next.done) break;
      const e = next.value as Event;
      const held: Held = { line: e.toJSONLine(), source: e.source!, offset: e.monotonicOffset, insertion: -1 };
      if (batch.length > 0 && (batch[0]!.source.file !== held.source.file || batch[0]!.offset !== held.offset)) send();
      batch.push(held);
      texts.push(held.line);
      lines.push(held.source.line);
      chars += held.line.length;
      if (chars >= BATCH_CHARS) {
        send();
        if (queue.length >= pool.threads * IN_FLIGHT_PER_THREAD) await settle();
      }
    }
    send();
    while (queue.length > 0) await settle();
    await emit([...grouper.drain()]);
    await renderer?.finish();
  } catch (e) {
    // Series sorted before the failure are printed before it.
    await renderer?.finish().catch(() => undefined);
    throw e;
  } finally {
    await pool.close();
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return existsSync(a) && realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A file written under a temporary name beside `path`, renamed to `path` by commit(). */
class AtomicOutput {
  readonly #tmp: string;
  #fd: number | undefined;
  readonly #buf = Buffer.allocUnsafe(4 << 20);
  #used = 0;

  constructor(
    private readonly path: string,
    private readonly name: string,
  ) {
    this.#tmp = join(dirname(path), `.${basename(path)}.sorting-${process.pid}`);
    try {
      this.#fd = openSync(this.#tmp, "wx");
    } catch (e) {
      throw this.#error("cannot create a file beside it", e);
    }
  }

  #error(what: string, e: unknown): Error {
    return new Error(`cannot write the sorted output ${this.name}: ${what}: ${systemErrorText(e)}`);
  }

  write(s: string): void {
    // Encoded straight into one buffer (UTF-8 takes at most 3 bytes per UTF-16 unit): no joined copy.
    if (this.#used + s.length * 3 > this.#buf.length) {
      this.#flush();
      if (s.length * 3 > this.#buf.length) {
        this.#writeAll(Buffer.from(s));
        return;
      }
    }
    this.#used += this.#buf.write(s, this.#used);
  }

  #flush(): void {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    this.#writeAll(this.#buf.subarray(0, used));
  }

  #writeAll(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(this.#fd!, bytes, off, bytes.length - off);
      } catch (e) {
        throw this.#error("write failed", e);
      }
    }
  }

  /** Writes what is left, syncs (late errors such as a full disk show here) and renames into place. */
  commit(): void {
    this.#flush();
    try {
      fsyncSync(this.#fd!);
      closeSync(this.#fd!);
    } catch (e) {
      throw this.#error("write failed", e);
    } finally {
      this.#fd = undefined;
    }
    try {
      renameSync(this.#tmp, this.path);
    } catch (e) {
      throw this.#error("cannot rename the finished file into place", e);
    }
  }

  /** After a failure: the temporary file goes, the target is left as it was. */
  abandon(): void {
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // Nothing more can be lost: the file is removed next.
      }
      this.#fd = undefined;
    }
    rmSync(this.#tmp, { force: true });
  }
}
