// Pure converters between the engine's answers (engine/api.ts: UTF-16 offsets, TypeScript's kind names,
// Markdown strings) and LSP's shapes (line/character positions, numeric kinds, MarkupContent). No state, no
// I/O: the server calls them at its edge, and convert.test.ts checks them alone.
import type { CompletionItem, Diagnostic, Hover, MarkupContent, ParameterInformation, Position, Range, SignatureHelp } from "vscode-languageserver/node.js";
import { CompletionItemKind, CompletionItemTag, DiagnosticSeverity, MarkupKind } from "./library.js";
import type * as engine from "../engine/index.js";

/** Turns a UTF-16 offset of a document into an LSP position (TextDocument.positionAt). */
export type PositionAt = (offset: number) => Position;

export function toRange(positionAt: PositionAt, start: number, end: number): Range {
  return { start: positionAt(start), end: positionAt(end) };
}

/**
 * TypeScript's ScriptElementKind names (strings, stable across versions) to LSP completion kinds. Names not
 * listed (e.g. `warning`, `link`) fall back to Text.
 */
const COMPLETION_KINDS: Readonly<Record<string, CompletionItemKind>> = {
  keyword: CompletionItemKind.Keyword,
  "primitive type": CompletionItemKind.Keyword,
  script: CompletionItemKind.File,
  directory: CompletionItemKind.Folder,
  module: CompletionItemKind.Module,
  "external module name": CompletionItemKind.Module,
  class: CompletionItemKind.Class,
  "local class": CompletionItemKind.Class,
  interface: CompletionItemKind.Interface,
  type: CompletionItemKind.Class,
  alias: CompletionItemKind.Reference,
  enum: CompletionItemKind.Enum,
  "enum member": CompletionItemKind.EnumMember,
  var: CompletionItemKind.Variable,
  "local var": CompletionItemKind.Variable,
  let: CompletionItemKind.Variable,
  using: CompletionItemKind.Variable,
  "await using": CompletionItemKind.Variable,
  parameter: CompletionItemKind.Variable,
  const: CompletionItemKind.Constant,
  function: CompletionItemKind.Function,
  "local function": CompletionItemKind.Function,
  method: CompletionItemKind.Method,
  constructor: CompletionItemKind.Constructor,
  construct: CompletionItemKind.Constructor,
  call: CompletionItemKind.Method,
  index: CompletionItemKind.Property,
  property: CompletionItemKind.Property,
  getter: CompletionItemKind.Property,
  setter: CompletionItemKind.Property,
  accessor: CompletionItemKind.Property,
  "JSX attribute": CompletionItemKind.Property,
  "type parameter": CompletionItemKind.TypeParameter,
  label: CompletionItemKind.Text,
  string: CompletionItemKind.Value,
};

export function completionKind(kind: string): CompletionItemKind {
  return COMPLETION_KINDS[kind] ?? CompletionItemKind.Text;
}

/** What the server remembers to resolve an item later: which completion list, which entry in it. */
export interface ItemRef {
  list: number;
  index: number;
}

/**
 * One engine completion entry as an LSP item, its edit replacing `[start, end)` (the identifier being typed).
 *
 * `?.name` and `["name"]` entries (TypeScript's insert texts for optional and non-identifier members) replace
 * the `.` before the identifier too; the engine's Completions carries one span for the whole list, so the dot
 * is taken in here, at the edge (see the report: the engine drops TypeScript's per-entry replacementSpan).
 */
export function toCompletionItem(
  item: engine.CompletionItem,
  span: { start: number; end: number },
  text: string,
  positionAt: PositionAt,
  ref: ItemRef,
): CompletionItem {
  const newText = item.insertText ?? item.name;
  let start = span.start;
  let filterText: string | undefined;
  if (item.insertText !== undefined && /^(\?\.|\[)/.test(item.insertText) && text[start - 1] === ".") {
    start -= 1;
    // Clients filter on the replaced text, which now begins with the dot.
    filterText = `.${item.name}`;
  }
  const modifiers = item.kindModifiers.split(",");
  return {
    label: item.name,
    kind: completionKind(item.kind),
    sortText: item.sortText,
    ...(filterText !== undefined ? { filterText } : {}),
    ...(modifiers.includes("deprecated") ? { tags: [CompletionItemTag.Deprecated] } : {}),
    ...(modifiers.includes("optional") ? { labelDetails: { detail: "?" } } : {}),
    textEdit: { range: toRange(positionAt, start, span.end), newText },
    data: ref,
  };
}

/** Reads back the `data` the server put on an item, or undefined when a client mangled it. */
export function itemRef(data: unknown): ItemRef | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { list, index } = data as Partial<ItemRef>;
  return typeof list === "number" && typeof index === "number" ? { list, index } : undefined;
}

/** A declaration and its doc comment, as hover and resolved completion items show them. */
export function toMarkup(detail: string, documentation: string): MarkupContent {
  const code = detail ? `\`\`\`typescript\n${detail}\n\`\`\`` : "";
  return { kind: MarkupKind.Markdown, value: [code, documentation].filter((s) => s !== "").join("\n\n") };
}

/** completionItem/resolve: the item with its signature (`detail`) and doc comment filled in. */
export function withDetails(item: CompletionItem, details: engine.CompletionDetails): CompletionItem {
  return {
    ...item,
    detail: details.detail,
    ...(details.documentation ? { documentation: { kind: MarkupKind.Markdown, value: details.documentation } } : {}),
  };
}

export function toHover(info: engine.QuickInfo, positionAt: PositionAt): Hover {
  return { contents: toMarkup(info.detail, info.documentation), range: toRange(positionAt, info.start, info.end) };
}

/**
 * Signature help. Parameters are `[start, end]` offsets into the label when the client supports it (LSP 3.14
 * labelOffsetSupport: exact even when a parameter's text occurs twice), else their text.
 */
export function toSignatureHelp(help: engine.SignatureHelp, labelOffsets: boolean): SignatureHelp {
  return {
    activeSignature: help.activeSignature,
    activeParameter: help.activeParameter,
    signatures: help.signatures.map((s) => ({
      label: s.label,
      ...(s.documentation ? { documentation: { kind: MarkupKind.Markdown, value: s.documentation } } : {}),
      parameters: s.parameters.map(
        (p): ParameterInformation => ({
          label: labelOffsets ? [p.labelStart, p.labelEnd] : p.label,
          ...(p.documentation ? { documentation: p.documentation } : {}),
        }),
      ),
    })),
  };
}

const SEVERITIES: Readonly<Record<engine.Diagnostic["category"], DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  suggestion: DiagnosticSeverity.Hint,
  message: DiagnosticSeverity.Information,
};

export function toDiagnostic(d: engine.Diagnostic, positionAt: PositionAt): Diagnostic {
  return {
    range: toRange(positionAt, d.start, d.end),
    severity: SEVERITIES[d.category],
    // The engine's own messages have code 0: no TypeScript code to show.
    ...(d.code !== 0 ? { code: d.code } : {}),
    source: "retis",
    message: d.message,
  };
}
