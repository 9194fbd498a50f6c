// `retis lsp --stdio`: the language server on this process's stdin/stdout.
import { createConnection } from "vscode-languageserver/node.js";
import { listen } from "./connection.js";

/**
 * Serves LSP on stdio until the client sends `exit` or closes stdin (vscode-languageserver then ends the
 * process, with status 0 only after `shutdown`).
 */
export function serveStdio(): void {
  // stdout carries the protocol: a stray console.log (ours, or a library's) would corrupt a message.
  for (const method of ["log", "info", "debug", "warn"] as const) console[method] = console.error;
  // Passing the raw streams (not message readers) makes the library exit when the editor closes stdin.
  const connection = createConnection(process.stdin, process.stdout);
  listen(connection, {
    // Loaded on demand: the initialize reply goes out before TypeScript's 10 MB compiler is parsed.
    createEngine: async (cwd) => (await import("../engine/index.js")).createEngine({ cwd }),
  });
}
