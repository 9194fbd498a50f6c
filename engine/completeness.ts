// Jupyter's is_complete: is this text a whole cell, or is the user still typing (an open bracket, block,
// comment or template literal at the end)? Decided by the parser, so strings and comments are not miscounted.
import ts from "./typescript.js";
import type { CompletenessReport } from "./api.js";

const UNTERMINATED_TEMPLATE = 1160;

export function isComplete(code: string): CompletenessReport {
  if (code.trim() === "") return { status: "complete" };
  const output = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  // A missing token reported at the end means more input would fix it: `{`, `(`, `/*` still open.
  const atEnd = errors.some((d) => d.code === UNTERMINATED_TEMPLATE || (d.start ?? 0) >= end);
  if (!atEnd) return { status: "invalid" };
  return { status: "incomplete", indent: "  ".repeat(Math.max(1, openBrackets(code))) };
}

/** Brackets still open at the end, tokens only (strings and comments are skipped by the scanner). */
function openBrackets(code: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  let depth = 0;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenParenToken || token === ts.SyntaxKind.OpenBracketToken) depth++;
    else if (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseParenToken || token === ts.SyntaxKind.CloseBracketToken) depth = Math.max(0, depth - 1);
  }
  return depth;
}
