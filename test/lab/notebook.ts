// What a test reads from and does to the notebook open in a JupyterLab page, through the menus a person
// uses and the models JupyterLab renders from.
import type { Page } from "./playwright.js";

declare const window: any;
declare const document: any;

export interface OutputSummary {
  type: string;
  mimes: string[];
  /** Stream text, or an error's ename: evalue and traceback. */
  text: string;
  /** A text/html output that carries a <table>. */
  htmlTable: boolean;
}

export interface CellSummary {
  type: string;
  source: string;
  executionCount: number | null;
  outputs: OutputSummary[];
}

export interface NotebookSummary {
  kernel: string | undefined;
  status: string | undefined;
  cells: CellSummary[];
}

/** The cells of the current notebook, from its model. */
export function summary(page: Page): Promise<NotebookSummary> {
  return page.evaluate(() => {
    const panel = window.retisLab.shell.currentWidget;
    const kernel = panel.sessionContext.session?.kernel;
    const cells = panel.content.widgets.map((c: any) => {
      const isCode = c.model.type === "code";
      const outputs = isCode
        ? c.model.outputs.toJSON().map((o: any) => {
            const data = o.data ?? {};
            const html = typeof data["text/html"] === "string" ? data["text/html"] : Array.isArray(data["text/html"]) ? data["text/html"].join("") : "";
            const text =
              o.output_type === "stream"
                ? [].concat(o.text).join("")
                : o.output_type === "error"
                  ? `${o.ename}: ${o.evalue}\n${(o.traceback ?? []).join("\n")}`
                  : "";
            return { type: o.output_type, mimes: Object.keys(data), text, htmlTable: /<table/i.test(html) };
          })
        : [];
      return { type: c.model.type, source: c.model.sharedModel.getSource(), executionCount: isCode ? c.model.executionCount : null, outputs };
    });
    return { kernel: kernel?.name, status: kernel?.status, cells };
  });
}

/** Clicks a top menu, then one of its items, by their labels. */
export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator(`.lm-MenuBar-itemLabel:text-is("${top}")`).click({ timeout: 30_000 });
  await page.locator(`.lm-Menu-itemLabel:text-is("${item}")`).click({ timeout: 30_000 });
}

/**
 * Edit ▸ Clear Outputs of All Cells, then Run ▸ Run All Cells, and waits until every code cell that has
 * source got an execution count and the kernel is idle (notebooks are stored with their outputs and
 * counts, so the clear makes "ran" visible).
 */
export async function runAll(page: Page, timeoutMs: number): Promise<void> {
  await menu(page, "Edit", "Clear Outputs of All Cells");
  await page.waitForFunction(() => window.retisLab.shell.currentWidget.content.widgets.every((c: any) => c.model.type !== "code" || c.model.executionCount === null), undefined, { timeout: 30_000 });
  await menu(page, "Run", "Run All Cells");
  await waitIdle(page, timeoutMs);
}

/** Waits until every non-empty code cell has run and the kernel is idle. */
export async function waitIdle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const panel = window.retisLab.shell.currentWidget;
      const ran = panel.content.widgets.every((c: any) => c.model.type !== "code" || c.model.sharedModel.getSource().trim() === "" || c.model.executionCount !== null);
      return ran && panel.sessionContext.session?.kernel?.status === "idle";
    },
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
}

/** Waits until cell `i` has run (it has an execution count) and the kernel is idle again. */
export async function waitCell(page: Page, i: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (index) => {
      const panel = window.retisLab.shell.currentWidget;
      return panel.content.widgets[index].model.executionCount !== null && panel.sessionContext.session?.kernel?.status === "idle";
    },
    i,
    { timeout: timeoutMs, polling: 250 },
  );
}

export interface Rendered {
  /** Outputs whose bundle has Vega-Lite, and those of them where the vega renderer drew marks. */
  vegaLite: number;
  vegaDrawn: number;
  /** Rendered HTML outputs that hold at least one <table> element. */
  htmlTables: number;
}

/** What JupyterLab drew in the output areas of the current notebook. */
export function rendered(page: Page): Promise<Rendered> {
  return page.evaluate(() => {
    const node = window.retisLab.shell.currentWidget.content.node;
    const vega = [...node.querySelectorAll(".jp-OutputArea-output.jp-RenderedVegaLite")];
    return {
      vegaLite: vega.length,
      vegaDrawn: vega.filter((v: any) => v.querySelector(".vega-embed svg.marks, .vega-embed canvas.marks")).length,
      htmlTables: [...node.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/html"]')].filter((n: any) => n.querySelector("table")).length,
    };
  });
}

/** A screenshot of the whole notebook: the viewport is made as tall as its content first. */
export async function screenshotNotebook(page: Page, path: string): Promise<void> {
  const height = await page.evaluate(() => {
    const panel = window.retisLab.shell.currentWidget;
    const scroller = panel.content.node.querySelector(".jp-WindowedPanel-outer") ?? panel.content.node;
    return scroller.scrollHeight as number;
  });
  await page.setViewportSize({ width: 1280, height: Math.min(Math.max(900, height + 200), 16_000) });
  // Run All leaves the notebook scrolled to its last cell: show it from the top.
  await page.evaluate(() => {
    const panel = window.retisLab.shell.currentWidget;
    const scroller = panel.content.node.querySelector(".jp-WindowedPanel-outer") ?? panel.content.node;
    scroller.scrollTop = 0;
    return new Promise((resolve) => setTimeout(resolve, 500));
  });
  await page.waitForFunction(() => document.fonts.status === "loaded", undefined, { timeout: 10_000 }).catch(() => undefined);
  await page.screenshot({ path });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Shuts the notebook's kernel down (so the next notebook does not share the CPU with it). */
export function shutdownKernel(page: Page): Promise<void> {
  return page.evaluate(() => window.retisLab.shell.currentWidget.sessionContext.shutdown());
}
