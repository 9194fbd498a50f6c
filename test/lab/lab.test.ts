// The notebooks in a real JupyterLab (4.6, built in test/lab) in Debian's Chromium: every notebook under
// notebooks/ runs clean through Run All; typing in a cell shows completion with documentation, contextual
// help and the user's line of a type error; the stop button interrupts; restart gives a working kernel.
// Screenshots go to test-artifacts/lab/ (not committed).
import { after, before, describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../samples.js";
import { Lab, artifactsDir, missing } from "./lab.js";
import { rendered, runAll, screenshotNotebook, shutdownKernel, summary } from "./notebook.js";

const notebooks = readdirSync(join(repoRoot, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();

/** Skips loudly when the browser or the built front end is missing; under CI=true that is a failure. */
function canRun(t: TestContext): boolean {
  const why = missing();
  if (!why) return true;
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}

describe("notebooks in JupyterLab (Chromium)", { timeout: 1_800_000 }, () => {
  let lab: Lab | undefined;

  before(async () => {
    if (missing()) return;
    mkdirSync(artifactsDir, { recursive: true });
    lab = await Lab.start();
  });
  after(async () => {
    await lab?.close();
  });

  for (const nb of notebooks) {
    it(`${nb}: Run All is clean, tables and Vega-Lite charts are drawn`, { timeout: 300_000 }, async (t) => {
      if (!canRun(t)) return;
      const { page, errors } = await lab!.open(`notebooks/${nb}`);
      try {
        await runAll(page, 240_000);
        const s = await summary(page);
        const code = s.cells.filter((c) => c.type === "code" && c.source.trim() !== "");
        assert.ok(code.length > 3, `${nb}: ${code.length} code cells`);
        const failed = code.flatMap((c) => c.outputs.filter((o) => o.type === "error").map((o) => `${c.source.split("\n")[0]}\n  → ${o.text}`));
        assert.deepEqual(failed, [], `${nb}: error outputs`);
        const outputs = code.flatMap((c) => c.outputs);
        const vegaLite = outputs.filter((o) => o.mimes.includes("application/vnd.vegalite.v5+json")).length;
        const tables = outputs.filter((o) => o.htmlTable && !o.mimes.includes("application/vnd.vegalite.v5+json")).length;
        // The vega renderer draws asynchronously: wait until every Vega-Lite output has its marks.
        await page
          .waitForFunction(
            (n) => {
              const node = (globalThis as any).retisLab.shell.currentWidget.content.node;
              return [...node.querySelectorAll(".jp-RenderedVegaLite .vega-embed")].filter((v: any) => v.querySelector("svg.marks, canvas.marks")).length >= n;
            },
            vegaLite,
            { timeout: 60_000 },
          )
          .catch(() => undefined);
        const r = await rendered(page);
        await screenshotNotebook(page, join(artifactsDir, nb.replace(/\.ipynb$/, ".png")));
        assert.equal(r.vegaLite, vegaLite, `${nb}: every Vega-Lite output is shown by the vega renderer`);
        assert.equal(r.vegaDrawn, vegaLite, `${nb}: the vega renderer drew every chart`);
        assert.equal(r.htmlTables, tables, `${nb}: every HTML table is rendered`);
        assert.deepEqual(errors, [], `${nb}: console errors`);
        t.diagnostic(`${code.length} code cells, ${vegaLite} Vega-Lite charts drawn, ${tables} HTML tables`);
      } finally {
        await shutdownKernel(page).catch(() => undefined);
        await page.close();
      }
    });
  }
});
