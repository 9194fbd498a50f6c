// Declarations of the globals in globals.ts, given to the engine as ambient script text so cells are
// type-checked against them and completion/hover show these comments. Events are typed by the members
// the charts read, so any Event or EventSeries from `reader` fits.

export const AMBIENT = `
/** A chart: shows as Vega-Lite, with an SVG drawn by Vega for front ends without a Vega renderer. */
interface RetisPlot {
  readonly title: string;
  /** The Vega-Lite v5 specification. */
  toVegaLite(): Record<string, unknown>;
  /** The chart as an SVG document, drawn by Vega. */
  toSVG(): Promise<string>;
}
/** What the charts read from an event. */
interface RetisChartEvent {
  readonly common: { readonly timestamp: bigint };
  readonly kernel?: { readonly symbol: string; readonly probe_type: string };
  readonly userspace?: unknown;
  readonly skb_drop?: { readonly drop_reason: string; readonly subsys?: string };
}
/** Charts of a capture: \`display(plot.dropsByReason(reader.events()))\`. */
declare const plot: {
  /** Dropped packets per drop reason (events with an skb_drop section). */
  dropsByReason(events: Iterable<RetisChartEvent>): RetisPlot;
  /** Number of events per probe, e.g. \`[tp] skb:kfree_skb\`. */
  eventsPerProbe(events: Iterable<RetisChartEvent>): RetisPlot;
  /** Time from each hop of a series (one packet's events) to the next, in µs. */
  latency(series: ArrayLike<RetisChartEvent>, title?: string): RetisPlot;
  /** Horizontal bars of any counts. */
  bar(title: string, bars: { label: string; value: number }[], axis: { label: string; value: string }): RetisPlot;
  /** A line through points. */
  line(title: string, points: { x: number; y: number; label: string }[], axis: { x: string; y: string }): RetisPlot;
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
