// `retis sort [INPUT] [-o OUT] [--max-buffer N] [--print]`: events grouped into series, one per packet.
import { closeSync, openSync, realpathSync, writeSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { Sorter } from "../../events/index.js";
import { UsageError } from "../errors.js";
import { formatOptions, openInput, Output, parseOptions, Progress, TEXT_OPTIONS } from "../input.js";

const USAGE =
  "usage: retis sort [INPUT] [-o OUT] [--max-buffer N] [--print] [--format multi-line|single-line] [--utc] [-e]";

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { ...TEXT_OPTIONS, out: { type: "string", short: "o" }, "max-buffer": { type: "string" }, print: { type: "boolean" } },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`too many inputs (${positionals.join(", ")})\n${USAGE}`);
  const maxText = (values["max-buffer"] as string | undefined) ?? "1000";
  if (!/^\d+$/.test(maxText)) throw new UsageError(`invalid --max-buffer '${maxText}': expected a whole number (0 = unbounded)`);
  const options = formatOptions(values);
  const file = openInput(positionals[0]);
  if (file.sorted()) {
    console.error("retis: File already sorted");
    return 0;
  }
  const outPath = values.out as string | undefined;
  if (outPath !== undefined) {
    if (existsSync(outPath) && realpathSync(outPath) === realpathSync(file.path))
      throw new UsageError(`refusing to write the sorted output over its input ${file.path}`);
    if (!file.currentFormat())
      throw new UsageError(
        `${file.path} was written by Retis ${file.version}: a sorted file can only be written from a current-format (1.7) capture; run retis sort without -o to print its series`,
      );
  }
  const text = outPath === undefined || values.print === true;
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
