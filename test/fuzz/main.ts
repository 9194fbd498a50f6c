// `npm run fuzz [-- --cases N --seed S]`: the long fuzz run; prints the figures and fails on any finding.
import { parseArgs } from "node:util";
import { samplesDir } from "../samples.js";
import { formatReport, runFuzz } from "./harness.js";

const { values } = parseArgs({ options: { cases: { type: "string" }, seed: { type: "string" }, "cli-every": { type: "string" }, "full-processes": { type: "string" } } });
const t0 = performance.now();
const report = runFuzz({
  samplesDir,
  seed: Number(values.seed ?? 20261202),
  cases: Number(values.cases ?? 25000),
  cliEvery: Number(values["cli-every"] ?? 5),
  batch: 400,
  fullProcesses: Number(values["full-processes"] ?? 60),
});
console.log(formatReport(report));
console.log(`time: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const bad = report.wrongAcceptances.length + report.validRejected.length + report.errorsWithoutFileLine.length + report.stackTraces.length + report.roundTripFailures.length;
process.exitCode = bad === 0 ? 0 : 1;
