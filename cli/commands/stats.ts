// `retis stats [--threads N] [INPUT]`: what a capture holds, as Retis prints it — one block per file of a
// split set (`retis.data.0..`), each with its split index, counts, first/last event and probes. Drop reasons
// are an addition of this implementation.
//
// Every event is read and checked whole, which is most of the work: a plain file is cut at line boundaries
// into one range per thread, each range counted by its own thread, and the counts added up in file order.
// The answer is the same as one thread's, errors included: the first bad line of the file is reported, with
// its line number in the file, in the same words.
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { needsCompat, parseVersion, type FormatVersion } from "../../events/compat.js";
import { RetisFormatError } from "../../events/errors.js";
import { nextLineStart, readLinesInRange } from "../../events/file/lines.js";
import { eventOfLine } from "../../events/file/reader.js";
import { formatTimestamp } from "../../events/format/time.js";
import type { Event } from "../../events/index.js";
import type { StartupEvent, TimeSpec } from "../../typings/index.js";
import { UsageError } from "../errors.js";
import { parseOrHelp, str, type CommandSpec } from "../args.js";
import { INPUT, openInput, Output, Progress } from "../input.js";

export const spec: CommandSpec = {
  name: "retis stats",
  about: "Print information about a capture.",
  options: [
    {
      long: "threads",
      takes: "required",
      valueName: "N",
      help: "Threads reading the capture (not in Retis). Default: the CPUs available, up to 8, for a plain file of 16 MB or more; else 1",
    },
  ],
  positionals: [INPUT],
};

function countDescending(map: Map<string, number>): string[] {
  return [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `  ${k}: ${n}`);
}

function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** What FileStats prints of the startup event (also what a thread hands over of it). */
type StartupInfo = Pick<StartupEvent, "retis_version" | "cmdline" | "split_file" | "clock_monotonic_offset">;

/** The statistics of one file of the capture (Retis's FileStats), or of a part of it read by one thread. */
class FileStats {
  events = 0;
  series = 0;
  first: bigint | undefined;
  last: bigint | undefined;
  probes = new Map<string, number>();
  drops = new Map<string, number>();
  errors = new Map<string, number>();

  /** `startup` is undefined for the part of a range before its first startup event (it continues a block). */
  constructor(readonly startup: StartupInfo | undefined) {}

  add(e: Event): void {
    if (e.startup !== undefined) return;
    const probe = e.kernel ?? e.userspace;
    if (!probe) {
      bump(this.errors, "Invalid event: no kernel or userspace section");
      return;
    }
    bump(this.probes, `${probe.probe_type}/${probe.symbol}`);
    const ts = e.common.timestamp;
    this.first ??= ts;
    if (this.last === undefined || ts > this.last) this.last = ts;
    const drop = e.skb_drop;
    if (drop) bump(this.drops, drop.reason());
    this.events++;
  }

  /** Adds the counts of `later`, which comes right after this in the file. */
  merge(later: FileStats): void {
    this.events += later.events;
    this.series += later.series;
    this.first ??= later.first;
    if (later.last !== undefined && (this.last === undefined || later.last > this.last)) this.last = later.last;
    for (const [k, n] of later.probes) bump(this.probes, k, n);
    for (const [k, n] of later.drops) bump(this.drops, k, n);
    for (const [k, n] of later.errors) bump(this.errors, k, n);
  }

  lines(): string[] {
    const startup = this.startup!;
    const out: string[] = [];
    const common = [`Retis version: ${startup.retis_version}`, `Retis cmdline: ${startup.cmdline}`];
    const split = startup.split_file;
    if (split !== undefined) {
      if (split.id === 0) out.push(...common);
      out.push("", `Split index: ${split.id}`);
    } else out.push(...common);
    if (this.series > 0) out.push(`Number of series: ${this.series}`);
    out.push(`Number of events: ${this.events}`);
    const offset = startup.clock_monotonic_offset;
    if (this.first !== undefined) out.push(`First event at: ${formatTimestamp(this.first, true, offset)}`);
    if (this.last !== undefined) out.push(`Last event at: ${formatTimestamp(this.last, true, offset)}`);
    if (this.probes.size > 0) out.push("Probes:", ...countDescending(this.probes));
    if (this.drops.size > 0) out.push("Drop reasons:", ...countDescending(this.drops));
    if (this.errors.size > 0) out.push("Errors:", ...countDescending(this.errors));
    return out;
  }
}

function startupInfo(s: StartupEvent): StartupInfo {
  return { retis_version: s.retis_version, cmdline: s.cmdline, split_file: s.split_file, clock_monotonic_offset: s.clock_monotonic_offset };
}

/** Files below this size are read by one thread: starting another costs more than it saves. */
const THREADED_MIN_BYTES = 16 * 1024 * 1024;

function threadCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new UsageError(`invalid --threads '${text}': expected a whole number from 1`);
  return Number(text);
}

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const asked = threadCount(str(p, "threads"));
  const file = openInput(p.positionals.INPUT);
  const progress = new Progress("reading");
  let files: FileStats[];
  // Every command reads every section (README, "Strict reading"), the startup event's too: a bad line is
  // refused by all alike.
  if (file.sorted()) {
    // sorted files are never split: one block
    const stats = new FileStats(startupInfo(file.startup()));
    files = [stats];
    let n = 0;
    for (const s of file.series()) {
      for (const e of s) e.parseAll();
      if (s.every((e) => e.startup !== undefined)) continue;
      stats.series++;
      s.forEach((e) => stats.add(e));
      progress.tick(++n);
    }
  } else {
    const ranges = splitFile(file.path, asked);
    files = ranges === undefined ? readEvents(file.events(), progress) : await readThreaded(file.path, file.version, file.startup().clock_monotonic_offset, ranges, progress);
  }
  progress.done();
  // A checked write: console.log would drop a failed write silently.
  const out = new Output();
  out.write(`${files.flatMap((f) => f.lines()).join("\n")}\n`);
  out.flush();
  return 0;
}

/** One thread: the events in order, a new block at each file's startup event. */
function readEvents(events: Iterable<Event>, progress: Progress | undefined): FileStats[] {
  const files: FileStats[] = [];
  let n = 0;
  for (const e of events) {
    e.parseAll();
    // Each file of a split set opens with its startup event (detection requires it of the first).
    if (e.startup !== undefined) files.push(new FileStats(startupInfo(e.startup)));
    else (files.at(-1) ?? files[files.push(new FileStats(undefined)) - 1]!).add(e);
    progress?.tick(++n);
  }
  return files;
}

/**
 * Byte ranges for the threads, or undefined to read with one: a stream, a split set (`FILE..`), a small
 * file, one thread asked, or no line end found where a cut should go.
 */
function splitFile(path: string, asked: number | undefined): [number, number][] | undefined {
  if (asked === 1 || path.endsWith("..")) return undefined;
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile() || (asked === undefined && st.size < THREADED_MIN_BYTES)) return undefined;
  const threads = Math.min(asked ?? Math.min(availableParallelism(), 8), Math.max(1, Math.floor(st.size / 4096)));
  if (threads <= 1) return undefined;
  const cuts = [0];
  for (let k = 1; k < threads; k++) {
    const at = nextLineStart(path, path, Math.max(cuts.at(-1)!, Math.floor((st.size * k) / threads)));
    if (at === undefined) return undefined;
    if (at < st.size && at > cuts.at(-1)!) cuts.push(at);
  }
  if (cuts.length < 2) return undefined;
  return cuts.map((c, k) => [c, cuts[k + 1] ?? st.size]);
}

/** What a thread sends back about its range. */
interface RangeResult {
  /** Lines in the range (all of them, when no error). */
  lines: number;
  /** Blocks in file order; the first has no startup when it continues the block before the range. */
  blocks: FileStats[];
  /** The range's first bad line: its number within the range (0 for the file as a whole) and the problem. */
  error?: { line: number; problem: string } | { crash: string };
}

interface RangeJob {
  path: string;
  compat: FormatVersion | undefined;
  offset: TimeSpec | undefined;
  start: number;
  end: number;
}

/** Reads one range: what a thread (or the main thread, for the first range) does. */
function readRange(job: RangeJob, onLines?: (n: number) => void): RangeResult {
  let lines = 0;
  const blocks: FileStats[] = [];
  try {
    const events = (function* () {
      for (const line of readLinesInRange(job.path, job.path, job.start, job.end)) {
        lines = line.number;
        if ((lines & 0xffff) === 0) onLines?.(0x10000);
        yield eventOfLine(job.path, job.compat, line, job.offset);
      }
    })();
    blocks.push(...readEvents(events, undefined));
    return { lines, blocks };
  } catch (e) {
    if (e instanceof RetisFormatError) return { lines, blocks: [], error: { line: e.line, problem: e.problem } };
    return { lines, blocks: [], error: { crash: e instanceof Error ? e.message : String(e) } };
  }
}

async function readThreaded(
  path: string,
  version: string,
  offset: TimeSpec | undefined,
  ranges: [number, number][],
  progress: Progress,
): Promise<FileStats[]> {
  const v = parseVersion(version)!;
  const compat = needsCompat(v) ? v : undefined;
  const jobs: RangeJob[] = ranges.map(([start, end]) => ({ path, compat, offset, start, end }));
  let done = 0;
  const tick = (n: number) => progress.tick((done += n));
  const threads = jobs.slice(1).map((job) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { statsJob: job } });
    const answer = new Promise<RangeResult>((resolve, reject) => {
      worker.on("message", (m: { lines: number } | { result: RangeResult }) => {
        if ("result" in m) resolve(revive(m.result));
        else tick(m.lines);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => reject(new Error(`stats thread ended (status ${code}) before its answer`)));
    });
    return { worker, answer };
  });
  const files: FileStats[] = [];
  let before = 0;
  try {
    // The first range is read here meanwhile; then the others' answers are taken in file order.
    for (let k = 0; k < jobs.length; k++) {
      const r = k === 0 ? readRange(jobs[0]!, tick) : await threads[k - 1]!.answer;
      if (r.error !== undefined) {
        if ("crash" in r.error) throw new Error(r.error.crash);
        // The first range with an error holds the file's first bad line: the ranges before it were read whole.
        throw new RetisFormatError(path, r.error.line === 0 ? 0 : before + r.error.line, r.error.problem);
      }
      for (const b of r.blocks) {
        if (b.startup === undefined && files.length > 0) files.at(-1)!.merge(b);
        else files.push(b);
      }
      before += r.lines;
    }
  } finally {
    // After an error, the threads still reading later ranges are not needed.
    for (const t of threads) void t.worker.terminate();
  }
  return files;
}

/** FileStats again after the trip between threads (structured clone keeps the data, not the class). */
function revive(r: RangeResult): RangeResult {
  return { ...r, blocks: r.blocks.map((b) => Object.assign(new FileStats(b.startup), b)) };
}

// A stats thread: reads its range and sends back the counts.
if (!isMainThread && (workerData as { statsJob?: RangeJob } | undefined)?.statsJob !== undefined) {
  const job = (workerData as { statsJob: RangeJob }).statsJob;
  const result = readRange(job, (lines) => parentPort!.postMessage({ lines }));
  parentPort!.postMessage({ result });
}
