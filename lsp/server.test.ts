// RetisLanguageServer on its own, over the real engine: when diagnostics rounds run relative to requests.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PublishDiagnosticsParams } from "vscode-languageserver/node.js";
import { createEngine, type Engine } from "../engine/index.js";
import { RetisLanguageServer } from "./server.js";

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test("a request slower than the quiet time is followed by a whole quiet time before the check (a loaded machine)", async () => {
  const QUIET = 60;
  let engine: Engine | undefined;
  /** When each check started (performance.now()). */
  const checks: number[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const server = new RetisLanguageServer(
    { publishDiagnostics: (p) => published.push(p), log: () => undefined },
    {
      diagnosticsDelay: QUIET,
      createEngine: async (cwd) => {
        const real = await createEngine({ cwd, languageOnly: true });
        engine = real;
        // The real engine; its completion made slower than the quiet time, as on a busy machine.
        const { completions, diagnostics } = real;
        real.completions = (...args) => {
          busy(3 * QUIET);
          return completions(...args);
        };
        real.diagnostics = ((...args: Parameters<Engine["diagnostics"]>) => {
          checks.push(performance.now());
          return (diagnostics as (...a: unknown[]) => unknown).apply(real, args);
        }) as Engine["diagnostics"];
        return real;
      },
    },
  );
  try {
    server.initialize({ processId: null, rootUri: null, capabilities: {} });
    const uri = "untitled:slow.ts";
    const text = "const n: number = 1;\nreader.\n";
    server.didOpen({ textDocument: { uri, languageId: "typescript", version: 1, text } });
    // The round of the opened text first, so that only the edit's round is owed below.
    while (published.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    checks.length = 0;
    server.didChange({ textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}// edited\n` }] });
    const list = await server.completion({ textDocument: { uri }, position: { line: 1, character: 7 } });
    const answered = performance.now();
    assert.ok(list && list.items.some((i) => i.label === "events"), "the completion is right");
    while (checks.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(checks[0]! - answered >= QUIET - 1, `the check started ${(checks[0]! - answered).toFixed(1)} ms after the answer, not a quiet time (${QUIET} ms)`);
  } finally {
    await server.shutdown();
    assert.ok(engine, "the engine started");
  }
});
