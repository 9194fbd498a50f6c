// Issue J's reading, printing and sorting rows: each a whole process over the same ~200,000-event capture,
// timed beside a Rust reader shaped like Retis's own (bench/rust-reader) and the bare Node and Python loops,
// all in the same rounds, interleaved. A row's ratio is the Rust reader's time over the row's, round by
// round (1.0× = as fast as Rust; higher is faster): the median and the spread of those ratios.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventFile } from "../events/index.js";
import { repoRoot, sample, samplesDir } from "../test/samples.js";
import { cacheDir, median, printTable, PYTHON, reason, runProcess, skipped, spread, type BenchOptions, type ProcessRun, type Row } from "./measure.js";
import { rustReader } from "./rust-reader.js";

const COPIES = 7700; // × 26 events ≈ 200,000
const SOURCE = "retis/test_data/test_events_packets.json";
const cli = join(repoRoot, "dist", "cli", "main.js");
const worker = join(repoRoot, "dist", "bench", "events-worker.js");

/**
 * A current-format (1.7) capture: Retis's sample read once by the library (which brings 1.6 files to the
 * current shape) and written back, then copied with shifted times and packet ids. Kept in the cache folder,
 * keyed by the 26 template lines, so a run does not write 167 MB each time.
 */
function capture(): string {
  const src = new EventFile(sample(SOURCE));
  const [startup, ...events] = [...src.events()];
  const lines = events.map((e) => e.toJSONLine());
  const head = startup!.toJSONLine().replace('"retis_version":"v1.6.0"', '"retis_version":"v1.7.0"');
  const key = createHash("sha256").update(head).update(lines.join("\n")).update(String(COPIES)).digest("hex").slice(0, 16);
  const path = join(cacheDir("captures"), `bench-${key}.data`);
  if (existsSync(path)) return path;
  // Captures made from an older library's output are not read again: 167 MB each.
  for (const f of readdirSync(join(path, ".."))) if (/^bench-[0-9a-f]+\.data(\.tmp)?$/.test(f)) rmSync(join(path, "..", f), { force: true });
  const out: string[] = [head];
  for (let k = 0; k < COPIES; k++) {
    const shift = BigInt(k) * 2_000_000_000n;
    for (const l of lines)
      out.push(
        l
          .replace(/"(timestamp|upcall_ts)":(\d+)/g, (_, key: string, n: string) => `"${key}":${BigInt(n) + shift}`)
          .replace(/"orig_head":(\d+)/g, (_, n: string) => `"orig_head":${BigInt(n) + BigInt(k) * 4096n}`),
      );
  }
  writeFileSync(`${path}.tmp`, `${out.join("\n")}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
}

const PYTHON_LOOP = `
import json, sys
n = s = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        e = json.loads(line)
        s += e["common"]["timestamp"]
        n += 1
print(f"events {n} timestamp_sum {s}")
`;

/** What a row runs and what it is measured against. */
interface Job {
  what: string;
  argv: string[];
  /** The Rust reader's mode this row is compared with; none for the Rust rows themselves. */
  vs?: "timestamp" | "sections" | "stats";
  target?: string;
  /** Send stdout there rather than keep it (print's text). */
  stdoutTo?: string;
  /** Show peak resident memory (sort: bounded by its buffer; the Rust reader's beside it). */
  rss?: boolean;
  /** Its first line, `events N timestamp_sum S`, must be the same as the Rust reader's (or the first such row's). */
  check?: boolean;
  runs: ProcessRun[];
  skip?: string;
}

/** `--threads` where a command has it (the speed work may add it): rows for 1 and 2 threads then. */
function threadArgs(command: string): string[][] {
  try {
    const help = runProcess([process.execPath, cli, command, "--help"]);
    if (/--threads\b/.test(help.stdout)) return [["--threads", "1"], ["--threads", "2"]];
  } catch {
    // no help: no threads
  }
  return [[]];
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? "";
}

export default async function (options: BenchOptions = { quick: false }): Promise<void> {
  if (!statSync(samplesDir, { throwIfNoEntry: false })) {
    console.log(`skipped: Retis samples not found at ${samplesDir}`);
    return;
  }
  if (!existsSync(worker) || !existsSync(cli)) {
    console.log("skipped: build first (npm run build)");
    return;
  }
  const ROUNDS = options.quick ? 2 : 5;
  const path = capture();
  const size = statSync(path).size;
  const events = COPIES * 26 + 1;
  console.log(`capture: ${events.toLocaleString("en")} events, ${(size / 1e6).toFixed(1)} MB, ${path}`);
  console.log(`${ROUNDS} rounds, every row once a round in turn, after one warm-up round; times are whole processes (wall)`);

  const rust = rustReader();
  const sortOut = join(cacheDir("scratch"), `sorted-${process.pid}.data`);
  const jobs: Job[] = [];
  const rustJob = (mode: "timestamp" | "sections" | "stats", what: string): Job =>
    "path" in rust ? { what, argv: [rust.path, mode, path], rss: true, runs: [] } : { what, argv: [], runs: [], skip: rust.skip };
  const rustRows = { timestamp: rustJob("timestamp", "Rust reader: touch common.timestamp"), sections: rustJob("sections", "Rust reader: every section read"), stats: rustJob("stats", "Rust reader: stats") };
  jobs.push(rustRows.timestamp, rustRows.sections, rustRows.stats);
  jobs.push({ what: "iterate, touch common.timestamp", argv: [process.execPath, worker, "timestamp", path], vs: "timestamp", target: "≥ 1.0×", check: true, runs: [] });
  jobs.push({ what: "every present section read", argv: [process.execPath, worker, "sections", path], vs: "sections", target: "≥ 0.5×", check: true, runs: [] });
  jobs.push({ what: "e.toDict() on every event", argv: [process.execPath, worker, "todict", path], vs: "sections", target: "≥ 0.4×", check: true, runs: [] });
  for (const t of threadArgs("stats"))
    jobs.push({ what: `retis stats${t.length ? ` ${t.join(" ")}` : ""}`, argv: [process.execPath, cli, "stats", ...t, path], vs: "stats", target: "≥ 1.0×", runs: [] });
  for (const t of threadArgs("print"))
    jobs.push({ what: `retis print > /dev/null${t.length ? ` ${t.join(" ")}` : ""}`, argv: [process.execPath, cli, "print", ...t, path], vs: "sections", target: "≥ 0.5×", stdoutTo: "/dev/null", runs: [] });
  for (const t of threadArgs("sort"))
    jobs.push({
      what: `retis sort -o --max-buffer 1000${t.length ? ` ${t.join(" ")}` : ""}`,
      argv: [process.execPath, cli, "sort", "--max-buffer", "1000", ...t, "-o", sortOut, path],
      vs: "sections",
      target: "≥ 0.5×, peak memory bounded by the buffer",
      rss: true,
      runs: [],
    });
  jobs.push({ what: "Node readline + JSON.parse (reference)", argv: [process.execPath, worker, "bare", path], vs: "timestamp", check: true, runs: [] });
  jobs.push({ what: "python3 json.loads per line (reference)", argv: [PYTHON, "-c", PYTHON_LOOP, path], vs: "timestamp", check: true, runs: [] });

  const notes = new Map<Job, string>();
  let reference: { job: Job; line: string } | undefined;
  for (let round = -1; round < ROUNDS; round++) {
    for (const job of jobs) {
      if (job.skip) continue;
      // The warm-up round runs only the first reader: the page cache holds the file for every row after it.
      if (round < 0 && job !== jobs.find((j) => !j.skip)) continue;
      let run: ProcessRun;
      try {
        run = runProcess(job.argv, { stdoutTo: job.stdoutTo });
      } catch (err) {
        job.skip = reason(err);
        continue;
      }
      if (run.code !== 0) {
        job.skip = `exit ${run.code}: ${firstLine(run.stderr.trim())}`;
        continue;
      }
      if (round < 0) continue;
      if (job.runs.length === 0 && (job.check || job === rustRows.timestamp)) {
        const line = firstLine(run.stdout);
        reference ??= { job, line };
        if (line !== reference.line) notes.set(job, `OUTPUT DIFFERS from ${reference.job.what}: ${JSON.stringify(line)} vs ${JSON.stringify(reference.line)}`);
      }
      job.runs.push(run);
    }
  }
  rmSync(sortOut, { force: true });

  const rate = (ms: number) => `${Math.round((events / ms) * 1000).toLocaleString("en")} ev/s`;
  const rows: Row[] = [];
  for (const job of jobs) {
    if (job.skip) {
      rows.push(skipped(job.what, job.skip));
      continue;
    }
    const walls = job.runs.map((r) => r.wallMs);
    let value = `${spread(walls, 0, " ms")} ${rate(median(walls))}`;
    if (job.rss) value += `, peak RSS ${spread(job.runs.map((r) => r.maxRssMB), 0, " MB")}`;
    const row: Row = { what: job.what, value, target: job.target, note: notes.get(job) };
    if (job.vs) {
      const base = rustRows[job.vs];
      if (base.skip || base.runs.length !== job.runs.length) row.ratio = `skipped: no Rust reader (${base.skip ?? "its runs failed"})`;
      else {
        // Round by round: a change of load hits the pair alike.
        const ratios = job.runs.map((r, i) => base.runs[i]!.wallMs / r.wallMs);
        row.ratio = `${spread(ratios, 2, "×")} of Rust ${job.vs}`;
      }
    }
    rows.push(row);
  }
  printTable("whole process, median [min–max] wall time; ratio = Rust reader's time / row's time, per round", rows);
}
