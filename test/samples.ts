// Where Retis's own sample files are: $RETIS_SAMPLES, else ../shared/retis-samples beside the checkout.
// They are Retis's (GPL) data, never copied into this repository.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

/** The repository root (this file is compiled to dist/test/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const samplesDir = resolve(process.env.RETIS_SAMPLES ?? join(repoRoot, "../shared/retis-samples"));

/** Path of a sample file, e.g. `sample("retis/test_data/test_events_packets.json")`. */
export function sample(relative: string): string {
  return join(samplesDir, relative);
}

/**
 * True when the samples are there. Otherwise the test is skipped loudly — except under CI=true, where a missing
 * oracle is a failure: a green run must have compared against Retis's files.
 */
export function haveSamples(t: TestContext): boolean {
  if (existsSync(samplesDir)) return true;
  const why = `Retis samples not found at ${samplesDir} (set RETIS_SAMPLES)`;
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}
