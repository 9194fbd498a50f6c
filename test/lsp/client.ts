// A small LSP client for the tests: vscode-jsonrpc over a spawned `retis lsp --stdio` or over in-memory
// streams. It only sends what editors send; every assertion stays in the tests.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  SignatureHelp,
  TextDocumentContentChangeEvent,
} from "vscode-languageserver/node.js";
import { repoRoot } from "../samples.js";

/** How long a test waits for the server (the engine's cold start on a busy 2-core machine is seconds). */
export const WAIT_MS = 60_000;

export class TestClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  /** Called on each publishDiagnostics (jsonrpc allows one handler per method: this one is the client's). */
  readonly onDiagnostics: ((params: PublishDiagnosticsParams) => void)[] = [];

  constructor(readonly connection: MessageConnection) {
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      for (const observe of this.onDiagnostics) observe(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onNotification("window/logMessage", (params: { message: string }) => this.logs.push(params.message));
    connection.listen();
  }

  /** `initialize` as an editor with label offsets (VS Code, neovim) sends it, then `initialized`. */
  async initialize(rootUri: string | null = null): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>("initialize", {
      processId: null,
      rootUri,
      capabilities: {
        textDocument: {
          signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } },
          publishDiagnostics: {},
        },
      },
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  async open(uri: string, text: string, languageId = "typescript"): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  completion(uri: string, position: Position): Promise<CompletionList | null> {
    return this.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position });
  }

  resolve(item: CompletionItem): Promise<CompletionItem> {
    return this.connection.sendRequest("completionItem/resolve", item);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position });
  }

  signatureHelp(uri: string, position: Position): Promise<SignatureHelp | null> {
    return this.connection.sendRequest("textDocument/signatureHelp", { textDocument: { uri }, position });
  }

  /** The latest diagnostics published for `uri` that satisfy `accept`, waiting for them up to WAIT_MS. */
  async diagnosticsWhen(uri: string, accept: (d: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const latest = this.diagnostics.get(uri);
      if (latest && accept(latest.diagnostics)) return latest.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} where ${what} within ${WAIT_MS} ms; latest: ${JSON.stringify(latest)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The latest published diagnostics of `uri`, if any. */
  published(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.get(uri);
  }

  async shutdown(): Promise<void> {
    await this.connection.sendRequest("shutdown");
  }
}

/** A spawned `node dist/cli/main.js lsp --stdio` and a client talking to it. */
export interface ServerProcess {
  client: TestClient;
  process: ChildProcess;
  stderr: () => string;
  /** shutdown, exit, and the process's exit status. */
  stop(): Promise<number | null>;
}

export function spawnServer(cwd = repoRoot): ServerProcess {
  const child = spawn(process.execPath, [join(repoRoot, "dist/cli/main.js"), "lsp", "--stdio"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const client = new TestClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)));
  return {
    client,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        await client.shutdown();
        await client.connection.sendNotification("exit");
      }
      const timer = setTimeout(() => child.kill("SIGKILL"), WAIT_MS);
      const code = await exited;
      clearTimeout(timer);
      client.connection.dispose();
      return code;
    },
  };
}

/** A client over streams (the in-memory Duplex pair of connection.test.ts). */
export function streamClient(input: Readable, output: Writable): TestClient {
  return new TestClient(createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output)));
}

/** The 0-based position just after the `n`-th (default last) occurrence of `marker` in `text`. */
export function after(text: string, marker: string, occurrence: "first" | "last" = "last"): Position {
  const at = occurrence === "first" ? text.indexOf(marker) : text.lastIndexOf(marker);
  if (at < 0) throw new Error(`'${marker}' is not in the test text`);
  return positionAt(text, at + marker.length);
}

/** The 0-based position of UTF-16 offset `offset` in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The labels of a completion answer. */
export function labels(list: CompletionList | null): string[] {
  return (list?.items ?? []).map((i) => i.label);
}
