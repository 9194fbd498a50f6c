// Compiling one cell or script: diagnostics first (syntax always, types unless disabled), then JavaScript
// shaped for the evaluation thread (transform.ts) with its source map.
import type * as TS from "typescript";
import ts from "./typescript.js";
import type { Diagnostic } from "./api.js";
import { toDiagnostics } from "./diagnostics.js";
import { compilerOptions } from "./host.js";
import { cellTransformer } from "./transform.js";

export interface Compiled {
  /** Errors (and only errors) on the user's text; when present, nothing is run. */
  errors: Diagnostic[];
  /** Body of an async function (see transform.ts); empty when there are errors. */
  javascript: string;
  /** The source map's `mappings` (generated lines of `javascript` → user lines). */
  mappings: string;
  /**
   * The file's declaration output (`export declare let x: number`), from the same program; undefined when
   * the file was not checked. Asked after the cell is sent to run, so that it overlaps the run.
   */
  declarations?: () => string | undefined;
}

export interface CompileRequest {
  /** The virtual file holding the user's text, plus its generated tail when checked in a chain. */
  fileName: string;
  userText: string;
  returnLastExpression: boolean;
  typeCheck: boolean;
}

/**
 * The last compilation: the same cell run again over an unchanged program (no new declarations since) gives
 * the same output, so it is not emitted twice.
 */
let last: { program: TS.Program; sourceFile: TS.SourceFile; key: string; compiled: Compiled } | undefined;

/** Compiles a file already set in the LanguageService's host. */
export function compileInProgram(service: TS.LanguageService, request: CompileRequest): Compiled {
  const program = service.getProgram();
  const sourceFile = program?.getSourceFile(request.fileName);
  if (!program || !sourceFile) throw new Error(`engine: ${request.fileName} is not in the program`);
  const key = `${request.userText.length}:${request.returnLastExpression}:${request.typeCheck}`;
  if (last && last.program === program && last.sourceFile === sourceFile && last.key === key) return last.compiled;
  const compiled = compileNow(service, program, sourceFile, request);
  last = { program, sourceFile, key, compiled };
  return compiled;
}

function compileNow(service: TS.LanguageService, program: TS.Program, sourceFile: TS.SourceFile, request: CompileRequest): Compiled {  const syntax = program.getSyntacticDiagnostics(sourceFile);
  const errors = onlyErrors(toDiagnostics(syntax, request.userText));
  if (errors.length === 0 && request.typeCheck) errors.push(...onlyErrors(toDiagnostics(program.getSemanticDiagnostics(sourceFile), request.userText)));
  if (errors.length > 0) return { errors, javascript: "", mappings: "" };

  let javascript = "";
  let map = "";
  const transformer = cellTransformer({ userLength: request.userText.length, returnLastExpression: request.returnLastExpression });
  program.emit(
    sourceFile,
    (name, text) => {
      if (name.endsWith(".map")) map = text;
      else if (name.endsWith(".js")) javascript = text;
    },
    undefined,
    false,
    { after: [transformer] },
  );
  // Only the .d.ts, even though the options do not ask for declarations (the service's forced emit); once.
  let dts: { text: string | undefined } | undefined;
  const declarations = (): string | undefined =>
    (dts ??= { text: service.getEmitOutput(request.fileName, true, true).outputFiles.find((f) => f.name.endsWith(".d.ts"))?.text }).text;
  return { errors: [], javascript: asFunctionBody(javascript), mappings: mappingsOf(map), ...(request.typeCheck ? { declarations } : {}) };
}

/** Compiles text alone, without types: `--no-check`, where a full program would be wasted work. */
export function compileAlone(fileName: string, request: Omit<CompileRequest, "fileName" | "typeCheck">): Compiled {
  const output = ts.transpileModule(request.userText, {
    compilerOptions: compilerOptions(),
    fileName,
    reportDiagnostics: true,
    transformers: { after: [cellTransformer({ userLength: request.userText.length, returnLastExpression: request.returnLastExpression })] },
  });
  const errors = onlyErrors(toDiagnostics(output.diagnostics ?? [], request.userText));
  if (errors.length > 0) return { errors, javascript: "", mappings: "" };
  return { errors: [], javascript: asFunctionBody(output.outputText), mappings: mappingsOf(output.sourceMapText ?? "") };
}

/**
 * 7016 "Could not find a declaration file for module": an untyped package imports as `any` in a cell or
 * script, as people expect of a notebook; editors still show it (language.ts does not filter it).
 */
const TOLERATED = new Set([7016]);

function onlyErrors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.category === "error" && !TOLERATED.has(d.code));
}

/**
 * The emitted file as a function body: without its source map comment, and without a `#!` line (an executable
 * script's), which TypeScript keeps but is only valid at the very start of a file. The line stays, empty, so
 * the source map still matches.
 */
function asFunctionBody(javascript: string): string {
  return javascript.replace(/^#!.*/, "").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
}

function mappingsOf(map: string): string {
  if (!map) return "";
  return (JSON.parse(map) as { mappings: string }).mappings;
}
