// A `retis ts` script before it runs: the script and every module of the user's own that it imports
// (relative `.ts`/`.mts`/`.cts` files) are type-checked together, then each is transpiled on its own to
// JavaScript with an inline source map, for Node to run as real modules (script-loader.ts).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type * as TS from "typescript";
import ts from "./typescript.js";
import type { Diagnostic } from "./api.js";
import { setAmbientFiles } from "./ambient.js";
import { formatDiagnostic, toDiagnostics } from "./diagnostics.js";
import { compilerOptions, createService, ServiceHost } from "./host.js";
import { LIB_FILE } from "./lib-bundle.js";
import { nodeTypesEntry } from "./paths.js";

/** A module as the loader hands it to Node. */
export interface LoadedModule {
  format: "module" | "commonjs";
  source: string;
}

export interface CompiledScript {
  /** Type and syntax errors, one line each (`file:line:col - error TSxxxx: …`); nothing runs when there are any. */
  errors: string[];
  /** The transpiled modules by file URL: the script and the user's own modules it imports. */
  modules: Record<string, LoadedModule>;
}

/** TypeScript files the loader transpiles; anything else is Node's own business. */
export const TYPESCRIPT_FILE = /\.[mc]?ts$/;

/** Codes that are not errors for a script: an untyped package imports as `any` (as in cells). */
const TOLERATED = new Set([7016]);

/**
 * Checks (unless `typeCheck` is false) and transpiles the script at `entry`. A JavaScript script is neither
 * checked nor transpiled: Node runs it as it is.
 */
export function compileScript(entry: string, options: { typeCheck: boolean; reader: boolean }): CompiledScript {
  if (!TYPESCRIPT_FILE.test(entry)) return { errors: [], modules: {} };
  if (!options.typeCheck) return { errors: syntaxErrors(entry), modules: { [pathToFileURL(entry).href]: transpile(entry, readFileSync(entry, "utf8")) } };

  const host = new ServiceHost(process.cwd(), nodeTypesEntry());
  setAmbientFiles(host, { reader: options.reader, extra: [] });
  const service = createService(host);
  try {
    // The user's files are set in the host as they are found, so that one needing Node's types loads them.
    if (entry.endsWith(".cts")) host.useNodeTypes();
    host.set(entry, readFileSync(entry, "utf8"));
    let program: TS.Program;
    for (;;) {
      program = service.getProgram()!;
      const found = userFiles(program).filter((f) => !host.has(f.fileName));
      if (found.length === 0) break;
      for (const f of found) {
        // CommonJS has globals the light declarations lack (`module`, `exports`).
        if (f.fileName.endsWith(".cts")) host.useNodeTypes();
        host.set(f.fileName, f.text);
      }
    }
    const errors: string[] = [];
    const modules: Record<string, LoadedModule> = {};
    for (const file of userFiles(program)) {
      const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      errors.push(...onlyErrors(toDiagnostics(diagnostics, file.text)).map((d) => formatDiagnostic(file.fileName, d)));
      modules[pathToFileURL(file.fileName).href] = transpile(file.fileName, file.text);
    }
    return { errors, modules };
  } finally {
    // The script runs in this process: TypeScript's program must not stay in its memory.
    service.dispose();
  }
}

/** Transpiles one file: `.cts` to CommonJS, `.ts`/`.mts` to an ES module; types removed, lines kept. */
export function transpile(fileName: string, text: string): LoadedModule {
  const commonjs = fileName.endsWith(".cts");
  const output = ts.transpileModule(text, {
    fileName,
    compilerOptions: {
      ...compilerOptions(),
      module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  return { format: commonjs ? "commonjs" : "module", source: output.outputText };
}

/** With --no-check, syntax errors are still reported as the checker would, before anything runs. */
function syntaxErrors(entry: string): string[] {
  const text = readFileSync(entry, "utf8");
  const output = ts.transpileModule(text, { fileName: entry, reportDiagnostics: true, compilerOptions: compilerOptions() });
  return onlyErrors(toDiagnostics(output.diagnostics ?? [], text)).map((d) => formatDiagnostic(entry, d));
}

/** The program's files written by the user: not declarations, not packages, not the engine's own virtual files. */
function userFiles(program: TS.Program): TS.SourceFile[] {
  return program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile && TYPESCRIPT_FILE.test(f.fileName) && !f.fileName.includes("/node_modules/") && !f.fileName.startsWith("/__retis__/") && f.fileName !== LIB_FILE);
}

function onlyErrors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.category === "error" && !TOLERATED.has(d.code));
}
