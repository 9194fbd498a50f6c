// When does code need all of @types/node? When it imports or requires a Node module, or names a global only
// @types/node declares. Until then the engine's light declarations (ambient.ts) keep start-up and every
// program small; after, @types/node stays in for the engine's life.
import { builtinModules } from "node:module";

const builtins = new Set(builtinModules.map((m) => m.replace(/^node:/, "")));

/** Module specifiers in import/export-from/import()/require() with a string literal. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;
const NODE_GLOBALS = /\b(?:Buffer|NodeJS|URL|URLSearchParams|AbortController|AbortSignal|fetch|EventTarget|Blob|__dirname|__filename)\b/;

export function needsNodeTypes(text: string): boolean {
  if (NODE_GLOBALS.test(text)) return true;
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[2]!;
    if (specifier.startsWith("node:") || builtins.has(specifier.split("/")[0]!)) return true;
  }
  return false;
}
