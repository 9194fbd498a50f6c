// Binds each LSP method to the server object, one line each (typescript-language-server's lsp-connection.ts
// shape): everything protocol-specific stays here, everything else in server.ts. Here too: the lifecycle the
// spec asks for (a request before `initialize` gets ServerNotInitialized, one after `shutdown` InvalidRequest,
// notifications then are dropped), and every message's params checked before the server reads them.
import type { CancellationToken, Connection } from "vscode-languageserver/node.js";
import { ErrorCodes, ResponseError } from "./library.js";
import * as check from "./params.js";
import { RetisLanguageServer, type ServerOptions } from "./server.js";

type State = "new" | "running" | "shut down";

/** The running server and where the protocol stands (the process's exit status depends on `shutdown`). */
export interface Listening {
  server: RetisLanguageServer;
  /** True once `shutdown` was answered: the editor meant to stop the server. */
  readonly shutDown: boolean;
}

/** Serves `connection` (stdio in `retis lsp --stdio`, in-memory streams in tests) and starts listening. */
export function listen(connection: Connection, options: ServerOptions): Listening {
  const server = new RetisLanguageServer(
    {
      publishDiagnostics: (params) => void connection.sendDiagnostics(params),
      log: (message) => connection.console.log(message),
    },
    options,
  );
  let state: State = "new";
  const refusal = (method: string): ResponseError<void> | undefined => {
    if (state === "new") return new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized: send initialize first`);
    if (state === "shut down") return new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server was shut down: only exit is accepted`);
    return undefined;
  };
  /** A request: answered with an error in the wrong state or with bad params, else by the server. */
  const request =
    <P, R>(method: string, valid: check.Check, handle: (params: P, token: CancellationToken) => R) =>
    (params: P, token: CancellationToken): R | ResponseError<void> => {
      const problem = valid(params);
      return refusal(method) ?? (problem ? new ResponseError(ErrorCodes.InvalidParams, `${method}: ${problem}`) : handle(params, token));
    };
  /** A notification: it has no answer, so one with bad params is logged and ignored; outside `running`, dropped. */
  const notification =
    <P>(method: string, valid: check.Check, handle: (params: P) => void) =>
    (params: P): void => {
      if (state !== "running") return;
      const problem = valid(params);
      if (problem) return connection.console.log(`retis lsp: ${method}${about(params)} ignored: ${problem}`);
      handle(params);
    };

  connection.onInitialize((params) => {
    if (state !== "new") return new ResponseError(ErrorCodes.InvalidRequest, "initialize: the server is already initialized");
    const problem = check.initialize(params);
    if (problem) return new ResponseError(ErrorCodes.InvalidParams, `initialize: ${problem}`);
    state = "running";
    return server.initialize(params);
  });
  connection.onShutdown(async () => {
    const refused = refusal("shutdown");
    if (refused) return refused;
    state = "shut down";
    await server.shutdown();
  });
  connection.onDidOpenTextDocument(notification("textDocument/didOpen", check.didOpen, (p) => server.didOpen(p)));
  connection.onDidChangeTextDocument(notification("textDocument/didChange", check.didChange, (p) => server.didChange(p)));
  connection.onDidCloseTextDocument(notification("textDocument/didClose", check.didClose, (p) => server.didClose(p)));
  const notebooks = connection.notebooks.synchronization;
  notebooks.onDidOpenNotebookDocument(notification("notebookDocument/didOpen", check.didOpenNotebook, (p) => server.didOpenNotebook(p)));
  notebooks.onDidChangeNotebookDocument(notification("notebookDocument/didChange", check.didChangeNotebook, (p) => server.didChangeNotebook(p)));
  notebooks.onDidCloseNotebookDocument(notification("notebookDocument/didClose", check.didCloseNotebook, (p) => server.didCloseNotebook(p)));
  connection.onCompletion(request("textDocument/completion", check.positionParams, (p, token) => server.completion(p, token)));
  connection.onCompletionResolve(request("completionItem/resolve", check.completionItem, (item, token) => server.completionResolve(item, token)));
  connection.onHover(request("textDocument/hover", check.positionParams, (p, token) => server.hover(p, token)));
  connection.onSignatureHelp(request("textDocument/signatureHelp", check.positionParams, (p, token) => server.signatureHelp(p, token)));
  // Any other request: the lifecycle errors first, else MethodNotFound (what the library answers by itself).
  connection.onRequest((method) => refusal(method) ?? new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`));
  connection.listen();
  return {
    server,
    get shutDown() {
      return state === "shut down";
    },
  };
}

/** " for <uri>" when the params name a document, so that the log line says which. */
function about(params: unknown): string {
  const p = params as { textDocument?: { uri?: unknown }; notebookDocument?: { uri?: unknown } } | null;
  const uri = p?.textDocument?.uri ?? p?.notebookDocument?.uri;
  return typeof uri === "string" ? ` for ${uri}` : "";
}
