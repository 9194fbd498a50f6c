// Editor documents as virtual files of the shared LanguageService: plain files, jupyterlab-lsp's joined
// notebooks, and notebooks whose cells are separate documents (a chain, as in chain.ts).
import { fileURLToPath } from "node:url";
import type { Documents } from "./api.js";
import { cellText, makeCell, type ChainCell } from "./chain.js";
import { REDECLARATION_CODES } from "./diagnostics.js";
import type { ServiceHost } from "./host.js";

/** What the LanguageService needs to answer about a document. */
export interface OpenDocument {
  fileName: string;
  /** The user's text: the prefix of the virtual file. */
  text: string;
  /** Diagnostic codes not to report. */
  ignore: ReadonlySet<number>;
}

const NONE: ReadonlySet<number> = new Set();

export class DocumentStore implements Documents {
  private readonly open = new Map<string, OpenDocument>();
  private readonly notebooks = new Map<string, ChainCell[]>();
  private readonly cellUris = new Map<string, string[]>();

  constructor(
    private readonly host: ServiceHost,
    private readonly cwd: string,
  ) {}

  set(uri: string, text: string, options: { kind?: "module" | "notebook" } = {}): void {
    const fileName = this.fileNameOf(uri);
    this.host.set(fileName, text);
    this.open.set(uri, { fileName, text, ignore: options.kind === "notebook" ? REDECLARATION_CODES : NONE });
  }

  setNotebook(notebookUri: string, cells: { uri: string; text: string }[]): void {
    const before = this.notebooks.get(notebookUri) ?? [];
    const previousByFile = new Map(before.map((c) => [c.fileName, c]));
    const chain: ChainCell[] = [];
    for (const { uri, text } of cells) {
      const fileName = this.fileNameOf(uri);
      const cell = makeCell(fileName, text, previousByFile.get(fileName));
      this.host.set(fileName, cellText(cell, chain));
      this.open.set(uri, { fileName, text, ignore: NONE });
      chain.push(cell);
    }
    const kept = new Set(cells.map((c) => c.uri));
    for (const old of this.cellUris.get(notebookUri) ?? []) if (!kept.has(old)) this.closeOne(old);
    this.notebooks.set(notebookUri, chain);
    this.cellUris.set(notebookUri, cells.map((c) => c.uri));
  }

  get(uri: string): string | undefined {
    return this.open.get(uri)?.text;
  }

  close(uri: string): void {
    const cells = this.cellUris.get(uri);
    if (cells) {
      for (const cell of cells) this.closeOne(cell);
      this.cellUris.delete(uri);
      this.notebooks.delete(uri);
      return;
    }
    this.closeOne(uri);
  }

  lookup(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  private closeOne(uri: string): void {
    const doc = this.open.get(uri);
    if (!doc) return;
    this.open.delete(uri);
    this.host.delete(doc.fileName);
  }

  /**
   * A file name for a URI. file: URIs keep their real path, so relative imports resolve beside them; other
   * schemes (untitled:, notebook cells) live in the engine's cwd. Everything is analysed as TypeScript.
   */
  private fileNameOf(uri: string): string {
    let path: string;
    if (uri.startsWith("file:")) {
      try {
        path = fileURLToPath(uri);
      } catch {
        path = `${this.cwd}/__retis_doc_${encodeURIComponent(uri)}`;
      }
    } else {
      path = `${this.cwd}/__retis_doc_${encodeURIComponent(uri)}`;
    }
    return /\.(ts|tsx|mts|cts)$/.test(path) ? path : `${path}.ts`;
  }
}
