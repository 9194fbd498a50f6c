// `retis ts SCRIPT ARGS…`: the script runs in this process's main thread as a real module, as Node runs one —
// until the event loop is empty (timers, streams, readline, `for await`), with `process.argv`,
// `process.exitCode` and `process.exit()` as Node has them — plus the globals of a cell (`reader`, `argv`,
// `display`, the reader classes) and TypeScript: checked first, transpiled with source maps, so that every
// error names the script's own file, line and column.
import { register } from "node:module";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import type { ScriptOptions } from "./api.js";
import { defaultLibrary, packageRoot } from "./paths.js";
import { defineHidden, defineLibraryGlobals, plainText } from "./preload.js";
import { compileScript } from "./script-compile.js";
import type { LoaderData } from "./script-loader.js";

/**
 * Checks and starts the script at `path` (a file). Resolves once its top level has run (the process then
 * lives on while the script has work pending) with the exit code so far, or 1 when it did not compile (the
 * errors are on stderr). An uncaught exception or unhandled rejection, at any time, prints the error on the
 * script's lines and ends the process with 1, as Node does.
 */
export async function runScript(path: string, options: ScriptOptions = {}): Promise<number> {
  const compiled = compileScript(path, { typeCheck: options.typeCheck ?? true, reader: options.input !== null });
  if (compiled.errors.length > 0) {
    process.stderr.write(compiled.errors.join("\n") + "\n");
    return 1;
  }
  process.setSourceMapsEnabled(true);
  const data: LoaderData = { modules: compiled.modules, selfParent: pathToFileURL(join(packageRoot, "[retis]")).href };
  register(new URL("./script-loader.js", import.meta.url), { data });

  const args = options.args ?? [];
  process.argv = [process.execPath, path, ...args];
  defineHidden("argv", [path, ...args]);
  defineHidden("display", (...values: unknown[]) => {
    for (const value of values) process.stdout.write(`${plainText(value)}\n`);
  });
  // Cells have `require`; so do scripts, though they are ES modules.
  defineHidden("require", createRequire(path));
  await defineLibraryGlobals({ library: options.library ?? defaultLibrary, input: options.input, cwd: process.cwd() });

  const userFiles = new Set([path, ...Object.keys(compiled.modules).map((url) => fileURLToPath(url))]);
  const fail = (error: unknown): never => {
    process.stderr.write(`${describeError(error, userFiles)}\n`);
    process.exit(1);
  };
  // With this listener, an unhandled rejection comes here too (Node's default "throw" mode).
  process.on("uncaughtException", fail);
  await import(pathToFileURL(path).href).catch(fail);
  return Number(process.exitCode ?? 0);
}

const packageFolder = packageRoot + "/";

/**
 * `Name: message` and the stack's frames on the user's lines (Node's source maps put them there). Frames of
 * Node itself and of this package (engine, events library, mapped back to their sources) are not the user's
 * business, unless the file is one of the script's own (`userFiles`, a script inside this package).
 */
export function describeError(error: unknown, userFiles: ReadonlySet<string> = new Set()): string {
  if (!(error instanceof Error)) return `Uncaught ${inspect(error)}`;
  const stack = error.stack ?? "";
  const head = `${error.name}: ${error.message}`;
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const frame = /^\s+at (?:(.*) \()?(.+):(\d+):(\d+)\)?$/.exec(line);
    if (!frame) continue;
    const [, fn, location, lineText, columnText] = frame;
    const file = location!.startsWith("file:") ? fileURLToPath(location!) : location!;
    if (file.startsWith("node:") || (file.startsWith(packageFolder) && !userFiles.has(file))) continue;
    const where = `${file}:${lineText}:${columnText}`;
    // A module's top level is `<anonymous>` once mapped; Node shows it as the bare location.
    frames.push(fn && fn !== "<anonymous>" ? `    at ${fn} (${where})` : `    at ${where}`);
  }
  return [head, ...frames].join("\n");
}
