// LanguageService queries for documents and for the session's next cell, converting positions at the edge
// (positions.ts) and hiding the engine's generated names.
import type * as TS from "typescript";
import ts from "./typescript.js";
import type {
  Cancellation,
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

/**
 * Turns a DocumentRef into a file the service knows (setting the next-cell file for `{ code }`); `offset`, when
 * the query has a position, is where in the text.
 */
export type Resolve = (doc: DocumentRef, offset?: number) => OpenDocument | undefined;

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
    /** Installs the cancellation check of the query being run (the host's token asks it). */
    private readonly setCancellation: (cancellation: Cancellation | undefined) => void = () => undefined,
  ) {}

  /** The document and the UTF-16 offset a query is about. */
  private locate(doc: DocumentRef, at: Position, encoding: PositionEncoding): { open: OpenDocument; offset: number } | undefined {
    if (typeof doc !== "string") {
      const offset = toOffset(doc.code, at, encoding);
      const open = this.resolve(doc, offset);
      return open && { open, offset };
    }
    const open = this.resolve(doc);
    return open && { open, offset: toOffset(open.text, at, encoding) };
  }

  completions(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): Completions {
    const place = this.locate(doc, at, encoding);
    if (!place) return { start: 0, end: 0, isMemberCompletion: false, items: [] };
    const { open, offset } = place;
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
        ...(entry.replacementSpan
          ? {
              replaceStart: fromOffset(open.text, entry.replacementSpan.start, encoding),
              replaceEnd: fromOffset(open.text, entry.replacementSpan.start + entry.replacementSpan.length, encoding),
            }
          : {}),
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
    const place = this.locate(doc, at, encoding);
    const data = (item.data ?? {}) as ItemData;
    const details = place && this.service.getCompletionEntryDetails(place.open.fileName, place.offset, item.name, {}, data.source, PREFERENCES, data.data);
    return details && { name: details.name, kind: details.kind, ...described(details) };
  }

  quickInfo(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): QuickInfo | undefined {
    const place = this.locate(doc, at, encoding);
    const info = place && this.service.getQuickInfoAtPosition(place.open.fileName, place.offset);
    if (!place || !info || info.textSpan.start > place.open.text.length) return undefined;
    const text = place.open.text;
    return {
      start: fromOffset(text, info.textSpan.start, encoding),
      end: fromOffset(text, Math.min(info.textSpan.start + info.textSpan.length, text.length), encoding),
      kind: info.kind,
      ...described(info),
    };
  }

  signatureHelp(doc: DocumentRef, at: Position, encoding: PositionEncoding = "utf-16"): SignatureHelp | undefined {
    const place = this.locate(doc, at, encoding);
    const help = place && this.service.getSignatureHelpItems(place.open.fileName, place.offset, undefined);
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

  diagnostics(doc: DocumentRef, encoding?: PositionEncoding): Diagnostic[];
  diagnostics(doc: DocumentRef, encoding: PositionEncoding | undefined, cancellation: Cancellation): Diagnostic[] | undefined;
  diagnostics(doc: DocumentRef, encoding: PositionEncoding = "utf-16", cancellation?: Cancellation): Diagnostic[] | undefined {
    const open = this.resolve(doc);
    if (!open) return [];
    // Parsing is incremental and quick: only the semantic check is worth stopping.
    const syntactic = this.service.getSyntacticDiagnostics(open.fileName);
    this.setCancellation(cancellation);
    let semantic: readonly TS.Diagnostic[];
    try {
      semantic = this.service.getSemanticDiagnostics(open.fileName);
    } catch (error) {
      // TypeScript drops the checker it stopped (its caches may be half-filled); the next query makes a new one.
      if (error instanceof ts.OperationCanceledException) return undefined;
      throw error;
    } finally {
      this.setCancellation(undefined);
    }
    return toDiagnostics([...syntactic, ...semantic], open.text, encoding, open.ignore);
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

/** A declaration as TypeScript displays it, and its doc comment. */
function described(info: { displayParts?: TS.SymbolDisplayPart[]; documentation?: TS.SymbolDisplayPart[]; tags?: TS.JSDocTagInfo[] }): { detail: string; documentation: string } {
  return { detail: ts.displayPartsToString(info.displayParts ?? []), documentation: markdown(info.documentation, info.tags) };
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
