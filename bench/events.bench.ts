// Issue A's figures: reading, sorting and printing ~200,000 events made from Retis's real sample, each
// beside a bare readline + JSON.parse loop over the same file, measured in this run.
import { createReadStream, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { EventFile, Sorter } from "../events/index.js";
import { sample, samplesDir } from "../test/samples.js";

const COPIES = 7700; // × 26 events ≈ 200,000

/** A current-format (1.7) capture: the sample's events, copied with shifted times and packet ids. */
function makeCapture(): string {
  const src = new EventFile(sample("retis/test_data/test_events_packets.json"));
  const [startup, ...events] = [...src.events()];
  const lines = events.map((e) => e.toJSONLine());
  const head = startup!.toJSONLine().replace('"retis_version":"v1.6.0"', '"retis_version":"v1.7.0"');
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
  const dir = mkdtempSync(join(tmpdir(), "retis-bench-"));
  const path = join(dir, "retis.data");
  writeFileSync(path, `${out.join("\n")}\n`);
  return path;
}

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function best<T>(runs: number, fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  let b: { ms: number; value: T } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await time(fn);
    if (!b || r.ms < b.ms) b = r;
  }
  return b!;
}

async function bareLoop(path: string): Promise<number> {
  let n = 0;
  let last = 0;
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    const e = JSON.parse(line) as { common: { timestamp: number } };
    last = e.common.timestamp;
    n++;
  }
  return n + (last > 0 ? 0 : 1);
}

export default async function (): Promise<void> {
  if (!statSync(samplesDir, { throwIfNoEntry: false })) {
    console.log(`skipped: Retis samples not found at ${samplesDir}`);
    return;
  }
  const path = makeCapture();
  const size = statSync(path).size;
  const file = new EventFile(path);
  console.log(`capture: ${COPIES * 26 + 1} events, ${(size / 1e6).toFixed(1)} MB (from ${sample("retis/test_data/test_events_packets.json")})`);
  void readFileSync;

  const base = await best(3, () => bareLoop(path));
  const sync = await best(3, () => {
    let n = 0;
    let last = 0n;
    for (const e of file.events()) {
      last = e.common.timestamp;
      n++;
    }
    return n + (last > 0n ? 0 : 1);
  });
  const asyncRead = await best(3, async () => {
    let n = 0;
    for await (const e of file.events()) if (e.common.timestamp > 0n) n++;
    return n;
  });
  const full = await best(1, () => {
    let n = 0;
    for (const e of file.events()) {
      e.parseAll();
      n++;
    }
    return n;
  });
  const rate = (ms: number, n: number) => `${Math.round((n / ms) * 1000).toLocaleString("en")} events/s`;
  const n = base.value;
  console.log(`baseline readline + JSON.parse, touch common.timestamp: ${base.ms.toFixed(0)} ms (${rate(base.ms, n)})`);
  console.log(`EventFile.events() sync, common.timestamp (bigint, exact):  ${sync.ms.toFixed(0)} ms (${rate(sync.ms, n)}) = ${(base.ms / sync.ms).toFixed(2)}× baseline`);
  console.log(`EventFile.events() async, common.timestamp:               ${asyncRead.ms.toFixed(0)} ms = ${(base.ms / asyncRead.ms).toFixed(2)}× baseline`);
  console.log(`every section parsed, checked and made objects:           ${full.ms.toFixed(0)} ms = ${(base.ms / full.ms).toFixed(2)}× baseline`);

  for (const maxBuffer of [1000, 0]) {
    let peak = 0;
    const before = process.memoryUsage().heapUsed;
    const sorted = await time(() => {
      const sorter = new Sorter({ maxBuffer });
      let series = 0;
      let i = 0;
      for (const e of file.events()) {
        series += sorter.add(e).length;
        if ((++i & 0xfff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
      for (const s of sorter.drain()) if (s.length > 0) series++;
      return series;
    });
    console.log(
      `sort --max-buffer ${maxBuffer}: ${sorted.ms.toFixed(0)} ms for ${sorted.value} series = ${(sorted.ms / sync.ms).toFixed(2)}× the read time, ` +
        `peak heap growth ${(peak / 1e6).toFixed(0)} MB`,
    );
  }

  const printed = await time(() => {
    let chars = 0;
    for (const e of file.events()) chars += e.format().length;
    return chars;
  });
  console.log(`print (text of every event): ${printed.ms.toFixed(0)} ms = ${rate(printed.ms, n)}`);
}
