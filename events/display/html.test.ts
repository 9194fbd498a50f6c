import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeXml, formatDuration, htmlTable, jsonText, textTable } from "./html.js";

describe("formatDuration()", () => {
  it("picks the unit by size", () => {
    assert.equal(formatDuration(850n), "850 ns");
    assert.equal(formatDuration(12_345n), "12.345 µs");
    assert.equal(formatDuration(3_210_000), "3.210 ms");
    assert.equal(formatDuration(1_500_000_000n), "1.500 s");
    assert.equal(formatDuration(-2000), "-2.000 µs");
  });
});

describe("escapeXml()", () => {
  it("escapes the five XML specials", () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("tables", () => {
  it("textTable pads columns to the widest cell", () => {
    assert.equal(textTable(["#", "probe"], [["0", "[tp] skb:kfree_skb"], ["10", "x"]]), "#   probe\n0   [tp] skb:kfree_skb\n10  x");
  });
  it("htmlTable escapes cells", () => {
    assert.match(htmlTable(["a"], [["<b>"]]), /<pre style="margin:0">&lt;b&gt;<\/pre>/);
  });
  it("jsonText keeps u64 exact", () => {
    assert.equal(jsonText({ a: 2n ** 64n - 1n }), '{"a":"18446744073709551615"}');
  });
});
