// `retis sort [INPUT] [-o OUT] [--max-buffer N] [--print]`: events grouped into series, one per packet.
import { closeSync, openSync, realpathSync, writeSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { Sorter } from "../../events/index.js";
import { UsageError } from "../errors.js";
import { flag, parseOrHelp, str, type CommandSpec } from "../args.js";
import { formatOptions, INPUT, openInput, Output, Progress, TEXT_OPTIONS } from "../input.js";

export const spec: CommandSpec = {
  name: "retis sort",
  about: "Sort stored events in series based on tracking id.\n\nReads events and arranges them by tracking id. The output is a number of \"event sets\". An event set is a list of events that share the same tracking id (i.e: belong to the same packet).",
  options: [
    ...TEXT_OPTIONS,
    { long: "out", short: "o", takes: "required", valueName: "OUT", help: "Write event series to a file rather than to stdout" },
    { long: "print", help: "Write events to stdout even if --out is used" },
    { long: "max-buffer", takes: "required", valueName: "N", default: "1000", help: "Events held in memory at most, 0 = unbounded (not in Retis)" },
  ],
  positionals: [INPUT],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const maxText = str(p, "max-buffer")!;
  if (!/^\d+$/.test(maxText)) throw new UsageError(`invalid --max-buffer '${maxText}': expected a whole number (0 = unbounded)`);
  const options = formatOptions(p);
  const file = openInput(p.positionals.INPUT);
  if (file.sorted()) {
    console.error("retis: File already sorted");
    return 0;
  }
  const outPath = str(p, "out");
  if (outPath !== undefined) {
    if (existsSync(outPath) && realpathSync(outPath) === realpathSync(file.path))
      throw new UsageError(`refusing to write the sorted output over its input ${file.path}`);
    if (!file.currentFormat())
      throw new UsageError(
        `${file.path} was written by Retis ${file.version}: a sorted file can only be written from a current-format (1.7) capture; run retis sort without -o to print its series`,
      );
  }
  const text = outPath === undefined || flag(p, "print");
  const out = new Output();
  const fd = outPath === undefined ? undefined : openSync(resolve(outPath), "w");
  let pending: string[] = [];
  let pendingSize = 0;
  const writeJson = (s: string) => {
    pending.push(s);
    pendingSize += s.length;
    if (pendingSize > 1 << 20) flushJson();
  };
  const flushJson = () => {
    if (fd === undefined || pending.length === 0) return;
    writeSync(fd, pending.join(""));
    pending = [];
    pendingSize = 0;
  };
  const sorter = new Sorter({ maxBuffer: Number(maxText) });
  const progress = new Progress("sorting");
  let n = 0;
  try {
    const emit = (series: ReturnType<Sorter["add"]>) => {
      for (const s of series) {
        if (fd !== undefined) writeJson(`${s.toJSONLine()}\n`);
        if (text) out.write(`${s.format(options)}\n\n`);
      }
    };
    for (const e of file.events()) {
      emit(sorter.add(e));
      progress.tick(++n);
    }
    emit([...sorter.drain()]);
    flushJson();
  } finally {
    if (fd !== undefined) closeSync(fd);
    progress.done();
  }
  out.flush();
  return 0;
}
