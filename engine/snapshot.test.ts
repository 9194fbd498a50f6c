// The change range handed to TypeScript's incremental parser: a wrong span would leave a document's parse
// silently different from its text, so every shape of edit is checked by rebuilding the new text from it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { changeRange, TextSnapshot } from "./snapshot.js";
import { createEngine } from "./index.js";

/** The new text as TypeScript rebuilds it: old prefix, the new snapshot's changed part, old suffix. */
function rebuild(before: string, after: string): string {
  const range = changeRange(before, after);
  const end = range.span.start + range.span.length;
  return before.slice(0, range.span.start) + after.slice(range.span.start, range.span.start + range.newLength) + before.slice(end);
}

test("insertions, deletions and replacements give the span that turns the old text into the new", () => {
  const cases: [string, string][] = [
    ["", ""],
    ["abc", "abc"],
    ["", "abc"],
    ["abc", ""],
    ["reader.", "reader.e"], // typing at the end
    ["const x = 1", "const xy = 1"], // in the middle
    ["aaaa", "aaaaa"], // into a run of equal characters: prefix and suffix must not overlap
    ["aaaaa", "aaaa"],
    ["abcabc", "abc"],
    ["one\ntwo\nthree", "one\nTWO\nthree"],
    ["x🐧y", "x🐧🐧y"], // astral characters are two UTF-16 units; the span may cut between them
  ];
  for (const [before, after] of cases) {
    assert.equal(rebuild(before, after), after, JSON.stringify([before, after]));
    const range = changeRange(before, after);
    assert.ok(range.span.start >= 0 && range.span.start + range.span.length <= before.length);
    assert.ok(range.span.start + range.newLength <= after.length);
  }
});

test("a snapshot compares itself with any older snapshot", () => {
  const range = new TextSnapshot("let ab = 2").getChangeRange(new TextSnapshot("let a = 2"));
  assert.deepEqual(range, { span: { start: 5, length: 0 }, newLength: 1 });
});

test("a document edited keystroke by keystroke answers as the same text opened fresh", async () => {
  const engine = await createEngine({ input: null, ambient: ["declare const reader: import('retis').EventFile;"] });
  try {
    const head = "for (const event of reader.events()) {\n  const n: number = ";
    const tail = "\n  console.log(n)\n}\n";
    const typed = 'event.skb_drop?.drop_reason ?? "none"';
    let text = head + tail;
    engine.documents.set("file:///w/edited.ts", text);
    engine.diagnostics("file:///w/edited.ts");
    for (let i = 1; i <= typed.length; i++) {
      text = head + typed.slice(0, i) + tail;
      engine.documents.set("file:///w/edited.ts", text);
      engine.completions("file:///w/edited.ts", head.length + i);
    }
    engine.documents.set("file:///w/fresh.ts", text);
    const edited = engine.diagnostics("file:///w/edited.ts");
    assert.deepEqual(edited, engine.diagnostics("file:///w/fresh.ts"));
    // The edit left a real type error: the incrementally parsed file was checked, not an old parse of it.
    assert.ok(edited.some((d) => d.code === 2322), JSON.stringify(edited));
    assert.deepEqual(engine.quickInfo("file:///w/edited.ts", text.indexOf("drop_reason") + 2), engine.quickInfo("file:///w/fresh.ts", text.indexOf("drop_reason") + 2));
  } finally {
    await engine.close();
  }
});
