// The example notebooks, executed headless by nbclient (Debian's python3-nbclient) on the bundled
// sample: no cell may fail, and cells that declare expected outputs (metadata.retis.expect) must show them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../samples.js";
import { havePython, runPython } from "./harness.js";

const dir = join(repoRoot, "notebooks");
const notebooks = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();

describe("example notebooks under nbclient", () => {
  it("there are at least three", () => {
    assert.ok(notebooks.length >= 3, `notebooks/: ${notebooks.join(", ")}`);
  });

  for (const nb of notebooks) {
    it(`${nb} runs without errors and shows its expected outputs`, { timeout: 300_000 }, async (t) => {
      if (!havePython(t, ["nbclient", "nbformat"])) return;
      const r = await runPython(["notebooks.py", join(dir, nb)], { timeoutMs: 300_000 });
      const report = `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
      assert.equal(r.code, 0, report);
      const result = JSON.parse(r.stdout.trim().split("\n").pop()!) as { ok: boolean; problems: string[]; cells: number };
      assert.deepEqual(result.problems, [], report);
      assert.ok(result.cells > 3, report);
      assert.equal(result.ok, true);
    });
  }
});
