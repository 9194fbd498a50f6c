import assert from "node:assert/strict";
import { test } from "node:test";
import { cellText, makeCell } from "./chain.js";
import { topLevelNames } from "./declarations.js";

test("top-level names and how later cells see them", () => {
  const names = topLevelNames(
    "let a = 1, { b, c: [d] } = o\nconst e = 2\nvar f\nfunction g() {}\nclass H {}\ninterface I {}\ntype J = 1\nenum K {}\nnamespace L {}\nimport M, { n as N } from 'm'\nimport * as O from 'o'\nfor (const inner of []) {}",
  );
  assert.deepEqual(Object.fromEntries(names.names), {
    a: "let", b: "let", d: "let", e: "const", f: "var", g: "import", H: "import", I: "import", J: "import", K: "import", L: "import", M: "import", N: "import", O: "import",
  });
});

test("a cell's text is the user's, then a tail: earlier names declared or imported, its own exported", () => {
  const first = makeCell("/w/c1.d.ts", "let count = 0\nclass Point {}\nconst fixed = 1");
  const second = makeCell("/w/c2.d.ts", "const fixed = 'again'");
  const current = makeCell("/w/now.ts", "count++\nconst mine = fixed");
  const text = cellText(current, [first, second]);
  assert.ok(text.startsWith("count++\nconst mine = fixed\n"), "the user's text comes first, unchanged");
  const tail = text.slice("count++\nconst mine = fixed\n".length).trim().split("\n");
  assert.deepEqual(tail, [
    'declare let count: typeof import("retis-cell:/w/c1.d.ts").count;',
    'declare const fixed: typeof import("retis-cell:/w/c2.d.ts").fixed;',
    'import { Point } from "retis-cell:/w/c1.d.ts";',
    "export { mine };",
  ]);
});

test("what the user exported is not exported again", () => {
  const cell = makeCell("/w/now.ts", "export const q = 1\nlet r = 2\nexport { r }\nconst s = 3");
  assert.deepEqual([...cell.exported].sort(), ["q", "r"]);
  assert.equal(cellText(cell, []), "export const q = 1\nlet r = 2\nexport { r }\nconst s = 3\nexport { s };\n");
});

test("a name the cell declares itself is not brought in", () => {
  const first = makeCell("/w/c1.d.ts", "let count = 0");
  const text = cellText(makeCell("/w/now.ts", "const count = 'mine'"), [first]);
  assert.equal(text, "const count = 'mine'\nexport { count };\n");
  assert.equal(cellText(makeCell("/w/first.ts", "1 + 1"), []), "1 + 1");
});
