// Packets per second of dissect() and formatPacketLine() over Retis's real sample packets, beside the cost of
// the base64 decode every event read pays anyway.
import { readFileSync } from "node:fs";
import { dissect, formatPacketLine } from "../events/packet/index.js";
import { sample } from "../test/samples.js";

/** The base64 frames of Retis's packet tests and of test_events_packets.json. */
function realFrames(): string[] {
  const tests = JSON.parse(readFileSync(sample("derived/packet-renderings.json"), "utf8")) as { data: string }[];
  const events = readFileSync(sample("retis/test_data/test_events_packets.json"), "utf8")
    .split("\n")
    .filter((l) => l.includes('"packet"'))
    .map((l) => (JSON.parse(l) as { packet: { data: string } }).packet.data);
  return [...tests.map((t) => t.data), ...events];
}

/**
 * Runs `work` over every frame until `ms` of wall time have passed; packets per second of this process's CPU
 * time, so that other work on a busy machine does not count.
 */
function once<T>(frames: readonly T[], work: (frame: T) => unknown, ms: number): number {
  let sink = 0;
  let packets = 0;
  const stop = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  const cpu = process.cpuUsage();
  while (process.hrtime.bigint() < stop) {
    for (const frame of frames) if (work(frame) !== undefined) sink++;
    packets += frames.length;
  }
  const used = process.cpuUsage(cpu);
  if (sink < 0) console.log(sink);
  return packets / ((used.user + used.system) / 1e6);
}

interface Measure {
  readonly what: string;
  readonly run: (ms: number) => number;
}

/**
 * Each measure's best of 5 short runs, taken in turns so that a change of load on the machine hits them all alike.
 * The first measure is the baseline the others are compared with.
 */
function report(measures: readonly Measure[]): void {
  for (const m of measures) m.run(200);
  const best = measures.map(() => 0);
  for (let round = 0; round < 5; round++) {
    measures.forEach((m, i) => (best[i] = Math.max(best[i]!, m.run(300))));
  }
  measures.forEach((m, i) => {
    const ratio = i === 0 ? "" : `  (${(best[0]! / best[i]!).toFixed(2)}× the baseline's time)`;
    console.log(`${m.what.padEnd(44)} ${Math.round(best[i]!).toLocaleString("en-US").padStart(12)} packets/s${ratio}`);
  });
}

export default async function (): Promise<void> {
  const base64 = realFrames();
  const frames = base64.map((b) => Buffer.from(b, "base64"));
  console.log(`${frames.length} real frames, ${frames.reduce((n, f) => n + f.length, 0)} bytes`);
  report([
    { what: "baseline: Buffer.from(base64)", run: (ms) => once(base64, (b) => Buffer.from(b, "base64"), ms) },
    { what: "dissect", run: (ms) => once(frames, (f) => dissect(f), ms) },
    { what: "formatPacketLine (dissect + line)", run: (ms) => once(frames, (f) => formatPacketLine(f, { linkLayer: false }), ms) },
    { what: "formatPacketLine, linkLayer", run: (ms) => once(frames, (f) => formatPacketLine(f, { linkLayer: true }), ms) },
    {
      what: "base64 decode + formatPacketLine",
      run: (ms) => once(base64, (b) => formatPacketLine(Buffer.from(b, "base64"), { linkLayer: false }), ms),
    },
  ]);
}
