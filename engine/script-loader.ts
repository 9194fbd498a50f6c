// Module hooks for `retis ts` scripts (node:module register(); they run in Node's loader thread). They let
// Node load what a script imports as Node would, plus three things Node 20 cannot do alone:
//  - TypeScript modules (`.ts`, `.mts`, `.cts`): the transpiled text script-compile.ts prepared (checked
//    with the script), else transpiled here (a module found only at run time, or `--no-check`);
//  - TypeScript's way of naming them: `./util.js` or `./util` for `./util.ts`, as the checker resolved it;
//  - `retis` and `retis/…`: this package, wherever the script is (as cells see it).
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LoadedModule } from "./script-compile.js";

export interface LoaderData {
  /** Transpiled modules by file URL. */
  modules: Record<string, LoadedModule>;
  /** A URL inside this package, from which `retis` resolves to the package itself. */
  selfParent: string;
}

interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;
type NextLoad = (url: string, context?: { format?: string | null }) => Promise<{ format: string; source?: unknown }>;

let data: LoaderData = { modules: {}, selfParent: "" };

export function initialize(given: LoaderData): void {
  data = given;
}

/** What a relative specifier may stand for, in TypeScript's (bundler) resolution order. */
function candidates(specifier: string): string[] {
  const swapped = specifier.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts").replace(/\.cjs$/, ".cts");
  const out = swapped !== specifier ? [swapped] : [];
  if (!/\.[mc]?[jt]s$/.test(specifier)) out.push(`${specifier}.ts`, `${specifier}.mts`, `${specifier}.cts`, `${specifier}/index.ts`);
  return out;
}

function isFile(url: URL): boolean {
  if (data.modules[url.href]) return true;
  const path = fileURLToPath(url);
  return existsSync(path) && statSync(path).isFile();
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  if (specifier === "retis" || specifier.startsWith("retis/")) return next(specifier, { ...context, parentURL: data.selfParent });
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = /^\.{1,2}\//.test(specifier) || specifier.startsWith("/") || specifier.startsWith("file:");
    if (!relative || !context.parentURL || (error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    for (const candidate of candidates(specifier)) {
      const url = new URL(candidate, context.parentURL);
      if (isFile(url)) return { url: url.href, shortCircuit: true };
    }
    throw error;
  }
}

export async function load(url: string, context: { format?: string | null }, next: NextLoad): Promise<{ format: string; source?: unknown; shortCircuit?: boolean }> {
  const prepared = data.modules[url];
  if (prepared) return { ...prepared, shortCircuit: true };
  if (url.startsWith("file:") && /\.[mc]?ts$/.test(url)) {
    // Loaded lazily: a script that imports only JavaScript never pays for TypeScript in this thread.
    const { transpile } = await import("./script-compile.js");
    const path = fileURLToPath(url);
    return { ...transpile(path, readFileSync(path, "utf8")), shortCircuit: true };
  }
  return next(url, context);
}
