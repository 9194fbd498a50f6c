// The engine: one LanguageService (host.ts) for checking cells and answering editors, one evaluation thread
// (evaluator.ts) for running them, and the session's chain of executed cells (chain.ts) tying the two.
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as TS from "typescript";
import type { Cancellation, CompletenessReport, Diagnostic, DocumentRef, Engine, EngineOptions, ExecuteOptions, ExecuteOutcome, PositionEncoding } from "./api.js";
import { setAmbientFiles } from "./ambient.js";
import { cellText, makeCell, type ChainCell } from "./chain.js";
import { compileAlone, compileInProgram, type Compiled } from "./compile.js";
import { isComplete } from "./completeness.js";
import { formatDiagnostic, quoteSource } from "./diagnostics.js";
import { DocumentStore, type OpenDocument } from "./documents.js";
import { Evaluator } from "./evaluator.js";
import { createService, ServiceHost } from "./host.js";
import { LanguageQueries } from "./language.js";
import { defaultLibrary, nodeTypesEntry } from "./paths.js";
import { identifierBefore } from "./positions.js";
import { SourceMapLookup } from "./sourcemap.js";
import { StackMapper } from "./stack.js";
import { compileCacheIsCurrent, saveCompileCache } from "./typescript.js";

const NONE: ReadonlySet<number> = new Set();

/** When a language-only engine fills TypeScript's code cache (ms after its warm-up): after an editor's first requests. */
const IDLE_WARM_UP_MS = 3000;

const NOTHING: ReadonlySet<string> = new Set();

/** Below this many characters a cell is parsed whole rather than from the previous cell (measured: ~30 lines is even). */
const WHOLE_PARSE_BELOW = 1024;

/**
 * What a later cell needs of an executed one: its file and top-level names. Its text and the identifiers it
 * mentions are dropped, so memory per executed cell stays small over thousands of cells.
 */
function kept(cell: ChainCell): ChainCell {
  return { fileName: cell.fileName, names: cell.names, code: "", exported: NOTHING as Set<string>, mentioned: NOTHING as Set<string> };
}

/** A module named by path or URL, as a URL for `import()`; a package specifier stays as it is. */
function moduleUrl(module: string): string {
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const stacks = new StackMapper();
  // The thread starts (loading the events library) while this thread loads TypeScript's lib files.
  const evaluator = options.languageOnly
    ? undefined
    : Evaluator.start(
        {
          cwd,
          input: options.input,
          argv: options.argv ?? [],
          library: moduleUrl(options.library ?? defaultLibrary),
          globals: options.globals ?? {},
          globalModules: (options.globalModules ?? []).map(moduleUrl),
          displayModule: options.displayModule === undefined ? undefined : moduleUrl(options.displayModule),
        },
        { traceback: (error) => stacks.traceback(error) },
      );
  evaluator?.catch(() => undefined);
  const nodeTypes = nodeTypesEntry();
  const host = new ServiceHost(cwd, nodeTypes);
  setAmbientFiles(host, { reader: options.input !== null, extra: options.ambient ?? [] });
  const service = createService(host);
  const engine = new TypeScriptEngine(cwd, options, host, service, stacks);
  // Warming up on this thread overlaps with the evaluation thread's own start.
  if (options.warmUp !== false) engine.warmUp();
  engine.evaluator = await evaluator;
  return engine;
}

class TypeScriptEngine implements Engine {
  readonly documents: DocumentStore;
  private readonly queries: LanguageQueries;
  private readonly executed: ChainCell[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly nextCellFile: string;
  private readonly sessionFile: string;
  /** The last cell or script compiled, as parsed by makeCell. */
  private lastCell: ChainCell | undefined;
  /** Set by startEngine once the evaluation thread is ready, before the engine is handed out; none when language-only. */
  evaluator: Evaluator | undefined;

  constructor(
    private readonly cwd: string,
    private readonly options: EngineOptions,
    private readonly host: ServiceHost,
    private readonly service: TS.LanguageService,
    private readonly stacks: StackMapper,
  ) {
    this.documents = new DocumentStore(host, cwd);
    this.nextCellFile = join(cwd, "__retis_next.ts");
    this.sessionFile = join(cwd, "__retis_session.ts");
    this.queries = new LanguageQueries(
      service,
      (doc, offset) => this.resolve(doc, offset),
      (cancellation) => (host.cancellation = cancellation),
    );
  }

  get executionCount(): number {
    return this.executed.length;
  }

  /** Parses and binds the typings and runs one completion, one check and one compile, so that the user's first ones are fast. */
  warmUp(): void {
    const code = "reader.events()";
    this.queries.completions({ code }, code.length - 2);
    this.queries.diagnostics({ code });
    // A language-only engine (the language server) never compiles: the compile below only puts the emitter in
    // TypeScript's code cache, which the kernel shares. So it waits until the editor's first requests are
    // answered, and is skipped when the cache is current.
    if (!this.options.languageOnly) return this.warmUpCompile();
    if (compileCacheIsCurrent()) return;
    this.idleWarmUp = setTimeout(() => this.warmUpCompile(), IDLE_WARM_UP_MS);
    this.idleWarmUp.unref();
  }

  private idleWarmUp: NodeJS.Timeout | undefined;

  private warmUpCompile(): void {
    // The checker's and emitter's code paths too, so that the first cell is as fast as the next ones.
    const warm = "const warm = [1].map((n) => n + 1)\nwarm";
    this.host.set(this.sessionFile, cellText(makeCell(this.sessionFile, warm), this.executed));
    compileInProgram(this.service, { fileName: this.sessionFile, userText: warm, returnLastExpression: true, typeCheck: true });
    saveCompileCache();
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const run = this.queue.then(() => this.executeNow(code, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async executeNow(code: string, options: ExecuteOptions): Promise<ExecuteOutcome> {
    const evaluator = this.evaluator;
    if (!evaluator) {
      const evalue = "this engine was started language-only (no evaluation thread): it cannot run code";
      return { status: "error", ename: "LanguageOnly", evalue, traceback: [`LanguageOnly: ${evalue}`] };
    }
    const script = options.mode === "script";
    const typeCheck = options.typeCheck ?? this.options.typeCheck ?? true;
    const number = this.executed.length + 1;
    const displayName = options.fileName ?? `cell${number}`;
    // A script keeps its own path, so that its relative imports resolve beside it. A cell is checked under one
    // fixed name, so that the program's root files never change from cell to cell.
    const fileName = script ? resolve(this.cwd, options.fileName ?? "script.ts") : this.sessionFile;

    // Parsed once: its names and the identifiers it mentions serve the check and, after it, later cells
    // (and not again when the same text runs again).
    const cell = makeCell(fileName, code, this.lastCell?.fileName === fileName ? this.lastCell : undefined);
    this.lastCell = cell;
    let compiled: Compiled;
    if (typeCheck) {
      const text = script ? code : cellText(cell, this.executed, (name) => cell.mentioned.has(name));
      // A short cell is parsed whole: cheaper than reparsing it from the previous, unrelated cell.
      this.host.set(fileName, text, { reparse: text.length < WHOLE_PARSE_BELOW ? "whole" : "incremental" });
      compiled = compileInProgram(this.service, { fileName, userText: code, returnLastExpression: !script, typeCheck });
      // Scripts start without warm-up: their first check is what fills TypeScript's code cache.
      saveCompileCache();
    } else {
      compiled = compileAlone(fileName, { userText: code, returnLastExpression: !script });
    }
    if (compiled.errors.length > 0) {
      const first = compiled.errors[0]!;
      return {
        status: "error",
        ename: "TSError",
        evalue: `${displayName}:${first.line}:${first.column} - ${first.message}`,
        traceback: compiled.errors.flatMap((d) => [formatDiagnostic(displayName, d), ...quoteSource(code, d)]),
        diagnostics: compiled.errors,
      };
    }
    this.stacks.remember(displayName, new SourceMapLookup(compiled.mappings));
    const importFrom = script ? join(dirname(fileName), "[retis]") : join(this.cwd, "[retis]");
    // The run is posted to the evaluation thread now (synchronously, when the thread is there); keeping the
    // cell's declarations for later cells then overlaps it instead of delaying it.
    const running = evaluator.run(compiled.javascript, displayName, importFrom, options);
    // The cell runs (or starts to): its declarations exist from now on, for checking and completion.
    if (!script) this.executed.push(this.remember(cell, number, compiled.declarations));
    const outcome = await running;
    if (!outcome.error) return outcome.result === undefined ? { status: "ok" } : { status: "ok", result: outcome.result };
    const error = outcome.error;
    return {
      status: "error",
      ename: error.name,
      evalue: error.message,
      traceback: this.stacks.traceback(error),
      ...("exitCode" in outcome && outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      ...("outOfMemory" in outcome && outcome.outOfMemory ? { outOfMemory: true as const } : {}),
    };
  }

  /**
   * Keeps an executed cell for later cells. A checked cell is kept as its declaration output (`export declare
   * let x: number`): later programs then load only the cells whose types they use, not the whole history with
   * every cell's own imports. An unchecked cell is kept as source (its types were never computed).
   */
  private remember(checkedCell: ChainCell, number: number, declarations: (() => string | undefined) | undefined): ChainCell {
    const cell = { ...checkedCell, fileName: join(this.cwd, `__retis_cell${number}.ts`) };
    // A cell that declares nothing is never named by a later cell: nothing of it is kept but its place.
    if (cell.names.size === 0) return kept(cell);
    const text = declarations?.();
    if (text !== undefined) {
      const fileName = join(this.cwd, `__retis_cell${number}.d.ts`);
      this.host.set(fileName, text, { root: false });
      return kept({ ...cell, fileName });
    }
    this.host.set(cell.fileName, cellText(cell, this.executed, (name) => cell.mentioned.has(name)), { root: false });
    return kept(cell);
  }

  interrupt(): void {
    this.evaluator?.interrupt();
  }

  isComplete(code: string): CompletenessReport {
    return isComplete(code);
  }

  close(): Promise<void> {
    clearTimeout(this.idleWarmUp);
    // Releases this engine's parsed files from the shared registry (memory of a long-lived process).
    this.service.dispose();
    return this.evaluator?.close() ?? Promise.resolve();
  }

  completions: Engine["completions"] = (doc, at, encoding) => this.queries.completions(doc, at, encoding);
  completionDetails: Engine["completionDetails"] = (doc, at, item, encoding) => this.queries.completionDetails(doc, at, item, encoding);
  quickInfo: Engine["quickInfo"] = (doc, at, encoding) => this.queries.quickInfo(doc, at, encoding);
  signatureHelp: Engine["signatureHelp"] = (doc, at, encoding) => this.queries.signatureHelp(doc, at, encoding);
  diagnostics(doc: DocumentRef, encoding?: PositionEncoding): Diagnostic[];
  diagnostics(doc: DocumentRef, encoding: PositionEncoding | undefined, cancellation: Cancellation): Diagnostic[] | undefined;
  diagnostics(doc: DocumentRef, encoding?: PositionEncoding, cancellation?: Cancellation): Diagnostic[] | undefined {
    return cancellation ? this.queries.diagnostics(doc, encoding, cancellation) : this.queries.diagnostics(doc, encoding);
  }

  private resolve(doc: DocumentRef, offset?: number): OpenDocument | undefined {
    if (typeof doc === "string") return this.documents.lookup(doc);
    // The next cell sees the executed cells' names it mentions, plus, at a position, those extending the
    // identifier typed there (all of them when nothing is typed yet): what completion can offer.
    const cell = makeCell(this.nextCellFile, doc.code);
    const typed = offset === undefined ? undefined : identifierBefore(doc.code, offset);
    const include = (name: string) => cell.mentioned.has(name) || (typed !== undefined && name.startsWith(typed));
    this.host.set(this.nextCellFile, cellText(cell, this.executed, include));
    return { fileName: this.nextCellFile, text: doc.code, ignore: NONE };
  }
}
