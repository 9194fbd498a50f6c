// One LanguageService over virtual files, for everything: executing cells (diagnostics and emit) and editor
// queries. Kept fast by never re-creating it: files carry stable versions, the project version moves only when
// a file changes (so an unchanged program is reused as is), and files on disk (lib, @types/node, the typings)
// are read once and cached for the whole process.
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import ts from "./typescript.js";
import { NODE_LITE_FILE, nodeLiteDeclarations } from "./ambient.js";
import { LIB_FILE, libBundle } from "./lib-bundle.js";
import { needsNodeTypes } from "./node-types.js";
import { eventsDeclarations, packageRoot, typingsEntry } from "./paths.js";
import { TextSnapshot, WholeTextSnapshot } from "./snapshot.js";

/** Compiler options of cells and documents: modern ESM, strict, every file a module (top-level await, no clashes). */
export function compilerOptions(): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    // The standard library is lib-bundle.ts's single file, a root of every program.
    noLib: true,
    // TS 6 defaults `types` to []; we add @types/node ourselves as a root file, wherever it is installed.
    types: [],
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    allowUnreachableCode: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    sourceMap: true,
    inlineSources: false,
    newLine: ts.NewLineKind.LineFeed,
    // No `@typescript/lib-*` packages to look for: without this, every program probes node_modules for each
    // of the ~60 lib files (measured: the largest part of checking a small cell).
    libReplacement: false,
    // "retis" is this package wherever the cell or script lives: the declarations TypeScript keeps for an
    // executed cell name Retis's types through it, and a notebook's folder has no node_modules to find it in
    // (without this, a value of an earlier cell became `any` outside the repository).
    paths: { retis: [eventsDeclarations], "retis/typings": [typingsEntry] },
  };
}

interface VirtualFile {
  text: string;
  version: number;
  snapshot: TS.IScriptSnapshot;
}

/** Disk files are immutable for the engine's life (lib, node_modules, dist): read once per process. */
const diskSnapshots = new Map<string, TS.IScriptSnapshot | undefined>();

let lastVersion = 0;

/** The DocumentRegistry is shared by every engine of the process, so a second engine reuses parsed lib files. */
const registry = ts.createDocumentRegistry();

/** Virtual files plus the disk, as the LanguageService sees them. */
export class ServiceHost implements TS.LanguageServiceHost {
  private readonly files = new Map<string, VirtualFile>();
  private readonly roots: string[] = [];
  private projectVersion = 0;
  private readonly options = compilerOptions();
  private readonly resolutionCache: TS.ModuleResolutionCache;
  private nodeTypesLoaded = false;

  constructor(
    /** Folder of relative paths; virtual documents resolve their imports from their own folder. */
    private readonly cwd: string,
    /** @types/node's entry, when installed. */
    private readonly nodeTypes: string | undefined,
  ) {
    this.resolutionCache = ts.createModuleResolutionCache(cwd, (f) => f, this.options);
    // Served like a disk file (constant version), so every engine of the process shares its parse.
    if (!diskSnapshots.has(LIB_FILE)) diskSnapshots.set(LIB_FILE, ts.ScriptSnapshot.fromString(libBundle()));
    this.roots.push(LIB_FILE);
    this.set(NODE_LITE_FILE, nodeLiteDeclarations(nodeTypes !== undefined));
  }

  /**
   * Set a virtual file's text; the version moves only when the text changes. `root: false` keeps it out of
   * the root files: it is in a program only while another file imports it (executed cells), so that the list
   * of roots stays the same and TypeScript reuses the previous program's structure. `reparse: "whole"`: the
   * next parse does not start from the previous one (cheaper for short texts, see WholeTextSnapshot).
   */
  set(fileName: string, text: string, options: { root?: boolean; reparse?: "incremental" | "whole" } = {}): void {
    const old = this.files.get(fileName);
    if (old && old.text === text) return;
    if (!this.nodeTypesLoaded && this.nodeTypes && fileName !== NODE_LITE_FILE && needsNodeTypes(text)) this.loadNodeTypes(this.nodeTypes);
    // Versions are never reused, even after a delete or by another engine: the shared registry caches
    // SourceFiles by name and version.
    const snapshot = options.reparse === "whole" ? new WholeTextSnapshot(text) : new TextSnapshot(text);
    this.files.set(fileName, { text, version: ++lastVersion, snapshot });
    if (!old && options.root !== false) this.roots.push(fileName);
    this.projectVersion++;
  }

  delete(fileName: string): void {
    if (!this.files.delete(fileName)) return;
    const i = this.roots.indexOf(fileName);
    if (i >= 0) this.roots.splice(i, 1);
    this.projectVersion++;
  }

  /** All of @types/node from now on (when installed): e.g. a CommonJS module's `module` and `exports`. */
  useNodeTypes(): void {
    if (!this.nodeTypesLoaded && this.nodeTypes) this.loadNodeTypes(this.nodeTypes);
  }

  /** Swaps the light Node declarations for @types/node, for good. */
  private loadNodeTypes(entry: string): void {
    this.nodeTypesLoaded = true;
    this.delete(NODE_LITE_FILE);
    this.roots.unshift(entry);
    this.projectVersion++;
  }

  text(fileName: string): string | undefined {
    return this.files.get(fileName)?.text;
  }

  has(fileName: string): boolean {
    return this.files.has(fileName);
  }

  /**
   * The query being run's cancellation check, if it has one. TypeScript reads the host's token once, when the
   * service is created, so the token stays and what it asks changes per query.
   */
  cancellation: { isCancellationRequested(): boolean } | undefined;
  private readonly token: TS.HostCancellationToken = { isCancellationRequested: () => this.cancellation?.isCancellationRequested() ?? false };
  getCancellationToken(): TS.HostCancellationToken {
    return this.token;
  }

  /** Shared with TypeScript's own lookups (package.json scopes of every file, each program). */
  getModuleResolutionCache(): TS.ModuleResolutionCache {
    return this.resolutionCache;
  }
  getProjectVersion(): string {
    return String(this.projectVersion);
  }
  getCompilationSettings(): TS.CompilerOptions {
    return this.options;
  }
  getScriptFileNames(): string[] {
    return this.roots;
  }
  getScriptVersion(fileName: string): string {
    return String(this.files.get(fileName)?.version ?? 0);
  }
  getScriptSnapshot(fileName: string): TS.IScriptSnapshot | undefined {
    const file = this.files.get(fileName);
    if (file) return file.snapshot;
    if (!diskSnapshots.has(fileName)) {
      const text = ts.sys.readFile(fileName);
      diskSnapshots.set(fileName, text === undefined ? undefined : ts.ScriptSnapshot.fromString(text));
    }
    return diskSnapshots.get(fileName);
  }
  getCurrentDirectory(): string {
    return this.cwd;
  }
  getDefaultLibFileName(options: TS.CompilerOptions): string {
    return ts.getDefaultLibFilePath(options);
  }
  fileExists(fileName: string): boolean {
    return this.files.has(fileName) || diskSnapshots.get(fileName) !== undefined || ts.sys.fileExists(fileName);
  }
  readFile(fileName: string): string | undefined {
    return this.files.get(fileName)?.text ?? ts.sys.readFile(fileName);
  }
  directoryExists(name: string): boolean {
    return ts.sys.directoryExists(name);
  }
  getDirectories(name: string): string[] {
    return ts.sys.getDirectories(name);
  }
  useCaseSensitiveFileNames(): boolean {
    return true;
  }

  /**
   * Module resolution: `retis-cell:<file>` names another virtual file (how a cell sees earlier cells); `retis`
   * and `retis/…` resolve to this package itself (self-reference through its "exports"); anything else is
   * resolved as Node would from the importing file's folder.
   */
  resolveModuleNameLiterals(
    literals: readonly TS.StringLiteralLike[],
    containingFile: string,
  ): readonly TS.ResolvedModuleWithFailedLookupLocations[] {
    return literals.map((literal) => {
      const name = literal.text;
      if (name.startsWith(CELL_SCHEME)) {
        const target = name.slice(CELL_SCHEME.length);
        const extension = target.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts;
        return { resolvedModule: { resolvedFileName: target, extension, isExternalLibraryImport: false } };
      }
      const from = name === "retis" || name.startsWith("retis/") ? join(packageRoot, "__self__.ts") : containingFile;
      return ts.resolveModuleName(name, from, this.options, this, this.resolutionCache);
    });
  }

  /**
   * `/// <reference types="node" />` (undici-types has it; so may the user's packages) names the @types/node
   * this engine loaded, once it has: resolved as TypeScript does, it is looked up first in the workspace's own
   * node_modules/@types, and a workspace with its own @types/node (a copy or a link) had all of it in every
   * program twice, doubling the cost of each keystroke (measured: 126 files instead of 63).
   */
  resolveTypeReferenceDirectiveReferences<T extends TS.FileReference | string>(
    references: readonly T[],
    containingFile: string,
    redirectedReference: TS.ResolvedProjectReference | undefined,
    options: TS.CompilerOptions,
    containingSourceFile: TS.SourceFile | undefined,
  ): readonly TS.ResolvedTypeReferenceDirectiveWithFailedLookupLocations[] {
    return references.map((reference) => {
      const name = typeof reference === "string" ? reference : reference.fileName.toLowerCase();
      if (name === "node" && this.nodeTypesLoaded && this.nodeTypes) {
        return { resolvedTypeReferenceDirective: { primary: true, resolvedFileName: this.nodeTypes, isExternalLibraryImport: true } };
      }
      const mode = ts.getModeForFileReference(reference, containingSourceFile?.impliedNodeFormat);
      return ts.resolveTypeReferenceDirective(name, containingFile, options, this, redirectedReference, undefined, mode);
    });
  }
}

/** Module specifier prefix by which a cell imports the declarations of an earlier cell. */
export const CELL_SCHEME = "retis-cell:";

/** A LanguageService over a host, sharing the process-wide registry. */
export function createService(host: ServiceHost): TS.LanguageService {
  return ts.createLanguageService(host, registry);
}
