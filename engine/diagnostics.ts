// TypeScript diagnostics as the engine reports them: on the user's own text (the generated tail of a cell is
// never blamed), in the caller's position encoding, and as one line each for terminals and tracebacks.
import type * as TS from "typescript";
import ts from "./typescript.js";
import type { Diagnostic, PositionEncoding } from "./api.js";
import { fromOffset, lineStarts, toRange } from "./positions.js";

const CATEGORY: Record<TS.DiagnosticCategory, Diagnostic["category"]> = {
  [ts.DiagnosticCategory.Error]: "error",
  [ts.DiagnosticCategory.Warning]: "warning",
  [ts.DiagnosticCategory.Suggestion]: "suggestion",
  [ts.DiagnosticCategory.Message]: "message",
};

/**
 * Converts the diagnostics of one file whose first `userText.length` characters are the user's text; those
 * outside it (the tail, other files) are dropped, as are codes in `ignore`.
 */
export function toDiagnostics(
  diagnostics: readonly TS.Diagnostic[],
  userText: string,
  encoding: PositionEncoding = "utf-16",
  ignore: ReadonlySet<number> = new Set(),
): Diagnostic[] {
  const starts = lineStarts(userText);
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.start === undefined || d.start > userText.length || ignore.has(d.code)) continue;
    const end = Math.min(d.start + (d.length ?? 0), userText.length);
    const range = toRange(userText, d.start, end, encoding, starts);
    out.push({
      category: CATEGORY[d.category],
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      line: range.start.line + 1,
      column: range.start.character + 1,
      start: fromOffset(userText, d.start, encoding),
      end: fromOffset(userText, end, encoding),
      range,
    });
  }
  return out;
}

/** `drops.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.` */
export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  const code = d.code ? ` TS${d.code}` : "";
  return `${fileName}:${d.line}:${d.column} - ${d.category}${code}: ${d.message}`;
}

/**
 * The user's line a diagnostic points at, underlined, as tsc --pretty shows it: a notebook shows only the
 * traceback, so without it a reader has to count lines in the cell to find the mistake.
 *   `3 | const port: number = "eighty";`
 *   `  |       ~~~~`
 */
export function quoteSource(text: string, d: Diagnostic): string[] {
  const lines = text.split(/\r?\n/);
  const source = lines[d.line - 1];
  if (source === undefined) return [];
  const gutter = String(d.line);
  const from = d.column - 1;
  const to = d.range.end.line === d.range.start.line ? Math.max(d.range.end.character, from + 1) : source.length;
  const marks = " ".repeat(from) + "~".repeat(Math.max(1, Math.min(to, source.length) - from));
  return [`${gutter} | ${source}`, `${" ".repeat(gutter.length)} | ${marks}`];
}

/** Codes that are not errors in a notebook whose cells are joined in one text: redeclaring in a later cell. */
export const REDECLARATION_CODES: ReadonlySet<number> = new Set([
  2300, // Duplicate identifier 'x'.
  2393, // Duplicate function implementation.
  2451, // Cannot redeclare block-scoped variable 'x'.
  2323, // Cannot redeclare exported variable 'x'.
  2567, // Enum declarations can only merge with namespace or other enum declarations.
]);
