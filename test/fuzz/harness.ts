// Runs fuzz cases through the library (every section of every event read, every event written back) and
// through the `retis` commands (batched processes, plus a few full `retis` runs), and compares each answer
// with the independent checker. Used by fuzz.test.ts (npm test) and main.ts (npm run fuzz).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, RetisFormatError } from "../../events/index.js";
import { repoRoot } from "../samples.js";
import { Checker, type Verdict } from "./checker.js";
import type { CliResult } from "./cli-batch.js";
import { generate } from "./generate.js";

export interface FuzzReport {
  cases: number;
  skipped: number;
  valid: number;
  wrongAcceptances: string[];
  validRejected: string[];
  errorsWithoutFileLine: string[];
  stackTraces: string[];
  roundTripFailures: string[];
  cliRuns: number;
  fullProcessRuns: number;
}

function emptyReport(): FuzzReport {
  return { cases: 0, skipped: 0, valid: 0, wrongAcceptances: [], validRejected: [], errorsWithoutFileLine: [], stackTraces: [], roundTripFailures: [], cliRuns: 0, fullProcessRuns: 0 };
}

/** Reads everything, as a user reading every section would; returns the lines written back. */
function readAll(path: string): string[] {
  const f = new EventFile(path);
  const out: string[] = [];
  if (f.sorted())
    for (const s of f.series()) {
      for (const e of s) (e.parseAll(), e.toString(), e.toDict());
      out.push(s.toJSONLine());
    }
  else
    for (const e of f.events()) {
      e.parseAll();
      e.toString();
      e.toDict();
      out.push(e.toJSONLine());
    }
  return out;
}

/** True when an error message names the file and a line: `PATH:LINE: …`. */
function namesFileLine(message: string, path: string): boolean {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:[1-9]\\d*: `).test(message);
}

function judgeLibrary(path: string, bytes: Buffer, verdict: Verdict, name: string, report: FuzzReport): void {
  let lines: string[] | undefined;
  let error: unknown;
  try {
    lines = readAll(path);
  } catch (e) {
    error = e;
  }
  if (lines !== undefined) {
    if (!verdict.valid) report.wrongAcceptances.push(`library: ${name}: checker says line ${verdict.line}: ${verdict.why}`);
    else if (verdict.current) {
      const input = bytes.toString("utf8").replace(/\n$/, "");
      if (lines.join("\n") !== input) report.roundTripFailures.push(`library: ${name}`);
    }
    return;
  }
  if (!(error instanceof RetisFormatError)) {
    report.stackTraces.push(`library: ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.slice(0, 600));
    return;
  }
  if (verdict.valid) report.validRejected.push(`library: ${name}: ${error.message.slice(0, 300)}`);
  if (!namesFileLine(error.message, path) || error.file !== path || error.line < 1 || error.message.includes("\n"))
    report.errorsWithoutFileLine.push(`library: ${name}: ${error.message.slice(0, 300)}`);
}

function judgeCli(r: CliResult, verdict: Verdict, name: string, report: FuzzReport): void {
  report.cliRuns++;
  if (r.ok) {
    if (!verdict.valid) report.wrongAcceptances.push(`${r.cmd}: ${name}: checker says line ${verdict.line}: ${verdict.why}`);
    return;
  }
  const message = r.message ?? "(exit status not 0, no error)";
  if (r.kind !== "RetisFormatError") report.stackTraces.push(`${r.cmd}: ${name}: ${r.kind}: ${message.slice(0, 300)}`);
  else if (verdict.valid) report.validRejected.push(`${r.cmd}: ${name}: ${message.slice(0, 300)}`);
  if (!namesFileLine(message, r.path)) report.errorsWithoutFileLine.push(`${r.cmd}: ${name}: ${message.slice(0, 300)}`);
}

/** A full `retis` process: one line on stderr naming the file and line, status 1, no stack trace. */
function judgeProcess(path: string, verdict: Verdict, name: string, report: FuzzReport): void {
  const cli = join(repoRoot, "dist/cli/main.js");
  for (const cmd of ["print", "stats"]) {
    report.fullProcessRuns++;
    const r = spawnSync(process.execPath, [cli, cmd, path], { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "ignore", "pipe"] });
    if (r.status === 0) {
      if (!verdict.valid) report.wrongAcceptances.push(`retis ${cmd}: ${name}`);
      continue;
    }
    if (verdict.valid) report.validRejected.push(`retis ${cmd}: ${name}: ${r.stderr.slice(0, 300)}`);
    const lines = r.stderr.trimEnd().split("\n");
    if (lines.length !== 1 || /^\s+at |Error:|\.js:\d+/m.test(r.stderr)) report.stackTraces.push(`retis ${cmd}: ${name}: ${r.stderr.slice(0, 400)}`);
    else if (!namesFileLine(lines[0]!.replace(/^retis: /, ""), path)) report.errorsWithoutFileLine.push(`retis ${cmd}: ${name}: ${lines[0]}`);
  }
}

export interface FuzzOptions {
  samplesDir: string;
  seed: number;
  cases: number;
  /** Every `cliEvery`-th case also goes through print/stats/sort (batched processes). */
  cliEvery: number;
  /** Cases per batch process. */
  batch: number;
  /** This many cases also run as full `retis` processes. */
  fullProcesses: number;
}

export function runFuzz(o: FuzzOptions): FuzzReport {
  const checker = Checker.fromSamples(o.samplesDir);
  const report = emptyReport();
  const dir = mkdtempSync(join(tmpdir(), "retis-fuzz-"));
  const batchScript = join(repoRoot, "dist/test/fuzz/cli-batch.js");
  let pending: { path: string; current: boolean; sorted: boolean; verdict: Verdict; name: string }[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const casesFile = join(dir, "cases.json");
    const resultsFile = join(dir, "results.json");
    writeFileSync(casesFile, JSON.stringify(pending.map(({ path, current, sorted }) => ({ path, current, sorted }))));
    rmSync(resultsFile, { force: true });
    const r = spawnSync(process.execPath, [batchScript, casesFile, resultsFile], { encoding: "utf8", timeout: 600_000, stdio: ["ignore", "ignore", "pipe"] });
    let results: CliResult[] = [];
    try {
      results = JSON.parse(readFileSync(resultsFile, "utf8")) as CliResult[];
    } catch {
      report.stackTraces.push(`cli batch died: status ${r.status}: ${r.stderr.slice(0, 600)}`);
    }
    const byPath = new Map(pending.map((p) => [p.path, p]));
    for (const res of results) {
      const c = byPath.get(res.path)!;
      judgeCli(res, c.verdict, c.name, report);
    }
    for (const c of pending) rmSync(c.path, { force: true });
    pending = [];
  };
  let i = 0;
  let processes = 0;
  try {
    for (const c of generate(o.samplesDir, o.seed, o.cases)) {
      const path = join(dir, `case-${i}.json`);
      writeFileSync(path, c.bytes);
      const verdict = checker.check(c.bytes);
      c.name = `#${i} ${c.name}`;
      report.cases++;
      if (verdict.skip) {
        report.skipped++;
        rmSync(path);
        i++;
        continue;
      }
      if (verdict.valid) report.valid++;
      judgeLibrary(path, c.bytes, verdict, c.name, report);
      // Full processes for the first invalid and valid cases of each kind the batch reaches.
      if (processes < o.fullProcesses && (i % 7 === 0 || verdict.valid)) {
        processes++;
        judgeProcess(path, verdict, c.name, report);
      }
      if (i % o.cliEvery === 0) {
        pending.push({ path, current: verdict.current === true, sorted: verdict.sorted === true || c.bytes[0] === 0x5b, verdict, name: c.name });
        if (pending.length >= o.batch) flush();
      } else rmSync(path);
      i++;
    }
    flush();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** One line per count, then a few examples of each failure. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `fuzz cases: ${r.cases} (${r.valid} valid, ${r.cases - r.valid - r.skipped} invalid, ${r.skipped} not judged: Retis 1.5 files)`,
    `command runs (batched print/stats/sort): ${r.cliRuns}; full retis processes: ${r.fullProcessRuns}`,
    `wrong acceptances: ${r.wrongAcceptances.length}`,
    `valid files rejected: ${r.validRejected.length}`,
    `errors without file:line: ${r.errorsWithoutFileLine.length}`,
    `stack traces / non-library errors: ${r.stackTraces.length}`,
    `round-trip failures: ${r.roundTripFailures.length}`,
  ];
  for (const [what, list] of [
    ["wrong acceptance", r.wrongAcceptances],
    ["valid rejected", r.validRejected],
    ["no file:line", r.errorsWithoutFileLine],
    ["stack trace", r.stackTraces],
    ["round trip", r.roundTripFailures],
  ] as const)
    for (const x of list.slice(0, 8)) lines.push(`  ${what}: ${x}`);
  return lines.join("\n");
}
