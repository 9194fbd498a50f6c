// What every bench group shares: whole-process timing (wall, CPU, peak resident memory, from the kernel's own
// accounting of the finished child), runs interleaved so that a change of load on the shared machine hits
// every row alike, and one way to print a figure: median, spread (min–max), ratio to a baseline of the same
// run, and the target.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Debian's interpreter: always there where install.sh ran (Jupyter needs it). */
export const PYTHON = "/usr/bin/python3";

/** Where the bench keeps what it builds and installs (never part of the package). */
export function cacheDir(...parts: string[]): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const dir = join(base, "retis", "bench", ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface BenchOptions {
  /** Fewer runs, fewer samples: a quick look rather than a figure to quote. */
  quick: boolean;
}

export interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  code: number;
  stdout: string;
  stderr: string;
}

// The child's rusage comes from wait4(2): Node does not give a child's peak RSS, Python's os.wait4 does.
const WAIT4 = `
import json, os, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
e = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
t = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, dict(os.environ), file_actions=[(os.POSIX_SPAWN_DUP2, o, 1), (os.POSIX_SPAWN_DUP2, e, 2), (os.POSIX_SPAWN_CLOSE, 0)])
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}))
`;

let scratch: string | undefined;

/**
 * Runs `argv` once as a whole process, stdin closed; its stdout goes to `stdoutTo` (a path such as /dev/null)
 * or is returned. Wall time is from just before spawn to reaping.
 */
export function runProcess(argv: string[], options: { env?: NodeJS.ProcessEnv; stdoutTo?: string; cwd?: string } = {}): ProcessRun {
  if (scratch === undefined) {
    const dir = (scratch = cacheDir("scratch"));
    process.once("exit", () => {
      for (const f of ["out", "err"]) rmSync(join(dir, `${f}-${process.pid}`), { force: true });
    });
  }
  const out = options.stdoutTo ?? join(scratch, `out-${process.pid}`);
  const err = join(scratch, `err-${process.pid}`);
  const r = spawnSync(PYTHON, ["-c", WAIT4, out, err, ...argv], { encoding: "utf8", env: options.env ?? process.env, cwd: options.cwd });
  if (r.status !== 0) throw new Error(`could not run ${argv.join(" ")}: ${r.stderr || r.error?.message}`);
  const m = JSON.parse(r.stdout) as { wall: number; cpu: number; maxrss_kb: number; code: number };
  const stderr = readFileSync(err, "utf8");
  const stdout = options.stdoutTo === undefined ? readFileSync(out, "utf8") : "";
  return { wallMs: m.wall * 1000, cpuMs: m.cpu * 1000, maxRssMB: m.maxrss_kb / 1024, code: m.code, stdout, stderr };
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
/** The middle value; for an even count, the mean of the two middle ones. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `median [min–max]`, the spread of the runs beside the figure to quote. */
export function spread(xs: number[], digits = 0, unit = ""): string {
  const f = (x: number) => x.toFixed(digits);
  return `${f(median(xs))}${unit} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
}

/** A row of a group's table: what, the figure, its baseline, the ratio and the target. */
export interface Row {
  what: string;
  value: string;
  ratio?: string;
  target?: string;
  note?: string;
}

export function printTable(title: string, rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.what.length), 10);
  const v = Math.max(...rows.map((r) => r.value.length), 10);
  const q = Math.max(...rows.map((r) => (r.ratio ?? "").length), 5);
  console.log(`\n${title}`);
  for (const r of rows) {
    const tail = [r.target ? `target ${r.target}` : "", r.note ?? ""].filter(Boolean).join("; ");
    console.log(`  ${r.what.padEnd(w)}  ${r.value.padEnd(v)}  ${(r.ratio ?? "").padEnd(q)}  ${tail}`.trimEnd());
  }
}

/** `cmd` is on PATH or is an existing path. */
export function which(cmd: string): string | undefined {
  if (cmd.includes("/")) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** A row that could not be measured: the reason, on the row, instead of a crash. */
export function skipped(what: string, why: string): Row {
  return { what, value: `skipped: ${why}` };
}

/** The first line of an error, for a skipped row. */
export function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!.slice(0, 160);
}
