// Declarations of the globals in globals.ts, given to the engine as ambient script text so cells are
// type-checked against them and completion/hover show these comments. The charts are typed by their own
// compiled declarations (charts.ts, plots.ts, typed against typings/), so no shape is written twice here.
import { fileURLToPath } from "node:url";

/** A module beside this one, as an `import("…")` type can name it from script text. */
const beside = (name: string) => JSON.stringify(fileURLToPath(new URL(name, import.meta.url)));
const CHARTS = beside("./charts.js");
const PLOTS = beside("./plots.js");

export const AMBIENT = `
/** A chart: shows as Vega-Lite, with an SVG drawn by Vega for front ends without a Vega renderer. */
type RetisPlot = import(${PLOTS}).Plot;
/** Charts of a capture: \`display(plot.dropsByReason(reader.events()))\`. */
declare const plot: {
  /** Dropped packets per drop reason (events with an skb_drop section). */
  dropsByReason: typeof import(${CHARTS}).dropsByReason;
  /** Number of events per probe, e.g. \`[tp] skb:kfree_skb\`. */
  eventsPerProbe: typeof import(${CHARTS}).eventsPerProbe;
  /** Time from each hop of a series (one packet's events) to the next, in µs. */
  latency: typeof import(${CHARTS}).latency;
  /** Horizontal bars of any counts. */
  bar: typeof import(${PLOTS}).barChart;
  /** A line through points. */
  line: typeof import(${PLOTS}).lineChart;
};
/** Ask the user for one line of text (Jupyter stdin); rejects when the front end does not allow input. */
declare function input(prompt?: string, options?: { password?: boolean }): Promise<string>;
/** Clear this cell's output; with \`wait\`, only when new output arrives. */
declare function clearOutput(wait?: boolean): void;
/** Display a value and get a handle to replace that output in place later. */
declare function displayUpdatable(value: unknown): { readonly id: string; update(value: unknown): void };
/** A value that displays as HTML. */
declare function html(source: string): object;
/** A value that displays as Markdown. */
declare function markdown(source: string): object;
/** A value that displays as an SVG image. */
declare function svg(source: string): object;
`;

/** The global names AMBIENT declares (checked against globals.ts by a unit test). */
export const AMBIENT_GLOBALS = ["plot", "input", "clearOutput", "displayUpdatable", "html", "markdown", "svg"] as const;
