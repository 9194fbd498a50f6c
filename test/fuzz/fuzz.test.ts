// The fuzz run of `npm test`: a few thousand seeded cases derived from Retis's samples, judged by the
// independent checker, through the library and the print/stats/sort commands. `npm run fuzz` runs more.
import { test } from "node:test";
import assert from "node:assert/strict";
import { haveSamples, samplesDir } from "../samples.js";
import { formatReport, runFuzz } from "./harness.js";

test("fuzz: nothing wrong accepted, nothing valid refused, every error names file and line, exact round trip", (t) => {
  if (!haveSamples(t)) return;
  const report = runFuzz({ samplesDir, seed: 0x5eed, cases: 4000, cliEvery: 8, batch: 250, fullProcesses: 16 });
  const text = formatReport(report);
  t.diagnostic(text);
  assert.ok(report.valid > 100 && report.cases - report.valid > 2000, `the generator must make both kinds of case\n${text}`);
  assert.equal(report.wrongAcceptances.length, 0, text);
  assert.equal(report.validRejected.length, 0, text);
  assert.equal(report.errorsWithoutFileLine.length, 0, text);
  assert.equal(report.stackTraces.length, 0, text);
  assert.equal(report.roundTripFailures.length, 0, text);
});
