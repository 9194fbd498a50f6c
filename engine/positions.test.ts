import assert from "node:assert/strict";
import { test } from "node:test";
import { codePointToUtf16, fromOffset, toLineCharacter, toOffset, utf16ToCodePoint } from "./positions.js";

// "🐧" is one code point but two UTF-16 units: Jupyter counts it as 1, TypeScript as 2.
const text = 'const s = "🐧";\nreader.';

test("code points and UTF-16 offsets convert both ways around an astral character", () => {
  const dot = text.length; // after "reader."
  assert.equal(utf16ToCodePoint(text, dot), dot - 1);
  assert.equal(codePointToUtf16(text, dot - 1), dot);
  assert.equal(codePointToUtf16(text, 11), 11); // the penguin starts at 11 in both
  assert.equal(codePointToUtf16(text, 12), 13); // after it, UTF-16 is one ahead
});

test("line/character positions count characters in the requested encoding", () => {
  assert.equal(toOffset(text, { line: 1, character: 7 }), text.length);
  assert.equal(toOffset(text, { line: 0, character: 12 }, "code-point"), 13);
  assert.deepEqual(toLineCharacter(text, 13, "code-point"), { line: 0, character: 12 });
  assert.deepEqual(toLineCharacter(text, 13, "utf-16"), { line: 0, character: 13 });
  assert.equal(fromOffset(text, text.length, "code-point"), text.length - 1);
});

test("positions past the end are clamped", () => {
  assert.equal(toOffset(text, 999), text.length);
  assert.equal(toOffset(text, { line: 9, character: 0 }), text.lastIndexOf("\n") + 1);
});
