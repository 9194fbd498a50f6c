// Charts as two renderings of one data set: a Vega-Lite spec (JupyterLab, VS Code, nbviewer draw it
// interactively) and an SVG drawn here, so that every front end — classic Notebook, nbconvert to HTML,
// GitHub's viewer — shows the chart even without a Vega renderer. No plotting library: the two chart
// kinds needed (bars of counts, a line of latencies) fit in a few dozen lines each.
import { escapeXml } from "./html.js";

const DISPLAY = Symbol.for("Jupyter.display");
const VEGA_LITE = "application/vnd.vegalite.v5+json";
const FONT = `font-family="sans-serif" font-size="12"`;
/** Slant of the line chart's x labels, in radians (35°). */
const LABEL_ANGLE = (35 * Math.PI) / 180;

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
    private readonly drawing: string,
    private readonly summary: string,
  ) {}

  /** The Vega-Lite v5 specification. */
  toVegaLite(): Record<string, unknown> {
    return this.spec;
  }

  /** The chart as a standalone SVG document. */
  toSVG(): string {
    return this.drawing;
  }

  /** A text summary of the data, for front ends that show only text/plain. */
  toString(): string {
    return this.summary;
  }

  [DISPLAY](): Record<string, unknown> {
    return { [VEGA_LITE]: this.spec, "image/svg+xml": this.drawing, "text/plain": this.summary };
  }
}

/** Axis tick values: about five round steps (1, 2 or 5 × 10^k) from 0 to at least `max`. */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough)!;
  const out: number[] = [];
  for (let v = 0; v < max + step / 2 && out.length < 12; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1]! < max) out.push(Number((out[out.length - 1]! + step).toPrecision(12)));
  return out;
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
  const labelWidth = Math.min(320, Math.max(60, ...rows.map((r) => r.label.length * 7 + 12)));
  const plotWidth = 360;
  const barH = 20;
  const gap = 6;
  const top = 30;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const scale = ticks(max);
  const xMax = scale[scale.length - 1]!;
  const height = top + rows.length * (barH + gap) + 30;
  const width = labelWidth + plotWidth + 60;
  const x = (v: number) => labelWidth + (xMax > 0 ? (v / xMax) * plotWidth : 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-family="sans-serif" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  const axisY = top + rows.length * (barH + gap);
  for (const t of scale) {
    parts.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${axisY}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(t)}" y="${axisY + 14}" text-anchor="middle" ${FONT}>${shortNumber(t)}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    parts.push(`<text x="${labelWidth - 6}" y="${y + barH * 0.7}" text-anchor="end" ${FONT}>${escapeXml(r.label)}</text>`);
    parts.push(`<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(r.value) - labelWidth)}" height="${barH}" fill="#4c78a8"><title>${escapeXml(`${r.label}: ${r.value}`)}</title></rect>`);
    parts.push(`<text x="${x(r.value) + 4}" y="${y + barH * 0.7}" ${FONT}>${shortNumber(r.value)}</text>`);
  });
  parts.push(`<text x="${labelWidth + plotWidth / 2}" y="${axisY + 28}" text-anchor="middle" ${FONT}>${escapeXml(axis.value)}</text>`);
  parts.push(`</svg>`);
  const summary = [title, ...rows.map((r) => `  ${r.label}: ${r.value}`)].join("\n");
  return new Plot(title, spec, parts.join("\n"), rows.length === 0 ? `${title}\n  (no data)` : summary);
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
  // x labels (probe names) are written at 35° down to the right: leave room below and to the right for the
  // longest one (about 6.5 px per character at 12 px sans-serif).
  const longest = Math.max(0, ...pts.map((p) => p.label.length));
  const left = 60;
  const right = 20 + Math.ceil(longest * 6.5 * Math.cos(LABEL_ANGLE));
  const top = 30;
  const bottom = 30 + Math.ceil(longest * 6.5 * Math.sin(LABEL_ANGLE));
  const width = left + 560 + right;
  const height = top + 240 + bottom;
  const xs = pts.map((p) => p.x);
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, xMin + 1);
  const yTicks = ticks(Math.max(0, ...pts.map((p) => p.y)));
  const yMax = yTicks[yTicks.length - 1]!;
  const px = (v: number) => left + ((v - xMin) / (xMax - xMin)) * (width - left - right);
  const py = (v: number) => top + (1 - v / yMax) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-family="sans-serif" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (const t of yTicks) {
    parts.push(`<line x1="${left}" y1="${py(t)}" x2="${width - right}" y2="${py(t)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${py(t) + 4}" text-anchor="end" ${FONT}>${shortNumber(t)}</text>`);
  }
  parts.push(`<line x1="${left}" y1="${py(0)}" x2="${width - right}" y2="${py(0)}" stroke="#333"/>`);
  if (pts.length > 0) {
    parts.push(`<polyline fill="none" stroke="#4c78a8" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ")}"/>`);
  }
  for (const p of pts) {
    parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="4" fill="#4c78a8"><title>${escapeXml(`${p.label}: ${p.y}`)}</title></circle>`);
    const lx = px(p.x).toFixed(1);
    const ly = (py(0) + 12).toFixed(1);
    parts.push(`<text x="${lx}" y="${ly}" transform="rotate(${(LABEL_ANGLE * 180) / Math.PI} ${lx} ${ly})" ${FONT}>${escapeXml(p.label)}</text>`);
  }
  parts.push(`<text x="14" y="${(top + height - bottom) / 2}" transform="rotate(-90 14 ${(top + height - bottom) / 2})" text-anchor="middle" ${FONT}>${escapeXml(axis.y)}</text>`);
  parts.push(`</svg>`);
  const summary = [title, ...pts.map((p) => `  ${p.x}  ${p.label}: ${shortNumber(p.y)}`)].join("\n");
  return new Plot(title, spec, parts.join("\n"), pts.length === 0 ? `${title}\n  (no data)` : summary);
}
