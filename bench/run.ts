// `npm run bench [-- [--quick] [GROUP …]]`: runs every bench/*.bench.js module in turn, or those whose name
// contains a GROUP (events, kernel, lsp, …). Each prints its own figures beside baselines measured in the
// same run; --quick takes fewer runs (a look, not a figure to quote). Timings never go into tests.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchOptions } from "./measure.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes("--quick") || process.env.RETIS_BENCH_QUICK === "1" };
const only = args.filter((a) => !a.startsWith("--"));
const unknown = args.filter((a) => a.startsWith("--") && a !== "--quick");
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown[0]}; usage: node dist/bench/run.js [--quick] [GROUP …]`);
  process.exit(2);
}
const modules = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (modules.length === 0) {
  console.error(`bench: no group matches ${only.join(", ")}`);
  process.exit(2);
}
for (const file of modules) {
  console.log(`\n## ${file.replace(/\.bench\.js$/, "")}${options.quick ? " (quick)" : ""}`);
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: (o: BenchOptions) => Promise<void> };
  try {
    await mod.default(options);
  } catch (err) {
    // One group failing does not take the others with it.
    console.log(`group failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  }
}
