// `retis stats --threads N` cuts a plain file between threads: its answer must be the one-thread answer,
// byte for byte, on good files and on bad ones (the first bad line of the file, its number in the file).
// The bad lines are placed by the test, so the expected line numbers are known independently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile } from "../../events/index.js";
import { haveSamples, repoRoot, sample } from "../../test/samples.js";

const CLI = join(repoRoot, "dist/cli/main.js");

function stats(path: string, threads: number): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, "stats", "--threads", String(threads), path], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("stats --threads gives the one-thread answer, errors included", (t) => {
  if (!haveSamples(t)) return;
  const path16 = sample("retis/test_data/test_events_packets.json");
  const [startup, ...events] = readFileSync(path16, "utf8").split("\n").filter((l) => l !== "");
  // The sample's own 1.6 lines (fix-ups on every event), and the same events in the current format.
  const [startup17, ...events17] = [...new EventFile(path16).events()].map((e) => e.toJSONLine());
  const files: [string, string[]][] = [
    [startup!, events],
    [startup17!.replace('"retis_version":"v1.6.0"', '"retis_version":"v1.7.0"'), events17],
  ];
  const dir = mkdtempSync(join(tmpdir(), "retis-stats-threads-"));
  try {
    for (const [head, events] of files) {
      const lines = [head];
      for (let k = 0; k < 80; k++) lines.push(...events);
      const cases: [string, string[], number | undefined][] = [
        ["good", lines, undefined],
        ["no final newline", lines, undefined],
        ["bad JSON late", lines.map((l, i) => (i === 1700 ? l.replace('"common":{', '"common":{,') : l)), 1701],
        ["two bad lines", lines.map((l, i) => (i === 900 || i === 1800 ? l.replace(/"timestamp":\d+/, '"timestamp":-1') : l)), 901],
        ["empty line early", [...lines.slice(0, 5), "", ...lines.slice(5)], 6],
        ["bad UTF-8 in the middle", lines, 1001],
        ["bad last line", [...lines, '{"common":{"timestamp":1}'], lines.length + 1],
      ];
      for (const [what, content, badLine] of cases) {
        const path = join(dir, "retis.data");
        let bytes = Buffer.from(`${content.join("\n")}${what === "no final newline" ? "" : "\n"}`);
        if (what === "bad UTF-8 in the middle") {
          const at = content.slice(0, 1000).join("\n").length + 1 + 20;
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + 1)]);
        }
        writeFileSync(path, bytes);
        const one = stats(path, 1);
        if (badLine === undefined) assert.equal(one.code, 0, `${what}: ${one.err}`);
        else assert.match(one.err, new RegExp(`^retis: ${path}:${badLine}: `), what);
        for (const threads of [2, 5]) assert.deepEqual(stats(path, threads), one, `${what}, ${threads} threads`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stats --threads refuses a count that is not a whole number from 1", () => {
  for (const bad of ["0", "-1", "x", "1.5"]) {
    const r = spawnSync(process.execPath, [CLI, "stats", "--threads", bad, "nothing"], { encoding: "utf8" });
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /invalid --threads/);
  }
});
