// The SVG fallback of every Vega-Lite output, drawn by Vega itself: the same picture JupyterLab's renderer
// draws, for any chart type, shown by front ends without a Vega renderer (classic Notebook, nbconvert to HTML,
// GitHub's viewer). Vega and Vega-Lite load on the first chart only (~0.4 s), never at kernel start.
import type { MimeBundle } from "../../engine/index.js";

/** Vega-Lite's MIME types, one per major version (`application/vnd.vegalite.v5+json`). */
const VEGA_LITE = /^application\/vnd\.vegalite\.v\d+\+json$/;
const SVG = "image/svg+xml";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");
let libraries: Promise<[Vega, VegaLite]> | undefined;

/** The Vega-Lite spec in a bundle that has no SVG yet, else undefined. */
export function chartSpec(bundle: MimeBundle): Record<string, unknown> | undefined {
  if (SVG in bundle) return undefined;
  const key = Object.keys(bundle).find((k) => VEGA_LITE.test(k));
  const spec = key === undefined ? undefined : bundle[key];
  return typeof spec === "object" && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>) : undefined;
}

/** A Vega-Lite spec as a standalone SVG document, rendered headless by Vega. */
export async function vegaLiteToSvg(spec: Record<string, unknown>): Promise<string> {
  libraries ??= Promise.all([import("vega"), import("vega-lite")]);
  const [vega, vegaLite] = await libraries;
  const compiled = vegaLite.compile(spec as never).spec;
  // The kernel reads no files and fetches nothing for a picture: data must be inline (`data.values`). (Vega
  // would draw an empty chart after a failed load, which is worse than none.)
  const url = compiled.data?.map((d) => (d as { url?: unknown }).url).find((u) => u !== undefined);
  if (url !== undefined) throw new Error(`the SVG fallback uses inline data only; the spec asks for ${JSON.stringify(url)}`);
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error("the SVG fallback uses inline data only"));
  const view = new vega.View(vega.parse(compiled), { renderer: "none", loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The bundle with an SVG drawing of its Vega-Lite chart added; unchanged when it has no chart, already has
 * an SVG, or the spec cannot be drawn (`onError` says why; the front end still has the spec).
 */
export async function withChartSvg(bundle: MimeBundle, onError: (why: string) => void): Promise<MimeBundle> {
  const spec = chartSpec(bundle);
  if (!spec) return bundle;
  try {
    return { ...bundle, [SVG]: await vegaLiteToSvg(spec) };
  } catch (error) {
    onError(`no SVG fallback for a Vega-Lite chart: ${(error as Error).message}`);
    return bundle;
  }
}
