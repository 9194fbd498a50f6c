// One reading loop of the events bench, as a whole process (so that it is timed as the Rust reader and the
// commands are): `node dist/bench/events-worker.js <mode> <file>`. Every mode prints
// `events N timestamp_sum S` (the exact sum of every line's common.timestamp) and, for `sections`,
// `sections K`: what the bench compares between the rows and with the Rust reader.
//   bare       readline + JSON.parse, touch common.timestamp (the bare Node loop: a reference)
//   timestamp  EventFile.events(), touch common.timestamp (bigint)
//   sections   EventFile.events(), every present section read, each of its fields touched
//   todict     EventFile.events(), e.toDict() on every event
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { EventFile } from "../events/index.js";

/** Leaves under a section's fields: numbers, strings, bigints, booleans; objects and arrays walked into. */
function leaves(v: unknown): number {
  if (v === null || typeof v !== "object") return 1;
  if (Array.isArray(v)) {
    let n = 0;
    for (const x of v) n += leaves(x);
    return n;
  }
  if (v instanceof Uint8Array) return 1;
  let n = 0;
  for (const k of Object.keys(v)) n += leaves((v as Record<string, unknown>)[k]);
  return n;
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  if (!path || !["bare", "timestamp", "sections", "todict"].includes(mode!)) {
    console.error("usage: events-worker bare|timestamp|sections|todict <file>");
    process.exit(2);
  }
  let n = 0;
  let sum = 0n;
  let sections = 0;
  let fields = 0;
  if (mode === "bare") {
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.length === 0) continue;
      const e = JSON.parse(line) as { common: { timestamp: number } };
      sum += BigInt(e.common.timestamp);
      n++;
    }
  } else {
    const file = new EventFile(path);
    for (const e of file.events()) {
      n++;
      sum += e.common.timestamp;
      if (mode === "sections") {
        for (const name of e.sections()) {
          sections++;
          fields += leaves(e.get(name));
        }
      } else if (mode === "todict") {
        fields += Object.keys(e.toDict()).length;
      }
    }
  }
  console.log(`events ${n} timestamp_sum ${sum}`);
  if (mode === "sections") console.log(`sections ${sections} leaves ${fields}`);
}

await main();
