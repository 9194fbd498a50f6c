// Binds each LSP method to the server object, one line each (typescript-language-server's lsp-connection.ts
// shape): everything protocol-specific stays here, everything else in server.ts.
import type { Connection } from "vscode-languageserver/node.js";
import { RetisLanguageServer, type ServerOptions } from "./server.js";

/** Serves `connection` (stdio in `retis lsp --stdio`, in-memory streams in tests) and starts listening. */
export function listen(connection: Connection, options: ServerOptions): RetisLanguageServer {
  const server = new RetisLanguageServer(
    {
      publishDiagnostics: (params) => void connection.sendDiagnostics(params),
      log: (message) => connection.console.log(message),
    },
    options,
  );
  connection.onInitialize((params) => server.initialize(params));
  connection.onShutdown(() => server.shutdown());
  connection.onDidOpenTextDocument((params) => server.didOpen(params));
  connection.onDidChangeTextDocument((params) => server.didChange(params));
  connection.onDidCloseTextDocument((params) => server.didClose(params));
  connection.notebooks.synchronization.onDidOpenNotebookDocument((params) => server.didOpenNotebook(params));
  connection.notebooks.synchronization.onDidChangeNotebookDocument((params) => server.didChangeNotebook(params));
  connection.notebooks.synchronization.onDidCloseNotebookDocument((params) => server.didCloseNotebook(params));
  connection.onCompletion((params, token) => server.completion(params, token));
  connection.onCompletionResolve((item, token) => server.completionResolve(item, token));
  connection.onHover((params, token) => server.hover(params, token));
  connection.onSignatureHelp((params, token) => server.signatureHelp(params, token));
  connection.listen();
  return server;
}
