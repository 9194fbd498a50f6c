// `retis print [INPUT] [--format multi-line|single-line] [--utc] [-e]`: a capture as Retis's text.
import { parseOrHelp, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";
import { INPUT, openInput, Output, Progress } from "../input.js";
import { CHANGES_OPTION, formatOptions, TEXT_OPTIONS } from "../text-options.js";

export const spec: CommandSpec = { name: "retis print", about: "Print stored events to stdout.", options: [...TEXT_OPTIONS, CHANGES_OPTION], positionals: [INPUT] };

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const file = openInput(p.positionals.INPUT);
  const options = formatOptions(p);
  if (options.changes && !file.sorted()) throw new UsageError(`--changes needs a sorted file (series of one packet's events): ${file.path} is not sorted; run retis sort --changes on it`);
  const blank = options.format === "multi-line" ? "\n" : "";
  const out = new Output();
  const progress = new Progress("printing");
  let n = 0;
  try {
    if (file.sorted()) {
      for (const series of file.series()) {
        // Every command reads every section (README, "Strict reading"): a bad line is refused by all alike.
        for (const e of series) e.parseAll();
        out.write(`${series.format(options)}\n\n`);
        progress.tick(++n);
      }
    } else {
      for (const event of file.events()) {
        event.parseAll();
        out.write(`${event.format(options)}\n${blank}`);
        progress.tick(++n);
      }
    }
  } finally {
    // What was read before a bad line is printed before the error.
    out.flush();
    progress.done();
  }
  return 0;
}
