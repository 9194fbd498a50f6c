// The pure converters, alone: engine answers in, LSP shapes out.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CompletionItemKind, CompletionItemTag, DiagnosticSeverity } from "vscode-languageserver/node.js";
import type * as engine from "../engine/index.js";
import { completionKind, itemRef, toCompletionItem, toDiagnostic, toHover, toMarkup, toSignatureHelp, withDetails } from "./convert.js";

function doc(text: string): { text: string; at: (o: number) => { line: number; character: number } } {
  const d = TextDocument.create("file:///t.ts", "typescript", 1, text);
  return { text, at: (o) => d.positionAt(o) };
}

function item(overrides: Partial<engine.CompletionItem>): engine.CompletionItem {
  return { name: "orig_head", kind: "property", kindModifiers: "", sortText: "11", ...overrides };
}

describe("completionKind()", () => {
  test("maps TypeScript's element kinds", () => {
    assert.equal(completionKind("property"), CompletionItemKind.Property);
    assert.equal(completionKind("method"), CompletionItemKind.Method);
    assert.equal(completionKind("const"), CompletionItemKind.Constant);
    assert.equal(completionKind("let"), CompletionItemKind.Variable);
    assert.equal(completionKind("interface"), CompletionItemKind.Interface);
    assert.equal(completionKind("enum member"), CompletionItemKind.EnumMember);
    assert.equal(completionKind("keyword"), CompletionItemKind.Keyword);
  });
  test("falls back to Text for kinds it does not know", () => {
    assert.equal(completionKind("warning"), CompletionItemKind.Text);
    assert.equal(completionKind("no such kind"), CompletionItemKind.Text);
  });
});

describe("toCompletionItem()", () => {
  test("replaces the identifier being typed", () => {
    const { text, at } = doc("e.skb_tracking.orig");
    const out = toCompletionItem(item({}), { start: 15, end: 19 }, text, at, { list: 3, index: 7 });
    assert.deepEqual(out, {
      label: "orig_head",
      kind: CompletionItemKind.Property,
      sortText: "11",
      textEdit: { range: { start: { line: 0, character: 15 }, end: { line: 0, character: 19 } }, newText: "orig_head" },
      data: { list: 3, index: 7 },
    });
  });

  test("`?.name` also replaces the dot typed before it, and filters on it", () => {
    const { text, at } = doc("x\n  e.skb_tracking.");
    const end = text.length;
    const out = toCompletionItem(item({ insertText: "?.orig_head" }), { start: end, end }, text, at, { list: 1, index: 0 });
    assert.deepEqual(out.textEdit, { range: { start: { line: 1, character: 16 }, end: { line: 1, character: 17 } }, newText: "?.orig_head" });
    assert.equal(out.filterText, ".orig_head");
  });

  test("an insert text without a leading `?.` or `[` keeps the span", () => {
    const { text, at } = doc("e.");
    const out = toCompletionItem(item({ name: "get", insertText: "get()" }), { start: 2, end: 2 }, text, at, { list: 1, index: 0 });
    assert.deepEqual(out.textEdit, { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, newText: "get()" });
    assert.equal(out.filterText, undefined);
  });

  test("deprecated and optional modifiers", () => {
    const { text, at } = doc("e.");
    const out = toCompletionItem(item({ kindModifiers: "deprecated,optional" }), { start: 2, end: 2 }, text, at, { list: 1, index: 0 });
    assert.deepEqual(out.tags, [CompletionItemTag.Deprecated]);
    assert.deepEqual(out.labelDetails, { detail: "?" });
  });

  test("positions count UTF-16 units, as LSP does by default", () => {
    const { text, at } = doc("const s = '🦀'; s.");
    const dot = text.length;
    const out = toCompletionItem(item({ name: "length" }), { start: dot, end: dot }, text, at, { list: 1, index: 0 });
    assert.deepEqual(out.textEdit && "range" in out.textEdit && out.textEdit.range.start, { line: 0, character: 18 });
  });
});

describe("itemRef()", () => {
  test("reads back what the server stored", () => {
    assert.deepEqual(itemRef({ list: 2, index: 5 }), { list: 2, index: 5 });
  });
  test("rejects what a client mangled", () => {
    for (const bad of [undefined, null, 3, "x", {}, { list: "2", index: 5 }, { list: 2 }]) assert.equal(itemRef(bad), undefined, JSON.stringify(bad));
  });
});

describe("toMarkup() and withDetails()", () => {
  test("the declaration in a TypeScript block, then the doc comment", () => {
    assert.deepEqual(toMarkup("const reader: EventFile", "The capture."), { kind: "markdown", value: "```typescript\nconst reader: EventFile\n```\n\nThe capture." });
    assert.deepEqual(toMarkup("const n: number", ""), { kind: "markdown", value: "```typescript\nconst n: number\n```" });
  });
  test("resolve adds detail and documentation, keeping the rest", () => {
    const base = { label: "skb", data: { list: 1, index: 0 } };
    const out = withDetails(base, { name: "skb", kind: "property", detail: "(property) skb: bigint", documentation: "Address of `struct sk_buff`." });
    assert.deepEqual(out, { ...base, detail: "(property) skb: bigint", documentation: { kind: "markdown", value: "Address of `struct sk_buff`." } });
    assert.deepEqual(withDetails(base, { name: "skb", kind: "property", detail: "x", documentation: "" }), { ...base, detail: "x" });
  });
});

describe("toHover()", () => {
  test("range over the hovered identifier", () => {
    const { at } = doc("a\nevent.skb_drop.drop_reason");
    const hover = toHover({ start: 17, end: 28, kind: "property", detail: "(property) drop_reason: string", documentation: "Why." }, at);
    assert.deepEqual(hover.range, { start: { line: 1, character: 15 }, end: { line: 1, character: 26 } });
    assert.deepEqual(hover.contents, { kind: "markdown", value: "```typescript\n(property) drop_reason: string\n```\n\nWhy." });
  });
});

describe("toSignatureHelp()", () => {
  const help: engine.SignatureHelp = {
    activeSignature: 0,
    activeParameter: 1,
    signatures: [
      {
        label: "f(a: number, a2: number): void",
        documentation: "Does f.",
        parameters: [
          { label: "a: number", labelStart: 2, labelEnd: 11, documentation: "first" },
          { label: "a2: number", labelStart: 13, labelEnd: 23, documentation: "" },
        ],
      },
    ],
  };
  test("parameters as label offsets when the client supports them", () => {
    const out = toSignatureHelp(help, true);
    assert.equal(out.activeParameter, 1);
    assert.deepEqual(out.signatures[0]!.parameters, [{ label: [2, 11], documentation: "first" }, { label: [13, 23] }]);
    assert.deepEqual(out.signatures[0]!.documentation, { kind: "markdown", value: "Does f." });
  });
  test("parameters as text otherwise", () => {
    assert.deepEqual(
      toSignatureHelp(help, false).signatures[0]!.parameters!.map((p) => p.label),
      ["a: number", "a2: number"],
    );
  });
});

describe("toDiagnostic()", () => {
  const base: engine.Diagnostic = {
    category: "error",
    code: 2551,
    message: "Property 'skb_trakcing' does not exist on type 'Event'. Did you mean 'skb_tracking'?",
    line: 2,
    column: 9,
    start: 10,
    end: 22,
    range: { start: { line: 1, character: 8 }, end: { line: 1, character: 20 } },
  };
  test("range, severity, code and source", () => {
    const { at } = doc("for (;;)\n  event.skb_trakcing");
    assert.deepEqual(toDiagnostic({ ...base, start: 17, end: 29 }, at), {
      range: { start: { line: 1, character: 8 }, end: { line: 1, character: 20 } },
      severity: DiagnosticSeverity.Error,
      code: 2551,
      source: "retis",
      message: base.message,
    });
  });
  test("categories map to severities; the engine's own code 0 is left out", () => {
    const { at } = doc("x");
    assert.equal(toDiagnostic({ ...base, category: "warning", start: 0, end: 1 }, at).severity, DiagnosticSeverity.Warning);
    assert.equal(toDiagnostic({ ...base, category: "suggestion", start: 0, end: 1 }, at).severity, DiagnosticSeverity.Hint);
    assert.equal(toDiagnostic({ ...base, category: "message", start: 0, end: 1 }, at).severity, DiagnosticSeverity.Information);
    assert.equal("code" in toDiagnostic({ ...base, code: 0, start: 0, end: 1 }, at), false);
  });
});
