// `retis lsp --stdio`: the language server (lsp/) for any LSP editor and jupyterlab-lsp.
import { UsageError } from "../errors.js";

const USAGE = `usage: retis lsp --stdio

Serves the Language Server Protocol on stdin/stdout: completion, hover, signature help and diagnostics for
retis TypeScript scripts and notebooks, with \`reader\` and every event section typed.

  --stdio     talk LSP over stdin/stdout (the only transport)
  -h, --help  this help`;

export async function run(args: string[]): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  // Editors and vscode-languageclient also pass --clientProcessId=N; vscode-languageserver reads it itself.
  const unknown = args.filter((a) => a !== "--stdio" && !a.startsWith("--clientProcessId"));
  if (unknown.length > 0) throw new UsageError(`unknown option '${unknown[0]}'\n${USAGE}`);
  if (!args.includes("--stdio")) throw new UsageError(`--stdio is required\n${USAGE}`);
  const { serveStdio } = await import("../../lsp/main.js");
  await serveStdio();
  // Never resolves: the connection ends the process on `exit` or when stdin closes.
  return new Promise<number>(() => undefined);
}
