// engine/: the TypeScript engine shared by the Jupyter kernel, the language server and `retis ts`.
//
//   const engine = await createEngine({ ambient: ["declare function html(s: string): unknown;"] });
//   const out = await engine.execute("const n = 1 + 1\nn", { onStdout: (t) => process.stdout.write(t) });
//   // out = { status: "ok", result: { "text/plain": "2" } }
//   engine.completions({ code: "reader." }, 7, "code-point");   // a kernel's complete_request
//   engine.documents.set("file:///a.ts", text);                  // an editor's document
//   engine.quickInfo("file:///a.ts", { line: 3, character: 10 });
//
// The contract is in api.ts; this file only picks the implementation.
export type * from "./api.js";
import type { Engine, EngineOptions } from "./api.js";
import { startEngine } from "./engine.js";
export { runScript } from "./script-run.js";

/**
 * Start an engine: an evaluation thread and a LanguageService over the Retis typings, warmed up (unless
 * `warmUp: false`) so that the first completion is fast.
 */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return startEngine(options);
}
