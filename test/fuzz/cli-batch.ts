// One process that runs the real `retis print`, `stats` and `sort` command modules over many fuzz cases, so
// that the fuzz test goes through the commands without paying a Node start-up per case. Its stdout is
// discarded by the parent; one JSON result per case and command goes to the file named by argv[3].
// Usage: node cli-batch.js CASES.json RESULTS.json, where CASES.json is [{path, current, sorted}].
import { readFileSync, rmSync, writeFileSync } from "node:fs";

interface Job {
  path: string;
  current: boolean;
  sorted: boolean;
}

export interface CliResult {
  path: string;
  cmd: string;
  ok: boolean;
  /** The error's first line, as `retis` prints it, and its class. */
  message?: string;
  kind?: string;
}

const [casesFile, resultsFile] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(casesFile!, "utf8")) as Job[];
const commands = {
  print: (await import("../../cli/commands/print.js")) as { run(a: string[]): Promise<number> },
  stats: (await import("../../cli/commands/stats.js")) as { run(a: string[]): Promise<number> },
  sort: (await import("../../cli/commands/sort.js")) as { run(a: string[]): Promise<number> },
};
const results: CliResult[] = [];
for (const job of jobs) {
  const runs: [string, keyof typeof commands, string[]][] = [
    ["print", "print", [job.path]],
    ["stats", "stats", [job.path]],
  ];
  // A sorted input is not read by sort ("File already sorted", as Retis); -o takes current-format input only.
  if (!job.sorted) runs.push(job.current ? ["sort -o", "sort", [job.path, "-o", `${job.path}.sorted`]] : ["sort", "sort", [job.path]]);
  for (const [name, cmd, args] of runs) {
    try {
      const status = await commands[cmd].run(args);
      results.push({ path: job.path, cmd: name, ok: status === 0 });
    } catch (e) {
      results.push({ path: job.path, cmd: name, ok: false, message: (e instanceof Error ? e.message : String(e)).split("\n")[0], kind: e instanceof Error ? e.name : typeof e });
    }
  }
  rmSync(`${job.path}.sorted`, { force: true });
}
writeFileSync(resultsFile!, JSON.stringify(results));
