// Charts as a Vega-Lite spec (JupyterLab, VS Code, nbviewer draw it interactively) and a text summary. The
// SVG fallback for front ends without a Vega renderer is drawn by Vega itself when the chart is shown
// (vega.ts, added by the kernel to every Vega-Lite output), so it is the same picture for every chart type.
import { vegaLiteToSvg } from "./vega.js";

const DISPLAY = Symbol.for("Jupyter.display");
const VEGA_LITE = "application/vnd.vegalite.v5+json";

export interface Bar {
  label: string;
  value: number;
}

export interface Point {
  /** Position along x (e.g. the hop's index). */
  x: number;
  y: number;
  /** Shown on the x axis and in tooltips (e.g. the probe). */
  label: string;
}

/** A chart that renders itself in a notebook (Deno's `Symbol.for("Jupyter.display")` convention). */
export class Plot {
  constructor(
    readonly title: string,
    readonly spec: Record<string, unknown>,
    private readonly summary: string,
  ) {}

  /** The Vega-Lite v5 specification. */
  toVegaLite(): Record<string, unknown> {
    return this.spec;
  }

  /** The chart as a standalone SVG document, drawn by Vega. */
  toSVG(): Promise<string> {
    return vegaLiteToSvg(this.spec);
  }

  /** A text summary of the data, for front ends that show only text/plain. */
  toString(): string {
    return this.summary;
  }

  [DISPLAY](): Record<string, unknown> {
    return { [VEGA_LITE]: this.spec, "text/plain": this.summary };
  }
}

function shortNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1);
}

/** Horizontal bars, largest first: one row per category, the count at the end of each bar. */
export function barChart(title: string, bars: Bar[], axis: { label: string; value: string }): Plot {
  const rows = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    data: { values: rows.map((r) => ({ [axis.label]: r.label, [axis.value]: r.value })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: axis.label, type: "nominal", sort: "-x", title: axis.label },
      x: { field: axis.value, type: "quantitative", title: axis.value },
    },
  };
  const summary = [title, ...rows.map((r) => `  ${r.label}: ${r.value}`)].join("\n");
  return new Plot(title, spec, rows.length === 0 ? `${title}\n  (no data)` : summary);
}

/** A line through points in x order, each point marked and labelled on the x axis. */
export function lineChart(title: string, points: Point[], axis: { x: string; y: string }): Plot {
  const pts = [...points].sort((a, b) => a.x - b.x);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    data: { values: pts.map((p) => ({ [axis.x]: p.x, [axis.y]: p.y, label: p.label })) },
    mark: { type: "line", point: true, tooltip: true },
    encoding: {
      x: { field: axis.x, type: "quantitative", title: axis.x, axis: { tickMinStep: 1 } },
      y: { field: axis.y, type: "quantitative", title: axis.y },
      tooltip: [{ field: "label", type: "nominal" }, { field: axis.y, type: "quantitative" }],
    },
  };
  const summary = [title, ...pts.map((p) => `  ${p.x}  ${p.label}: ${shortNumber(p.y)}`)].join("\n");
  return new Plot(title, spec, pts.length === 0 ? `${title}\n  (no data)` : summary);
}
