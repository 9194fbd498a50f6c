// The language server's logic, transport-free: open texts kept in step with the editor (incremental edits
// applied here), handed whole to engine/'s documents, and each request answered by one engine query with
// positions converted at the edge (convert.ts). connection.ts binds the LSP methods to this class.
import type {
  CancellationToken,
  CompletionItem,
  CompletionList,
  CompletionParams,
  DidChangeNotebookDocumentParams,
  DidChangeTextDocumentParams,
  DidCloseNotebookDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenNotebookDocumentParams,
  DidOpenTextDocumentParams,
  Hover,
  HoverParams,
  InitializeParams,
  InitializeResult,
  NotebookCell,
  PublishDiagnosticsParams,
  SignatureHelp,
  SignatureHelpParams,
  TextDocumentItem,
} from "vscode-languageserver/node.js";
import { fileURLToPath } from "node:url";
import type { CompletionItem as EngineItem, Diagnostic as EngineDiagnostic, Engine } from "../engine/index.js";
import { itemRef, toCompletionItem, toDiagnostic, toHover, toSignatureHelp, withDetails } from "./convert.js";
import { DiagnosticsScheduler } from "./diagnostics.js";
import { NotebookCellKind, TextDocument, TextDocumentSyncKind } from "./library.js";

/** What the server sends on its own: diagnostics and log lines. */
export interface Client {
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  log(message: string): void;
}

export interface ServerOptions {
  /** Starts the engine for a workspace directory (module resolution of `import`s happens there). */
  createEngine(cwd: string): Promise<Engine>;
  /** Quiet time before diagnostics are computed (ms); default 200, as typescript-language-server. */
  diagnosticsDelay?: number;
  /**
   * The client's input, read while a check runs: when `received` (a count of chunks; asking looks at the pipe)
   * moves, the editor sent something (a request, an edit) and the check stops, to run again after the quiet
   * time. `waiting`: messages read and not yet handled, which go before a check. Without it, checks run to the end.
   */
  input?: { received(): number; waiting(): boolean };
}

/** An open text: a script, jupyterlab-lsp's joined notebook (an `.ipynb` URI), or a cell of an LSP notebook. */
interface OpenText {
  doc: TextDocument;
  /** `notebook`: cells joined by jupyterlab-lsp, analysed as one module that may redeclare names. */
  kind: "module" | "notebook";
  /** For a cell: the notebook document owning it. */
  notebook?: string;
}

/** An LSP 3.17 notebook document: its cells in order (markup cells included, to apply index-based edits). */
interface OpenNotebook {
  cells: { uri: string; kind: NotebookCellKind }[];
}

/** A completion list kept for completionItem/resolve: items stay server-side, clients hold `{list, index}`. */
interface KeptList {
  uri: string;
  offset: number;
  items: EngineItem[];
}

/** Completion lists kept for resolve; clients resolve items of the latest list, rarely of one before it. */
const KEPT_LISTS = 4;

export const SERVER_NAME = "retis-lsp";

export class RetisLanguageServer {
  private engine: Promise<Engine> | undefined;
  private readonly texts = new Map<string, OpenText>();
  private readonly notebooks = new Map<string, OpenNotebook>();
  /** Documents and notebooks whose text the engine has not seen yet (or that it should forget). */
  private readonly dirty = new Set<string>();
  private readonly lists = new Map<number, KeptList>();
  private nextList = 1;
  /** Last diagnostics published per URI (as JSON), to publish only changes. */
  private readonly published = new Map<string, string>();
  private readonly scheduler: DiagnosticsScheduler;
  private labelOffsets = false;
  /** Documents and notebooks, most recently edited first. */
  private readonly recent: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly options: ServerOptions,
  ) {
    this.scheduler = new DiagnosticsScheduler({
      delay: options.diagnosticsDelay ?? 200,
      prepare: () => this.ready(),
      documents: () => this.checkedDocuments(),
      check: (uri) => this.publishDiagnostics(uri),
      onError: (uri, error) => this.client.log(`retis lsp: diagnostics of ${uri} failed: ${describe(error)}`),
    });
  }

  // ---- lifecycle ----

  initialize(params: InitializeParams): InitializeResult {
    const offsets = params.capabilities.textDocument?.signatureHelp?.signatureInformation?.parameterInformation?.labelOffsetSupport;
    this.labelOffsets = offsets === true;
    const cwd = workspaceDirectory(params);
    // Started now, not awaited: the reply goes out at once and the engine loads TypeScript meanwhile.
    this.engine = this.options.createEngine(cwd);
    this.engine.catch((error: unknown) => this.client.log(`retis lsp: the TypeScript engine did not start: ${describe(error)}`));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        // Only TypeScript cells: a Python notebook open in the same editor is not ours.
        notebookDocumentSync: { notebookSelector: [{ notebook: "*", cells: [{ language: "typescript" }] }] },
        // Only characters TypeScript answers well without being told which one was typed (the engine's
        // completions take no trigger character): a `/` or `@` would list every global after a division.
        completionProvider: { triggerCharacters: [".", '"', "'"], resolveProvider: true },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: ["(", ",", "<"], retriggerCharacters: [")"] },
      },
      serverInfo: { name: SERVER_NAME },
    };
  }

  async shutdown(): Promise<void> {
    this.scheduler.dispose();
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await (await engine.catch(() => undefined))?.close();
  }

  // ---- text documents ----

  didOpen({ textDocument: t }: DidOpenTextDocumentParams): void {
    this.texts.set(t.uri, { doc: TextDocument.create(t.uri, t.languageId, t.version, t.text), kind: kindOf(t.uri) });
    this.touched(t.uri);
  }

  didChange({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const open = this.texts.get(textDocument.uri);
    if (!open) return this.client.log(`retis lsp: didChange for ${textDocument.uri}, which is not open: ignored`);
    // Handles ranged edits and whole-text ones (jupyterlab-lsp always sends the whole joined notebook).
    open.doc = TextDocument.update(open.doc, contentChanges, textDocument.version);
    this.touched(open.notebook ?? textDocument.uri);
  }

  didClose({ textDocument }: DidCloseTextDocumentParams): void {
    if (!this.texts.delete(textDocument.uri)) return;
    this.touched(textDocument.uri);
    this.clearDiagnostics(textDocument.uri);
  }

  // ---- notebook documents (LSP 3.17) ----

  didOpenNotebook({ notebookDocument, cellTextDocuments }: DidOpenNotebookDocumentParams): void {
    const uri = notebookDocument.uri;
    this.notebooks.set(uri, { cells: notebookDocument.cells.map((c) => ({ uri: c.document, kind: c.kind })) });
    for (const cell of cellTextDocuments) this.openCell(uri, cell);
    this.touched(uri);
  }

  didChangeNotebook({ notebookDocument, change }: DidChangeNotebookDocumentParams): void {
    const uri = notebookDocument.uri;
    const notebook = this.notebooks.get(uri);
    if (!notebook) return this.client.log(`retis lsp: notebookDocument/didChange for ${uri}, which is not open: ignored`);
    const structure = change.cells?.structure;
    if (structure) {
      const { start, deleteCount, cells = [] } = structure.array;
      notebook.cells.splice(start, deleteCount, ...cells.map((c: NotebookCell) => ({ uri: c.document, kind: c.kind })));
      for (const closed of structure.didClose ?? []) {
        this.texts.delete(closed.uri);
        this.clearDiagnostics(closed.uri);
      }
      for (const opened of structure.didOpen ?? []) this.openCell(uri, opened);
    }
    for (const data of change.cells?.data ?? []) {
      const cell = notebook.cells.find((c) => c.uri === data.document);
      if (cell) cell.kind = data.kind;
    }
    for (const { document, changes } of change.cells?.textContent ?? []) {
      const open = this.texts.get(document.uri);
      if (open) open.doc = TextDocument.update(open.doc, changes, document.version);
    }
    this.touched(uri);
  }

  didCloseNotebook({ notebookDocument, cellTextDocuments }: DidCloseNotebookDocumentParams): void {
    const notebook = this.notebooks.get(notebookDocument.uri);
    this.notebooks.delete(notebookDocument.uri);
    for (const cell of [...cellTextDocuments.map((c) => c.uri), ...(notebook?.cells.map((c) => c.uri) ?? [])]) {
      if (this.texts.delete(cell)) this.clearDiagnostics(cell);
    }
    this.touched(notebookDocument.uri);
  }

  // ---- language features ----

  completion(params: CompletionParams, token?: CancellationToken): Promise<CompletionList | null> {
    const uri = params.textDocument.uri;
    return this.answer(uri, token, null, ({ engine, open }): CompletionList => {
      const offset = open.doc.offsetAt(params.position);
      const completions = engine.completions(uri, offset);
      const list = this.nextList++;
      this.lists.set(list, { uri, offset, items: completions.items });
      this.lists.delete(list - KEPT_LISTS);
      const text = open.doc.getText();
      const at = (o: number) => open.doc.positionAt(o);
      return {
        isIncomplete: false,
        items: completions.items.map((item, index) => toCompletionItem(item, completions, text, at, { list, index })),
      };
    });
  }

  async completionResolve(item: CompletionItem, token?: CancellationToken): Promise<CompletionItem> {
    const ref = itemRef(item.data);
    const kept = ref && this.lists.get(ref.list);
    const entry = ref && kept?.items[ref.index];
    // A list replaced by newer ones, or data a client altered: the item as it is (resolve is optional).
    if (!kept || !entry) return item;
    return this.answer(kept.uri, token, item, ({ engine }) => {
      const details = engine.completionDetails(kept.uri, kept.offset, entry);
      return details ? withDetails(item, details) : item;
    });
  }

  hover(params: HoverParams, token?: CancellationToken): Promise<Hover | null> {
    return this.answer(params.textDocument.uri, token, null, ({ engine, open }) => {
      const info = engine.quickInfo(params.textDocument.uri, open.doc.offsetAt(params.position));
      return info ? toHover(info, (o) => open.doc.positionAt(o)) : null;
    });
  }

  signatureHelp(params: SignatureHelpParams, token?: CancellationToken): Promise<SignatureHelp | null> {
    return this.answer(params.textDocument.uri, token, null, ({ engine, open }) => {
      const help = engine.signatureHelp(params.textDocument.uri, open.doc.offsetAt(params.position));
      return help ? toSignatureHelp(help, this.labelOffsets) : null;
    });
  }

  // ---- internals ----

  /**
   * Answers a request about `uri` with `compute` (`none` when the engine or the document is missing, or the
   * client cancelled). A pending diagnostics round waits for the answer and then a whole quiet time more, as
   * typescript-language-server re-triggers its check after each request: counted from the request's arrival,
   * a request slower than the quiet time (a loaded machine) had the round start the moment it was answered,
   * and the typist's next keystroke then waited behind the check.
   */
  private async answer<T, N>(uri: string, token: CancellationToken | undefined, none: N, compute: (found: { engine: Engine; open: OpenText }) => T): Promise<T | N> {
    try {
      const found = await this.query(uri, token);
      return found ? compute(found) : none;
    } finally {
      this.scheduler.postpone();
    }
  }

  /** The engine, up to date, and the open text of `uri`; undefined when either is missing or the client cancelled. */
  private async query(uri: string, token: CancellationToken | undefined): Promise<{ engine: Engine; open: OpenText } | undefined> {
    // This request goes first: a pending diagnostics round waits until it is answered.
    this.scheduler.postpone();
    const engine = await this.ready();
    const open = this.texts.get(uri);
    if (!engine || !open || token?.isCancellationRequested) return undefined;
    return { engine, open };
  }

  /** The engine, once started, with every pending text handed to it (whole: the engine takes full texts). */
  private async ready(): Promise<Engine | undefined> {
    const engine = await this.engine?.catch(() => undefined);
    if (!engine) return undefined;
    for (const uri of this.dirty) {
      const notebook = this.notebooks.get(uri);
      const open = this.texts.get(uri);
      if (notebook) {
        const cells = notebook.cells.filter((c) => c.kind === NotebookCellKind.Code).flatMap((c) => {
          const cell = this.texts.get(c.uri);
          return cell ? [{ uri: c.uri, text: cell.doc.getText() }] : [];
        });
        engine.documents.setNotebook(uri, cells);
      } else if (open) {
        engine.documents.set(uri, open.doc.getText(), { kind: open.kind });
      } else {
        engine.documents.close(uri);
      }
    }
    this.dirty.clear();
    return engine;
  }

  private openCell(notebook: string, cell: TextDocumentItem): void {
    this.texts.set(cell.uri, { doc: TextDocument.create(cell.uri, cell.languageId, cell.version, cell.text), kind: "module", notebook });
  }

  /** A document or notebook changed: the engine must see it, and diagnostics are due. */
  private touched(uri: string): void {
    this.dirty.add(uri);
    const i = this.recent.indexOf(uri);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(uri);
    this.scheduler.changed();
  }

  /**
   * What diagnostics cover: open scripts and joined notebooks, and the code cells of LSP notebooks; the most
   * recently edited first, so the document being typed in gets its marks before the others are re-checked
   * (any edit may change another document's diagnostics through an import, so all are re-checked).
   */
  private checkedDocuments(): string[] {
    const groups: { uri: string; check: string[] }[] = [];
    for (const [uri, open] of this.texts) if (!open.notebook) groups.push({ uri, check: [uri] });
    for (const [uri, notebook] of this.notebooks) {
      const cells = notebook.cells.filter((c) => c.kind === NotebookCellKind.Code && this.texts.has(c.uri)).map((c) => c.uri);
      groups.push({ uri, check: cells });
    }
    const rank = (uri: string) => {
      const i = this.recent.indexOf(uri);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    // Documents closed since drop out of the recency list here, keeping it as small as what is open.
    this.recent.splice(0, this.recent.length, ...this.recent.filter((u) => this.texts.has(u) || this.notebooks.has(u)));
    return groups.sort((a, b) => rank(a.uri) - rank(b.uri)).flatMap((g) => g.check);
  }

  /** Checks `uri` and publishes what changed; false when the check stopped for the client's input. */
  private async publishDiagnostics(uri: string): Promise<boolean> {
    const engine = await this.ready();
    const open = this.texts.get(uri);
    if (!engine || !open) return true;
    const found = this.check(engine, uri);
    if (!found) return false;
    const diagnostics = found.map((d) => toDiagnostic(d, (o) => open.doc.positionAt(o)));
    const json = JSON.stringify(diagnostics);
    if (this.published.get(uri) === json) return true;
    this.published.set(uri, json);
    this.client.publishDiagnostics({ uri, version: open.doc.version, diagnostics });
    return true;
  }

  /** The engine's diagnostics of `uri`, or undefined when input from the client stopped (or precedes) the check. */
  private check(engine: Engine, uri: string): EngineDiagnostic[] | undefined {
    const input = this.options.input;
    if (!input) return engine.diagnostics(uri);
    // Looking at the pipe first: what waits there is read (and parsed) now. Then a message read and not yet
    // handled, an edit or a request, goes first; the check comes after it. (This guard used to compare two
    // counts that were one and the same, and never fired.)
    const seen = input.received();
    if (input.waiting()) return undefined;
    return engine.diagnostics(uri, undefined, { isCancellationRequested: () => input.received() !== seen });
  }

  /** A closed document keeps no stale marks in the editor. */
  private clearDiagnostics(uri: string): void {
    if (!this.published.delete(uri)) return;
    this.client.publishDiagnostics({ uri, diagnostics: [] });
  }
}

/** jupyterlab-lsp's joined notebook comes as the notebook's own `.ipynb` URI (jupyterlab-lsp#578). */
function kindOf(uri: string): OpenText["kind"] {
  return /\.ipynb$/i.test(uri.split(/[?#]/)[0]!) ? "notebook" : "module";
}

/** The workspace's directory: the first folder, else rootUri, else rootPath, else the server's cwd. */
export function workspaceDirectory(params: InitializeParams): string {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (uri?.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A file: URI Node cannot map (a remote host): fall through to the server's own directory.
    }
  }
  return params.rootPath ?? process.cwd();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
