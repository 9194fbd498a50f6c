// LanguageService queries for documents and for the session's next cell, converting positions at the edge
// (positions.ts) and hiding the engine's generated names.
import type * as TS from "typescript";
import ts from "./typescript.js";
import type {
  CompletionDetails,
  CompletionItem,
  Completions,
  Diagnostic,
  DocumentRef,
  Language,
  Position,
  PositionEncoding,
  QuickInfo,
  SignatureHelp,
} from "./api.js";
import { HIDDEN_PREFIX } from "./chain.js";
import { toDiagnostics } from "./diagnostics.js";
import type { OpenDocument } from "./documents.js";
import { fromOffset, toOffset } from "./positions.js";

/** Turns a DocumentRef into a file the service knows (setting the next-cell file for `{ code }`). */
export type Resolve = (doc: DocumentRef) => OpenDocument | undefined;

const PREFERENCES: TS.UserPreferences = {
  includeCompletionsWithInsertText: true,
  includeAutomaticOptionalChainCompletions: true,
  includeCompletionsForModuleExports: false,
  includeCompletionsWithSnippetText: false,
};

interface ItemData {
  source?: string;
  data?: TS.CompletionEntryData;
}

export class LanguageQueries implements Language {
  constructor(
    private readonly service: TS.LanguageService,
    private readonly resolve: Resolve,
  ) {}

  completions(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): Completions {
    const open = this.resolve(doc);
    if (!open) return { start: 0, end: 0, isMemberCompletion: false, items: [] };
    const offset = toOffset(open.text, at, encoding);
    const info = this.service.getCompletionsAtPosition(open.fileName, offset, PREFERENCES);
    const [start, end] = info?.optionalReplacementSpan
      ? [info.optionalReplacementSpan.start, info.optionalReplacementSpan.start + info.optionalReplacementSpan.length]
      : identifierAround(open.text, offset);
    const items: CompletionItem[] = [];
    for (const entry of info?.entries ?? []) {
      if (isHidden(entry.name)) continue;
      const data: ItemData = { source: entry.source, data: entry.data };
      items.push({
        name: entry.name,
        kind: entry.kind,
        kindModifiers: entry.kindModifiers ?? "",
        sortText: entry.sortText,
        ...(entry.insertText !== undefined && entry.insertText !== entry.name ? { insertText: entry.insertText } : {}),
        data,
      });
    }
    return {
      start: fromOffset(open.text, start, encoding),
      end: fromOffset(open.text, end, encoding),
      isMemberCompletion: info?.isMemberCompletion ?? false,
      items,
    };
  }

  completionDetails(doc: DocumentRef, at: Position, item: CompletionItem, encoding: PositionEncoding = "utf-16"): CompletionDetails | undefined {
    const open = this.resolve(doc);
    if (!open) return undefined;
    const offset = toOffset(open.text, at, encoding);
    const data = (item.data ?? {}) as ItemData;
    const details = this.service.getCompletionEntryDetails(open.fileName, offset, item.name, {}, data.source, PREFERENCES, data.data);
    if (!details) return undefined;
    return {
      name: details.name,
      kind: details.kind,
      detail: ts.displayPartsToString(details.displayParts),
      documentation: markdown(details.documentation, details.tags),
    };
  }

  quickInfo(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): QuickInfo | undefined {
    const open = this.resolve(doc);
    if (!open) return undefined;
    const offset = toOffset(open.text, at, encoding);
    const info = this.service.getQuickInfoAtPosition(open.fileName, offset);
    if (!info || info.textSpan.start > open.text.length) return undefined;
    return {
      start: fromOffset(open.text, info.textSpan.start, encoding),
      end: fromOffset(open.text, Math.min(info.textSpan.start + info.textSpan.length, open.text.length), encoding),
      kind: info.kind,
      detail: ts.displayPartsToString(info.displayParts),
      documentation: markdown(info.documentation, info.tags),
    };
  }

  signatureHelp(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): SignatureHelp | undefined {
    const open = this.resolve(doc);
    if (!open) return undefined;
    const offset = toOffset(open.text, at, encoding);
    const help = this.service.getSignatureHelpItems(open.fileName, offset, undefined);
    if (!help) return undefined;
    return {
      activeSignature: help.selectedItemIndex,
      activeParameter: help.argumentIndex,
      signatures: help.items.map((item) => {
        let label = ts.displayPartsToString(item.prefixDisplayParts);
        const parameters = item.parameters.map((p, i) => {
          if (i > 0) label += ts.displayPartsToString(item.separatorDisplayParts);
          const text = ts.displayPartsToString(p.displayParts);
          const labelStart = label.length;
          label += text;
          return { label: text, labelStart, labelEnd: label.length, documentation: ts.displayPartsToString(p.documentation) };
        });
        label += ts.displayPartsToString(item.suffixDisplayParts);
        return { label, documentation: markdown(item.documentation, item.tags), parameters };
      }),
    };
  }

  diagnostics(doc: DocumentRef, encoding: PositionEncoding = "utf-16"): Diagnostic[] {
    const open = this.resolve(doc);
    if (!open) return [];
    const all = [...this.service.getSyntacticDiagnostics(open.fileName), ...this.service.getSemanticDiagnostics(open.fileName)];
    return toDiagnostics(all, open.text, encoding, open.ignore);
  }
}

function isHidden(name: string): boolean {
  return name.startsWith(HIDDEN_PREFIX) || name.startsWith("__retis$");
}

/** The identifier (if any) that ends or contains `offset`: what a completion replaces. */
function identifierAround(text: string, offset: number): [number, number] {
  let start = offset;
  while (start > 0 && /[\p{ID_Continue}$]/u.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && /[\p{ID_Continue}$]/u.test(text[end]!)) end++;
  return [start, end];
}

/** A doc comment and its tags as Markdown, as hover and completion detail show it. */
function markdown(documentation: TS.SymbolDisplayPart[] | undefined, tags: TS.JSDocTagInfo[] | undefined): string {
  const parts = [ts.displayPartsToString(documentation ?? [])];
  for (const tag of tags ?? []) {
    const text = ts.displayPartsToString(tag.text ?? []);
    parts.push(`*@${tag.name}*${text ? ` — ${text}` : ""}`);
  }
  return parts.filter((p) => p !== "").join("\n\n");
}
