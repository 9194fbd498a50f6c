// `retis print [INPUT] [--format multi-line|single-line] [--utc] [-e]`: a capture as Retis's text.
import { formatOptions, openInput, Output, parseOptions, Progress, TEXT_OPTIONS } from "../input.js";

const USAGE = "usage: retis print [INPUT] [--format multi-line|single-line] [--utc] [-e|--print-link-layer]";

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, TEXT_OPTIONS, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new Error(`too many inputs (${positionals.join(", ")}); ${USAGE}`);
  const file = openInput(positionals[0]);
  const options = formatOptions(values);
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
