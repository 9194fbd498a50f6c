// `retis print [INPUT] [--format multi-line|single-line] [--utc] [-e] [--changes] [--threads N]`: a capture as Retis's text.
import type { Event as EventClass } from "../../events/event.js";
import type { Event, EventSeries } from "../../events/index.js";
import { ParallelRenderer, WorkerPool, defaultThreads, type RenderUnit } from "../../events/format/parallel.js";
import { UsageError } from "../errors.js";
import { parseOrHelp, str, type CommandSpec, type OptionSpec, type Parsed } from "../args.js";
import { INPUT, openInput, Output, Progress, writeAllSync } from "../input.js";
import { CHANGES_OPTION, formatOptions, TEXT_OPTIONS } from "../text-options.js";

/** `--threads N` of the commands that parse and render on several threads (print, sort). */
export const THREADS: OptionSpec = {
  long: "threads",
  takes: "required",
  valueName: "N",
  help: "Threads parsing and rendering events; 1 = this thread only. Default: the machine's cores, at most 8 (not in Retis)",
};

export function threadsOption(p: Parsed): number {
  const text = str(p, "threads");
  if (text === undefined) return defaultThreads();
  if (!/^[1-9]\d{0,2}$/.test(text)) throw new UsageError(`invalid --threads '${text}': expected a whole number from 1 to 999`);
  return Number(text);
}

export const spec: CommandSpec = { name: "retis print", about: "Print stored events to stdout.", options: [...TEXT_OPTIONS, CHANGES_OPTION, THREADS], positionals: [INPUT] };

// Inputs shorter than this are printed in this thread: starting threads costs more than it saves.
const ALONE = 4096;

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const threads = threadsOption(p);
  const file = openInput(p.positionals.INPUT);
  const options = formatOptions(p);
  const sorted = file.sorted();
  if (options.changes && !sorted) throw new UsageError(`--changes needs a sorted file (series of one packet's events): ${file.path} is not sorted; run retis sort --changes on it`);
  const blank = options.format === "multi-line" ? "\n" : "";
  const out = new Output();
  const progress = new Progress("printing");
  let n = 0;
  let ticked = 0;
  let pool: WorkerPool | undefined;
  let renderer: ParallelRenderer | undefined;
  const writeRendered = (bytes: Uint8Array, units: number) => {
    out.flush();
    writeAllSync(1, bytes, "standard output", () => process.exit(0));
    n += units;
    // Progress counts in steps of 16384 events.
    const step = n & ~0x3fff;
    if (step > ticked) progress.tick((ticked = step));
  };
  const items: Iterator<Event | EventSeries> = (sorted ? file.series() : file.events())[Symbol.iterator]();
  try {
    for (;;) {
      let next: IteratorResult<Event | EventSeries>;
      try {
        next = items.next();
      } catch (e) {
        // A line the reader refuses (too long, not UTF-8, cut short): what comes before it is printed first.
        await renderer?.finish();
        throw e;
      }
      if (next.done) break;
      if (renderer !== undefined) {
        await renderer.add(unitOf(next.value));
        continue;
      }
      // Every command reads every section (README, "Strict reading"): a bad line is refused by all alike.
      if (sorted) {
        const series = next.value as EventSeries;
        for (const e of series) e.parseAll();
        out.write(`${series.format(options)}\n\n`);
      } else {
        const event = next.value as Event;
        event.parseAll();
        out.write(`${event.format(options)}\n${blank}`);
      }
      progress.tick((ticked = ++n));
      // A current-format capture goes on in parallel once it is long enough (older ones are fixed up as
      // they are read: they stay here).
      if (n === ALONE && threads > 1 && file.currentFormat()) {
        pool = new WorkerPool(threads);
        renderer = new ParallelRenderer(pool, sorted ? "series" : "events", options, writeRendered);
      }
    }
    await renderer?.finish();
  } finally {
    await pool?.close();
    // What was read before a bad line is printed before the error.
    out.flush();
    progress.done();
  }
  return 0;
}

/** What a rendering thread needs of an event or a series: its JSON text(s) and where it came from. */
function unitOf(item: Event | EventSeries): RenderUnit {
  if (Array.isArray(item)) {
    const first = (item as EventSeries)[0] as EventClass | undefined;
    return {
      texts: (item as EventSeries).map((e) => e.toJSONLine()),
      file: first?.source?.file ?? "",
      line: first?.source?.line ?? 0,
      offset: first?.monotonicOffset,
    };
  }
  const e = item as EventClass;
  return { texts: [e.toJSONLine()], file: e.source!.file, line: e.source!.line, offset: e.monotonicOffset };
}
