// Where the engine finds what cells are checked against, relative to the package root so that it works from
// the checkout and after `npm pack` alike: compiled declarations (dist/typings, dist/events) and @types/node.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: this file is compiled to <root>/dist/engine/paths.js. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The declaration of the contract (`EventFile`, `Event`, every section). */
export const typingsEntry = join(packageRoot, "dist/typings/index.d.ts");

/** The runtime library's declarations (for `EventFile` as a global class), for type-checking. */
export const eventsDeclarations = join(packageRoot, "dist/events/index.d.ts");

/**
 * What runs is named by module URL relative to the engine's own modules (not by a path under dist/), so that
 * the engine runs wherever it was compiled to: the events library (EngineOptions.library's default) and the
 * evaluation thread.
 */
export const defaultLibrary = new URL("../events/index.js", import.meta.url).href;
export const workerModule = new URL("./worker.js", import.meta.url);

/**
 * @types/node's entry, found as Node would from the package root (hoisted or nested), or undefined when it is
 * not installed (it is a devDependency): cells then get a small fallback declaration of Node's globals.
 */
export function nodeTypesEntry(): string | undefined {
  try {
    const pkg = createRequire(join(packageRoot, "package.json")).resolve("@types/node/package.json");
    const entry = join(dirname(pkg), "index.d.ts");
    return existsSync(entry) ? entry : undefined;
  } catch {
    // Not installed: a production install of the package has no devDependencies.
    return undefined;
  }
}
