// `retis lsp --stdio`: the language server (lsp/) for any LSP editor and jupyterlab-lsp.
import { flag, parseOrHelp, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";

export const spec: CommandSpec = {
  name: "retis lsp",
  synopsis: "retis lsp --stdio",
  about: `Serves the Language Server Protocol on stdin/stdout: completion, hover, signature help and diagnostics for
retis TypeScript scripts and notebooks, with \`reader\` and every event section typed.`,
  options: [
    { long: "stdio", help: "Talk LSP over stdin/stdout (the only transport)" },
    // Editors and vscode-languageclient pass it; vscode-languageserver reads it from argv itself.
    { long: "clientProcessId", takes: "required", valueName: "PID", hidden: true, help: "The editor's process id" },
  ],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  if (!flag(p, "stdio")) throw new UsageError("--stdio is required (see retis lsp --help)");
  const { serveStdio } = await import("../../lsp/main.js");
  await serveStdio();
  // Never resolves: the connection ends the process on `exit` or when stdin closes.
  return new Promise<number>(() => undefined);
}
