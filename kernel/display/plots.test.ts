import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { barChart, lineChart, ticks } from "./plots.js";

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

describe("ticks()", () => {
  it("gives round steps from 0 covering the maximum", () => {
    assert.deepEqual(ticks(10), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(ticks(7), [0, 2, 4, 6, 8]);
    assert.deepEqual(ticks(0.3), [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(ticks(0), [0, 1]);
  });
});

describe("barChart()", () => {
  const plot = barChart("Drops per reason", [
    { label: "NO_SOCKET", value: 2 },
    { label: "<script>", value: 5 },
  ], { label: "reason", value: "drops" });

  it("sorts bars largest first in both renderings", () => {
    const values = (plot.toVegaLite().data as { values: Record<string, unknown>[] }).values;
    assert.deepEqual(values, [
      { reason: "<script>", drops: 5 },
      { reason: "NO_SOCKET", drops: 2 },
    ]);
    const svg = plot.toSVG();
    assert.ok(svg.indexOf("&lt;script&gt;") < svg.indexOf("NO_SOCKET"));
  });

  it("draws one bar per category, escaped, as well-formed SVG", () => {
    const svg = plot.toSVG();
    assertWellFormed(svg);
    assert.equal((svg.match(/fill="#4c78a8"/g) ?? []).length, 2);
    assert.ok(!svg.includes("<script>"));
  });

  it("displays as Vega-Lite v5, SVG and a text summary", () => {
    const bundle = (plot as unknown as Record<symbol, () => Record<string, unknown>>)[DISPLAY]!();
    assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
    assert.equal(bundle["text/plain"], "Drops per reason\n  <script>: 5\n  NO_SOCKET: 2");
    assert.equal((bundle["application/vnd.vegalite.v5+json"] as { $schema: string }).$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  });

  it("says when there is no data", () => {
    assert.equal(String(barChart("Empty", [], { label: "l", value: "v" })), "Empty\n  (no data)");
  });
});

describe("lineChart()", () => {
  it("joins the points in x order, one marker and label each", () => {
    const plot = lineChart("Latency", [
      { x: 1, y: 12.5, label: "1 ip_rcv" },
      { x: 0, y: 0, label: "0 netif_receive_skb" },
    ], { x: "hop", y: "µs" });
    const svg = plot.toSVG();
    assertWellFormed(svg);
    assert.equal((svg.match(/<circle/g) ?? []).length, 2);
    assert.ok(svg.indexOf("0 netif_receive_skb") < svg.indexOf("1 ip_rcv"));
    const values = (plot.toVegaLite().data as { values: Record<string, unknown>[] }).values;
    assert.deepEqual(values.map((v) => v.hop), [0, 1]);
  });
});
