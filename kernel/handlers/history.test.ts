import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { History, SESSION, globToRegExp } from "./history.js";

function filled(): History {
  const h = new History();
  ["let a = 1", "a + 1", "console.log(a)", "a + 1"].forEach((code, i) => h.add(i + 1, code));
  h.setOutput(2, "2");
  return h;
}
const base = { output: false, raw: true } as const;

describe("History", () => {
  it("tail gives the last n inputs with session and line", () => {
    assert.deepEqual(filled().query({ ...base, hist_access_type: "tail", n: 2 }), [
      [SESSION, 3, "console.log(a)"],
      [SESSION, 4, "a + 1"],
    ]);
  });
  it("with output, entries carry [input, output]", () => {
    assert.deepEqual(filled().query({ ...base, output: true, hist_access_type: "range", session: SESSION, start: 2, stop: 3 }), [[SESSION, 2, ["a + 1", "2"]]]);
  });
  it("range is start-inclusive, stop-exclusive; another session is empty", () => {
    assert.deepEqual(
      filled()
        .query({ ...base, hist_access_type: "range", session: 0, start: 1, stop: 3 })
        .map((r) => r[1]),
      [1, 2],
    );
    assert.deepEqual(filled().query({ ...base, hist_access_type: "range", session: 7, start: 1, stop: 3 }), []);
  });
  it("search matches a glob; unique keeps the latest of each; n keeps the last n", () => {
    const h = filled();
    // A glob matches the whole input (SQLite GLOB, as IPython): "a*" is not found inside "let a = 1".
    assert.equal(h.query({ ...base, hist_access_type: "search", pattern: "a*" }).length, 2);
    assert.deepEqual(h.query({ ...base, hist_access_type: "search", pattern: "a*", unique: true }), [
      [SESSION, 4, "a + 1"],
    ]);
    assert.equal(h.query({ ...base, hist_access_type: "search", pattern: "*", n: 3 }).length, 3);
  });
});

describe("globToRegExp()", () => {
  it("translates *, ? and classes and escapes the rest", () => {
    assert.ok(globToRegExp("a*1").test("a + 1"));
    assert.ok(globToRegExp("x?y").test("x.y"));
    assert.ok(!globToRegExp("x.y").test("xzy"));
    assert.ok(globToRegExp("[ab]c").test("bc"));
    assert.ok(!globToRegExp("[!ab]c").test("ac"));
  });
});
