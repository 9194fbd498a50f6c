import assert from "node:assert/strict";
import { test } from "node:test";
import { isComplete } from "./completeness.js";

test("whole statements are complete", () => {
  for (const code of ["1 + 1", "const a = [1, 2]", "for (const e of reader.events()) console.log(e)", "", "let s = `a\nb`"]) {
    assert.equal(isComplete(code).status, "complete", code);
  }
});

test("open blocks, calls, comments and templates are incomplete, with an indent", () => {
  for (const code of ["for (const e of reader.events()) {", "console.log(1,", "/* comment", "const t = `abc", "function f() {\n  if (x) {"]) {
    const report = isComplete(code);
    assert.equal(report.status, "incomplete", code);
    assert.match(report.indent ?? "", /^ +$/);
  }
  assert.equal(isComplete("function f() {\n  if (x) {").indent, "    ");
});

test("text no further input can fix is invalid", () => {
  for (const code of ["const = 5", "1 +* 2;", "}"]) assert.equal(isComplete(code).status, "invalid", code);
});
