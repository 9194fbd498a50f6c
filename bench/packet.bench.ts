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

/** Best of 3 runs of `once`, after one run to warm the JIT up: runs vary with GC and compilation. */
function rate<T>(frames: readonly T[], work: (frame: T) => unknown): number {
  once(frames, work, 300);
  return Math.max(once(frames, work, 500), once(frames, work, 500), once(frames, work, 500));
}

/** Runs `work` over every frame until `ms` have passed; packets per second. */
function once<T>(frames: readonly T[], work: (frame: T) => unknown, ms: number): number {
  let sink = 0;
  let packets = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < stop) {
    for (const frame of frames) if (work(frame) !== undefined) sink++;
    packets += frames.length;
    now = process.hrtime.bigint();
  }
  if (sink < 0) console.log(sink);
  return packets / (Number(now - start) / 1e9);
}

function show(what: string, perSecond: number, baseline?: number): void {
  const ratio = baseline === undefined ? "" : `  (${(baseline / perSecond).toFixed(2)}× the baseline's time)`;
  console.log(`${what.padEnd(44)} ${Math.round(perSecond).toLocaleString("en-US").padStart(12)} packets/s${ratio}`);
}

export default async function (): Promise<void> {
  const base64 = realFrames();
  const frames = base64.map((b) => Buffer.from(b, "base64"));
  console.log(`${frames.length} real frames, ${frames.reduce((n, f) => n + f.length, 0)} bytes`);
  const decode = rate(base64, (b) => Buffer.from(b, "base64"));
  show("baseline: Buffer.from(base64)", decode);
  show("dissect", rate(frames, (f) => dissect(f)), decode);
  show("formatPacketLine (dissect + line)", rate(frames, (f) => formatPacketLine(f, { linkLayer: false })), decode);
  show("formatPacketLine, linkLayer", rate(frames, (f) => formatPacketLine(f, { linkLayer: true })), decode);
  show("base64 decode + formatPacketLine", rate(base64, (b) => formatPacketLine(Buffer.from(b, "base64"), { linkLayer: false })), decode);
}
