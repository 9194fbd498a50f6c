// `retis sort [INPUT] [-o OUT] [--max-buffer N] [--print] [--changes]`: events grouped into series, one per packet.
import { closeSync, existsSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { systemErrorText } from "../../events/errors.js";
import { Sorter } from "../../events/index.js";
import { UsageError } from "../errors.js";
import { flag, parseOrHelp, str, type CommandSpec } from "../args.js";
import { INPUT, openInput, Output, Progress } from "../input.js";
import { CHANGES_OPTION, formatOptions, TEXT_OPTIONS } from "../text-options.js";

export const spec: CommandSpec = {
  name: "retis sort",
  about: "Sort stored events in series based on tracking id.\n\nReads events and arranges them by tracking id. The output is a number of \"event sets\". An event set is a list of events that share the same tracking id (i.e: belong to the same packet).",
  options: [
    ...TEXT_OPTIONS,
    { long: "out", short: "o", takes: "required", valueName: "OUT", help: "Write event series to a file rather than to stdout" },
    { long: "print", help: "Write events to stdout even if --out is used" },
    { long: "max-buffer", takes: "required", valueName: "N", default: "1000", help: "Events held in memory at most, 0 = unbounded (not in Retis)" },
    CHANGES_OPTION,
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
  const sorter = new Sorter({ maxBuffer: Number(maxText) });
  const progress = new Progress("sorting");
  let n = 0;
  try {
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
    target?.commit();
  } finally {
    target?.abandon();
    // Series sorted before a bad line are printed before the error.
    out.flush();
    progress.done();
  }
  return 0;
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
  #pending: string[] = [];
  #pendingSize = 0;

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
    this.#pending.push(s);
    this.#pendingSize += s.length;
    if (this.#pendingSize > 1 << 20) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending.join(""));
    this.#pending = [];
    this.#pendingSize = 0;
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
