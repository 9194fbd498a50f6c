// The notebooks in a real JupyterLab (4.6, built in test/lab) in Debian's Chromium: every notebook under
// notebooks/ runs clean through Run All; typing in a cell shows completion with documentation, contextual
// help and the user's line of a type error; the stop button interrupts; restart gives a working kernel.
// Screenshots go to test-artifacts/lab/ (not committed).
import { after, before, describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../samples.js";
import { testCapture } from "../kernel/harness.js";
import { Lab, artifactsDir, missing } from "./lab.js";
import { menu, rendered, runAll, screenshotNotebook, shutdownKernel, summary, waitCell } from "./notebook.js";
import type { Page } from "./playwright.js";

declare const window: any;
declare const document: any;

const notebooks = readdirSync(join(repoRoot, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();

/** The doc comment of `member` in a typings/ source file: the oracle for what completion and help show. */
function docComment(file: string, member: string): string {
  const source = readFileSync(join(repoRoot, "typings", file), "utf8");
  const m = new RegExp(String.raw`/\*\*\s*((?:(?!\*/)[\s\S])*?)\s*\*/\s*(?:readonly\s+)?${member}\??:`).exec(source);
  if (!m) throw new Error(`typings/${file}: no doc comment on ${member}`);
  return m[1]!.replace(/\s*\n\s*\*\s*/g, " ");
}

/** A doc comment as rendered Markdown reads (the tooltip renders it; the completer's panel shows it as text): no backticks, single spaces. */
function asShown(doc: string): string {
  return doc.replace(/`/g, "").replace(/\s+/g, " ");
}

/** Writes a notebook of empty-or-given code cells for the retis-ts kernel under ROOT/notebooks. */
function scratchNotebook(lab: Lab, name: string, cells: string[]): string {
  const nb = {
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "TypeScript (retis)", language: "typescript", name: "retis-ts" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(lab.root, "notebooks", name), JSON.stringify(nb));
  return `notebooks/${name}`;
}

/** Puts the cursor at the end of cell `i`'s editor, in edit mode, as a click there does. */
async function editCell(page: Page, i: number): Promise<void> {
  await page.locator(".jp-Notebook .jp-Cell .cm-content").nth(i).click();
  await page.keyboard.press("Control+End");
}

/** Runs cell `i` as a person does: select it, Ctrl+Enter. */
async function runCell(page: Page, i: number): Promise<void> {
  await page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").nth(i).click();
  await page.keyboard.press("Control+Enter");
}

/** The text a person sees in cell `i`'s outputs (without the output prompt). */
function outputText(page: Page, i: number): Promise<string> {
  return page.evaluate((index) => {
    const cell = window.retisLab.shell.currentWidget.content.widgets[index];
    return [...cell.node.querySelectorAll(".jp-OutputArea-output")].map((n: any) => n.innerText as string).join("\n");
  }, i);
}

/**
 * Presses Tab until the completer shows, as a person does when the first Tab brings nothing: JupyterLab
 * gives a completion provider 1 s (providerTimeout), and a fresh kernel's first answer can take longer.
 * Returns how many presses it took.
 */
async function tabUntilCompleter(page: Page): Promise<number> {
  for (let presses = 1; presses <= 5; presses++) {
    await page.keyboard.press("Tab");
    const shown = await page.locator(".jp-Completer").waitFor({ state: "visible", timeout: 8_000 }).then(() => true, () => false);
    if (shown) return presses;
  }
  throw new Error("the completer did not show after 5 presses of Tab");
}

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
    rmSync(artifactsDir, { recursive: true, force: true }); // only this run's screenshots
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
        // Each chart on its own too, readable at full size.
        for (let i = 0; i < r.vegaLite; i++) {
          await page.locator(".jp-OutputArea-output.jp-RenderedVegaLite").nth(i).screenshot({ path: join(artifactsDir, nb.replace(/\.ipynb$/, `-chart${i + 1}.png`)) });
        }
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

  it("typing in a cell: completion lists the sections with their docs, Shift+Tab shows a field's doc", { timeout: 300_000 }, async (t) => {
    if (!canRun(t)) return;
    const path = scratchNotebook(lab!, "typing.ipynb", [""]);
    const { page, errors } = await lab!.open(path);
    try {
      await editCell(page, 0);
      await page.keyboard.type("for (const e of reader.events()) {\n", { delay: 15 });
      await page.keyboard.type("e.", { delay: 15 });
      const presses = await tabUntilCompleter(page);
      t.diagnostic(`the completer showed after ${presses} press(es) of Tab`);
      const labels = await page.evaluate(() => [...document.querySelectorAll(".jp-Completer .jp-Completer-item .jp-Completer-match")].map((n: any) => n.textContent as string));
      for (const section of ["common", "kernel", "skb", "skb_drop", "skb_tracking", "packet", "dev", "netns", "ct"]) {
        assert.ok(labels.includes(section), `completer after "e." lists ${section}: ${labels.join(", ")}`);
      }
      // Narrow the list to one section, as a person typing on does: its documentation shows beside it.
      await page.keyboard.type("skb_dr", { delay: 15 });
      const doc = docComment("event.ts", "skb_drop");
      await page.waitForFunction((d) => (document.querySelector(".jp-Completer-docpanel")?.textContent ?? "").replace(/\s+/g, " ").includes(d), doc.replace(/\s+/g, " "), { timeout: 30_000 });
      await page.screenshot({ path: join(artifactsDir, "typing-completer.png") });
      // Escape closes the completer and leaves the editor: click back to the end of the cell.
      await page.keyboard.press("Escape");
      await editCell(page, 0);
      // Contextual help on a field: the doc comment of skb_drop.drop_reason.
      await page.keyboard.type("op?.drop_reason", { delay: 15 });
      await page.keyboard.press("Shift+Tab");
      const help = docComment("skb-drop.ts", "drop_reason");
      await page.waitForFunction((d) => (document.querySelector(".jp-Tooltip")?.textContent ?? "").replace(/\s+/g, " ").includes(d), asShown(help), { timeout: 30_000 });
      await page.screenshot({ path: join(artifactsDir, "typing-tooltip.png") });
      await page.keyboard.press("Escape");
      assert.deepEqual(errors, [], "console errors");
    } catch (e) {
      await page.screenshot({ path: join(artifactsDir, "FAILED-typing.png") }).catch(() => undefined);
      throw e;
    } finally {
      await shutdownKernel(page).catch(() => undefined);
      await page.close();
    }
  });

  // JupyterLab shows only the traceback: the engine quotes the line a type error points at.
  it("a type error shows the user's line", { timeout: 300_000 }, async (t) => {
    if (!canRun(t)) return;
    const path = scratchNotebook(lab!, "type-error.ipynb", [""]);
    const { page, errors } = await lab!.open(path);
    try {
      const wrong = 'const port: number = "eighty";';
      await editCell(page, 0);
      await page.keyboard.type(wrong, { delay: 5 });
      await runCell(page, 0);
      await waitCell(page, 0, 60_000);
      const shown = await outputText(page, 0);
      await page.screenshot({ path: join(artifactsDir, "type-error.png") });
      assert.match(shown, /TS2322|not assignable/, shown);
      assert.ok(shown.includes(wrong), `the type error shows the user's line:\n${shown}`);
      assert.deepEqual(errors, [], "console errors");
    } finally {
      await shutdownKernel(page).catch(() => undefined);
      await page.close();
    }
  });

  it("the stop button interrupts a busy cell and a pending await, variables survive, restart gives reader again", { timeout: 300_000 }, async (t) => {
    if (!canRun(t)) return;
    const path = scratchNotebook(lab!, "interrupt.ipynb", ["const kept = 41;", "while (true) {}", "await new Promise(() => {})", "kept + 1", "[...reader.events()].length"]);
    const { page, errors } = await lab!.open(path);
    // The toolbar's ■ button (JupyterLab's "Interrupt the kernel").
    const stop = page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="interrupt"]').first();
    const busy = () => page.waitForFunction(() => window.retisLab.shell.currentWidget.sessionContext.session?.kernel?.status === "busy", undefined, { timeout: 30_000 });
    try {
      await runCell(page, 0);
      await waitCell(page, 0, 60_000);
      for (const i of [1, 2]) {
        await runCell(page, i);
        await busy();
        await stop.click();
        await waitCell(page, i, 60_000);
        assert.match(await outputText(page, i), /Interrupted/, `cell ${i} was interrupted`);
      }
      await runCell(page, 3);
      await waitCell(page, 3, 60_000);
      assert.equal((await outputText(page, 3)).trim(), "42", "variables survive an interrupt");
      await menu(page, "Kernel", "Restart Kernel…");
      await page.locator(".jp-Dialog .jp-mod-accept").click({ timeout: 30_000 });
      await runCell(page, 4);
      await waitCell(page, 4, 60_000);
      // A fresh kernel numbers its first execution 1.
      assert.equal((await page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").nth(4).innerText()).replace(/\s/g, ""), "[1]:", "the kernel restarted");
      const lines = readFileSync(testCapture(), "utf8").trim().split("\n");
      const events = lines.length; // every line is an event, the startup event too
      assert.equal((await outputText(page, 4)).trim(), String(events), "after a restart, reader reads the capture");
      await page.screenshot({ path: join(artifactsDir, "interrupt-restart.png") });
      assert.deepEqual(errors, [], "console errors");
    } catch (e) {
      await page.screenshot({ path: join(artifactsDir, "FAILED-interrupt.png") }).catch(() => undefined);
      throw e;
    } finally {
      await shutdownKernel(page).catch(() => undefined);
      await page.close();
    }
  });
});
