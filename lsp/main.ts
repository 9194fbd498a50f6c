// `retis lsp --stdio`: the language server on this process's stdin/stdout.
import type { Engine } from "../engine/index.js";
import { watchStdin } from "./stdin.js";

/**
 * Language-only: the server never runs code, so no evaluation thread (its memory and start-up, and no user code
 * that could write to stdout, the protocol's channel).
 */
function startEngine(cwd: string): Promise<Engine> {
  return import("../engine/index.js").then((m) => m.createEngine({ cwd, languageOnly: true }));
}

/**
 * Serves LSP on stdio until the client sends `exit` or closes stdin (vscode-languageserver then ends the
 * process, with status 0 only after `shutdown`).
 */
export async function serveStdio(): Promise<void> {
  // stdout carries the protocol: a stray console.log (ours, or a library's) would corrupt a message.
  for (const method of ["log", "info", "debug", "warn"] as const) console[method] = console.error;
  // The engine starts before the protocol library loads and before `initialize` arrives: TypeScript's lib
  // files load meanwhile (cold start is most of the time to a first completion).
  // Editors start the server in the workspace, so this engine is almost always the one used.
  const early = { cwd: process.cwd(), engine: startEngine(process.cwd()) };
  early.engine.catch(() => undefined);
  // Counted as it arrives (stdin.ts), so that a running check can tell that a request arrived and stop for it.
  const input = watchStdin();
  const [{ listen }, { pipeConnection }] = await Promise.all([import("./connection.js"), import("./reader.js")]);
  // Our reader, not the library's: it skips a bad header instead of stopping for good, answers a body that is
  // not JSON with a Parse error, and tells a check which messages still wait to be handled.
  const { connection, input: counts } = pipeConnection(input, process.stdout, (line) => process.stderr.write(`${line}\n`));
  const served = listen(connection, {
    input: counts,
    createEngine: (cwd) => {
      if (cwd === early.cwd) return early.engine;
      // Another workspace: its own engine, so that untitled documents resolve imports there.
      void early.engine.then((e) => e.close(), () => undefined);
      return startEngine(cwd);
    },
  });
  // The editor closed stdin (it quit or crashed): no orphan server. Status 0 only after `shutdown`, as for `exit`.
  input.stream.on("end", () => process.exit(served.shutDown ? 0 : 1));
}
