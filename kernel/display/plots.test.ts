import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { barChart, lineChart } from "./plots.js";
import { withChartSvg } from "./vega.js";

const DISPLAY = Symbol.for("Jupyter.display");

/** Tags open and close in order (self-closing allowed): enough to catch a broken SVG string. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, []);
}

describe("barChart()", () => {
  const plot = barChart("Drops per reason", [
    { label: "NO_SOCKET", value: 2 },
    { label: "<script>", value: 5 },
  ], { label: "reason", value: "drops" });

  it("sorts bars largest first in the spec and in Vega's drawing", async () => {
    const values = (plot.toVegaLite().data as { values: Record<string, unknown>[] }).values;
    assert.deepEqual(values, [
      { reason: "<script>", drops: 5 },
      { reason: "NO_SOCKET", drops: 2 },
    ]);
    const svg = await plot.toSVG();
    assert.ok(svg.indexOf("&lt;script&gt;") < svg.indexOf("NO_SOCKET"));
  });

  it("is drawn by Vega: one bar per category, labels escaped, well-formed SVG", async () => {
    const svg = await plot.toSVG();
    assertWellFormed(svg);
    assert.match(svg, /class="mark-rect role-mark marks"/);
    assert.equal((svg.match(/<path[^>]*fill="#4c78a8"/g) ?? []).length, 2);
    assert.ok(!svg.includes("<script>"));
  });

  it("displays as Vega-Lite v5 and a text summary (the kernel adds Vega's SVG when it is shown)", () => {
    const bundle = (plot as unknown as Record<symbol, () => Record<string, unknown>>)[DISPLAY]!();
    assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "text/plain"]);
    assert.equal(bundle["text/plain"], "Drops per reason\n  <script>: 5\n  NO_SOCKET: 2");
    assert.equal((bundle["application/vnd.vegalite.v5+json"] as { $schema: string }).$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  });

  it("says when there is no data", () => {
    assert.equal(String(barChart("Empty", [], { label: "l", value: "v" })), "Empty\n  (no data)");
  });
});

describe("lineChart()", () => {
  it("joins the points in x order, one marker each", async () => {
    const plot = lineChart("Latency", [
      { x: 1, y: 12.5, label: "1 ip_rcv" },
      { x: 0, y: 0, label: "0 netif_receive_skb" },
    ], { x: "hop", y: "µs" });
    const svg = await plot.toSVG();
    assertWellFormed(svg);
    assert.match(svg, /class="mark-line role-mark/);
    assert.equal((svg.match(/class="mark-symbol role-mark/g) ?? []).length, 1);
    const values = (plot.toVegaLite().data as { values: Record<string, unknown>[] }).values;
    assert.deepEqual(values.map((v) => v.hop), [0, 1]);
  });
});

describe("withChartSvg()", () => {
  const VL = "application/vnd.vegalite.v5+json";

  it("adds Vega's SVG to any Vega-Lite output, whatever the mark (an arc the old hand-drawn SVG never knew)", async () => {
    const spec = { data: { values: [{ k: "a", v: 1 }, { k: "b", v: 3 }] }, mark: "arc", encoding: { theta: { field: "v", type: "quantitative" }, color: { field: "k", type: "nominal" } } };
    const bundle = await withChartSvg({ [VL]: spec, "text/plain": "pie" }, (why) => assert.fail(why));
    const svg = bundle["image/svg+xml"] as string;
    assertWellFormed(svg);
    assert.match(svg, /class="mark-arc role-mark marks"/);
  });

  it("leaves a bundle with an SVG, or without a chart, as it is", async () => {
    const given = { [VL]: { mark: "bar" }, "image/svg+xml": "<svg/>" };
    assert.equal(await withChartSvg(given, () => undefined), given);
    const text = { "text/plain": "x" };
    assert.equal(await withChartSvg(text, () => undefined), text);
  });

  it("fetches nothing: a spec with a data URL keeps no SVG and says why", async () => {
    const errors: string[] = [];
    const given = { [VL]: { data: { url: "http://127.0.0.1:9/data.json" }, mark: "bar", encoding: { x: { field: "a", type: "quantitative" } } } };
    const bundle = await withChartSvg(given, (why) => errors.push(why));
    assert.equal(bundle["image/svg+xml"], undefined);
    assert.match(errors.join("\n"), /inline data only/);
  });
});
