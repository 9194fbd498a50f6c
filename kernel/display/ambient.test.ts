import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AMBIENT, AMBIENT_GLOBALS } from "./ambient.js";
import kernelGlobals from "./globals.js";

describe("kernel globals", () => {
  it("declares exactly the globals that globals.ts defines", () => {
    const defined = Object.keys(kernelGlobals({ display: () => undefined, format: () => ({}) })).sort();
    assert.deepEqual(defined, [...AMBIENT_GLOBALS].sort());
    for (const name of AMBIENT_GLOBALS) assert.match(AMBIENT, new RegExp(`declare (const|function) ${name}\\b`), name);
  });

  it("clearOutput() and displayUpdatable() send the kernel's directives through display", () => {
    const shown: unknown[] = [];
    const g = kernelGlobals({ display: (...v) => shown.push(...v), format: (v) => ({ "text/plain": String(v) }) }) as {
      clearOutput(wait?: boolean): void;
      displayUpdatable(v: unknown): { id: string; update(v: unknown): void };
    };
    g.clearOutput(true);
    const h = g.displayUpdatable(1);
    h.update(2);
    const bundles = shown.map((x) => (x as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]!());
    const key = "application/vnd.retis.kernel-directive+json";
    assert.deepEqual(bundles[0], { [key]: { kind: "clear", wait: true } });
    assert.deepEqual(bundles[1], { "text/plain": "1", [key]: { kind: "display", id: h.id, update: false } });
    assert.deepEqual(bundles[2], { "text/plain": "2", [key]: { kind: "display", id: h.id, update: true } });
  });
});
