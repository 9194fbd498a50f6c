// TypeScript's compiler, loaded as CommonJS with a V8 code cache.
//  - Not an ESM `import ts from "typescript"`: Node would first scan the 9 MB file for its export names
//    (cjs-module-lexer), measured as the largest single cost of starting an engine.
//  - A code cache of the compiled functions, written after the engine's warm-up (so it holds the functions
//    checking and completion use), cuts loading from ~390 ms to ~130 ms here (measured). Node 20 has no
//    module.enableCompileCache, so this does it by hand: V8 checks the cache against the source and rejects
//    a stale one, which is then rewritten.
// Types come from `import type * as TS from "typescript"`.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import vm from "node:vm";
import type * as TS from "typescript";

const require = createRequire(import.meta.url);
const path = require.resolve("typescript");
const version = (require("typescript/package.json") as { version: string }).version;
const cacheFile = join(
  process.env.XDG_CACHE_HOME || join(process.env.HOME ?? homedir(), ".cache"),
  "retis",
  `typescript-${version}-v8-${process.versions.v8}-${process.arch}.cache`,
);

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined; // First run: nothing cached yet.
  }
}

const cached = readCache();
const script = new vm.Script((Module as unknown as { wrap(source: string): string }).wrap(readFileSync(path, "utf8")), { filename: path, cachedData: cached });
const module = { exports: {} as unknown };
(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
let cacheIsCurrent = cached !== undefined && !script.cachedDataRejected;

const ts = module.exports as typeof TS;
export default ts;

/** True when V8 accepted the code cache at load: there is nothing to write. */
export function compileCacheIsCurrent(): boolean {
  return cacheIsCurrent;
}

/** Writes the code cache when there was none (or V8 rejected it); call after warm-up. Never fails. */
export function saveCompileCache(): void {
  if (cacheIsCurrent) return;
  cacheIsCurrent = true;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only home only costs start-up time.
  }
}
