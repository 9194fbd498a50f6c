// Globals the kernel adds to every cell (EngineOptions.globalModules), run in the engine's evaluation
// thread: charts, input(), clearOutput(), and html/markdown/svg wrappers. Their types are in ambient.ts;
// ambient.test.ts checks the two list the same names.
import type { GlobalsApi, MimeBundle } from "../../engine/index.js";
import { dropsByReason, eventsPerProbe, latency } from "./charts.js";
import { KERNEL_MIME, type KernelDirective } from "./directive.js";
import { barChart, lineChart } from "./plots.js";
import { showCaptureStatus } from "./capture-status.js";

const DISPLAY = Symbol.for("Jupyter.display");

/** A value that displays as the given bundle. */
function bundleOf(bundle: MimeBundle): object {
  return { [DISPLAY]: () => bundle, toString: () => String(bundle["text/plain"] ?? "") };
}

function directive(d: KernelDirective, data: MimeBundle = {}): object {
  return bundleOf({ ...data, [KERNEL_MIME]: d });
}

export default function kernelGlobals(api: GlobalsApi): Record<string, unknown> {
  let displayIds = 0;
  const displayUpdatable = (value: unknown): { id: string; update(value: unknown): void } => {
    const id = `retis-${process.pid}-${++displayIds}`;
    api.display(directive({ kind: "display", id, update: false }, api.format(value)));
    return { id, update: (v: unknown) => api.display(directive({ kind: "display", id, update: true }, api.format(v))) };
  };
  // captures started by cells show a live status line (capture-status.ts)
  showCaptureStatus(displayUpdatable);
  return {
    plot: { dropsByReason, eventsPerProbe, latency, bar: barChart, line: lineChart },
    /** Ask the front end for one line (Jupyter input_request); rejects when the front end does not allow stdin. */
    input: (prompt = "", options: { password?: boolean } = {}): Promise<string> =>
      api.input ? api.input(String(prompt), { password: options.password === true }) : Promise.reject(new Error("input() is not available in this engine")),
    clearOutput(wait = false): void {
      api.display(directive({ kind: "clear", wait }));
    },
    /** display() that returns a handle whose update() replaces the output in place. */
    displayUpdatable,
    html: (s: string) => bundleOf({ "text/html": String(s), "text/plain": String(s) }),
    markdown: (s: string) => bundleOf({ "text/markdown": String(s), "text/plain": String(s) }),
    svg: (s: string) => bundleOf({ "image/svg+xml": String(s), "text/plain": "[SVG]" }),
  };
}
