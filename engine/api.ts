// The engine's public contract, shared by the Jupyter kernel (kernel/), the language server (lsp/) and
// `retis ts` (cli/). Everything TypeScript-specific lives behind these types: callers never import
// `typescript` themselves, so neither kernel nor lsp duplicates compiler logic.

/** A MIME bundle as Jupyter sends it: `{"text/plain": "42", "text/html": "<b>42</b>"}`. */
export type MimeBundle = Record<string, unknown>;

/**
 * How the engine is set up. Every field is optional; `createEngine()` gives a cell engine over the capture
 * found in the current directory (retis.data, else retis.data.0..), type-checking on.
 */
export interface EngineOptions {
  /** Type-check every cell/script before running it (default true). `retis ts --no-check` turns it off. */
  typeCheck?: boolean;
  /**
   * Extra ambient declarations, TypeScript *script* text (no top-level import/export), visible to every
   * cell, script and document, e.g. `declare function html(s: string): unknown;`. (`display` is built in.)
   */
  ambient?: string[];
  /**
   * Plain values (structured-cloneable) set as globals before the first cell runs, e.g. `{ banner: "…" }`.
   * Declare their types with `ambient`.
   */
  globals?: Record<string, unknown>;
  /**
   * The events library (a module URL, a file path or a package specifier), loaded in the evaluation thread:
   * its `EventFile`, `EventReader` and `SeriesReader` become globals and `reader` an `EventFile`. Default: this
   * package's own, found beside the engine.
   */
  library?: string;
  /**
   * Modules (absolute paths or file: URLs) loaded in the evaluation thread before the first cell. Each
   * default-exports `(api: GlobalsApi) => Record<string, unknown> | Promise<…>`; the returned entries become
   * globals. This is how non-cloneable runtime helpers (functions, classes) are injected.
   */
  globalModules?: string[];
  /**
   * A module (absolute path or file: URL) whose default export formats a value into a MIME bundle for rich
   * display: `(value: unknown) => MimeBundle | undefined` (undefined: use the engine's text/plain).
   * Used for a cell's result and for `display(...)`.
   */
  displayModule?: string;
  /** Directory for module resolution (`import`, `require`) and relative paths; default `process.cwd()`. */
  cwd?: string;
  /**
   * The capture behind the global `reader`: a path (or "FILE.." for split files). Default: retis.data,
   * else retis.data.0.., in `cwd`. It is opened on first use of `reader`, so an engine starts without one;
   * `null` leaves `reader` undeclared.
   */
  input?: string | null;
  /** For scripts: the global `argv` (argv[0] the script path, then its arguments). Cells get `[]`. */
  argv?: string[];
  /** Warm the LanguageService (parse/bind the typings, one completion) before `createEngine` resolves (default true). */
  warmUp?: boolean;
  /**
   * Start without the evaluation thread (default false): completion, hover, signature help and diagnostics
   * only, with `reader`, `argv`, `display`, the `ambient` declarations and every typing declared as usual.
   * For a language server: it saves the thread's memory (~14 MB) and start-up, and no user code can ever write
   * to the process's stdout (the protocol's channel). `execute` then answers `status: "error"` with ename
   * `LanguageOnly` without running anything; `globals`, `globalModules` and `displayModule` are unused.
   */
  languageOnly?: boolean;
}

/** What a `GlobalsApi` module receives, inside the evaluation thread. */
export interface GlobalsApi {
  /** Send values for rich display (the same as the built-in global `display`). */
  display(...values: unknown[]): void;
  /** Format one value as the engine would for a result. */
  format(value: unknown): MimeBundle;
  /**
   * Ask the user for one line (Jupyter's input_request): answered by the running execution's `onInput`;
   * rejects when it has none. Always given by the engine (optional so that a module can be tried with less).
   */
  input?(prompt: string, options?: { password?: boolean }): Promise<string>;
}

/** Callbacks for one execution; each is called in order, while the code runs. */
export interface ExecuteCallbacks {
  /** Text the code wrote to stdout (`console.log`, `process.stdout.write`). */
  onStdout?(text: string): void;
  /** Text the code wrote to stderr (`console.error`, warnings). */
  onStderr?(text: string): void;
  /** A `display(value)` call: the value formatted as a MIME bundle. */
  onDisplay?(bundle: MimeBundle): void;
  /**
   * The code asked for a line of input (`GlobalsApi.input`, e.g. a kernel's `input()` global): resolve with the
   * line, or reject with the reason the code sees. Without it, asking is refused.
   */
  onInput?(prompt: string, options: { password: boolean }): Promise<string>;
}

export interface ExecuteOptions extends ExecuteCallbacks {
  /**
   * `cell` (default): a notebook/REPL cell, whose last expression statement is the result and whose top-level
   * declarations stay for later cells. `script`: a whole program (`retis ts FILE`), no result.
   */
  mode?: "cell" | "script";
  /** The name shown in diagnostics and stack traces: the script's path, or e.g. `In[3]`; default `cell<N>`. */
  fileName?: string;
  /** Overrides the engine's `typeCheck` for this run. */
  typeCheck?: boolean;
}

/** A problem in the user's text. Lines and columns are the user's own (no hidden prelude). */
export interface Diagnostic {
  /** `error`, `warning`, `suggestion` or `message`, as TypeScript categorises it. */
  category: "error" | "warning" | "suggestion" | "message";
  /** TypeScript's code, e.g. 2322; 0 for the engine's own messages. */
  code: number;
  /** The message, chained messages joined by newlines and indented. */
  message: string;
  /** 1-based line and column (column in the encoding the caller asked for; UTF-16 for `execute`). */
  line: number;
  column: number;
  /** The span, 0-based, in the requested encoding. */
  start: number;
  end: number;
  range: Range;
}

export type ExecuteOutcome =
  | {
      status: "ok";
      /** The cell's result (its last expression, when not `undefined`), formatted for display. */
      result?: MimeBundle;
    }
  | {
      status: "error";
      /** `TSError` (compile/type errors), `Interrupted`, or the thrown error's name (`TypeError`, …). */
      ename: string;
      /** The message: the first diagnostic, or the error's message. */
      evalue: string;
      /** Lines to show, no ANSI colour: diagnostics as `file:line:col - error TSxxxx: …`, or the stack mapped to the user's lines. */
      traceback: string[];
      /** Set when the code did not run because it did not compile or type-check. */
      diagnostics?: Diagnostic[];
      /** Set when the code called `process.exit(code)` (ename `Exit`): the evaluation thread is gone. */
      exitCode?: number;
      /**
       * Set when the code exhausted the evaluation thread's memory (ename `OutOfMemory`): the thread was stopped
       * and its values are gone; the next execution starts a new one. The process itself is unharmed.
       */
      outOfMemory?: true;
    };

/** `retis ts SCRIPT ARGS…` (see `runScript`). */
export interface ScriptOptions {
  /** The arguments after the script: `process.argv` is `[node, script, ...args]`, the global `argv` `[script, ...args]`. */
  args?: string[];
  /** The capture behind `reader`, as `EngineOptions.input`. */
  input?: string | null;
  /** Type-check the script and its own modules before running (default true). */
  typeCheck?: boolean;
  /** The events library, as `EngineOptions.library`. */
  library?: string;
}

/** Jupyter `is_complete_reply` statuses. */
export interface CompletenessReport {
  status: "complete" | "incomplete" | "invalid";
  /** For `incomplete`: the indentation the next line should have. */
  indent?: string;
}

/**
 * How a position or a span counts characters. TypeScript and LSP count UTF-16 code units; Jupyter's
 * `cursor_pos` counts Unicode code points (protocol 5.2). Results use the encoding of the query.
 */
export type PositionEncoding = "utf-16" | "code-point";

/** A place in a text: an offset, or a 0-based line and character. */
export type Position = number | LineCharacter;
export interface LineCharacter {
  line: number;
  character: number;
}
export interface Range {
  start: LineCharacter;
  end: LineCharacter;
}

/**
 * A text the LanguageService answers about: a document set with `documents.set` (by URI), or `{ code }`: the
 * next cell of this engine's session, which sees every cell executed so far (what a kernel completes).
 */
export type DocumentRef = string | { code: string };

/** Completion results at a position. */
export interface Completions {
  /** The span the chosen item replaces (the identifier being typed); start = end when nothing is typed yet. */
  start: number;
  end: number;
  /** True after `x.`: members of a value, not globals. */
  isMemberCompletion: boolean;
  items: CompletionItem[];
}

export interface CompletionItem {
  /** The name to insert. */
  name: string;
  /** TypeScript's element kind: `property`, `method`, `function`, `const`, `let`, `class`, `interface`, `keyword`, `module`, … */
  kind: string;
  /** Kind modifiers, comma-separated: `optional`, `declare`, `deprecated`, … */
  kindModifiers: string;
  /** Order among items (TypeScript's sortText). */
  sortText: string;
  /** Text to insert when it differs from `name` (e.g. `?.orig_head` after `e.skb_tracking.`). */
  insertText?: string;
  /**
   * When set, the span this item replaces instead of the list's `start`..`end` (in the query's encoding):
   * `?.orig_head` replaces the `.` typed after an optional section too.
   */
  replaceStart?: number;
  replaceEnd?: number;
  /** Opaque: pass the item back to `completionDetails` unchanged. */
  data?: unknown;
}

/** `completionItem/resolve`: the signature and doc comment of one item. */
export interface CompletionDetails {
  name: string;
  kind: string;
  /** The declaration as TypeScript displays it: `(property) SkbTrackingFields.orig_head: bigint`. */
  detail: string;
  /** The doc comment (Markdown), with `@tags` rendered below it. Empty when there is none. */
  documentation: string;
}

/** Hover. */
export interface QuickInfo {
  start: number;
  end: number;
  kind: string;
  /** The declaration as TypeScript displays it. */
  detail: string;
  /** The doc comment (Markdown) with tags. */
  documentation: string;
}

export interface SignatureHelp {
  signatures: SignatureInformation[];
  activeSignature: number;
  activeParameter: number;
}
export interface SignatureInformation {
  /** The whole signature: `get<N extends …>(name: N): …`. */
  label: string;
  documentation: string;
  parameters: ParameterInformation[];
}
export interface ParameterInformation {
  /** The parameter's text, and where it sits in the signature's label (UTF-16 offsets into `label`). */
  label: string;
  labelStart: number;
  labelEnd: number;
  documentation: string;
}

/**
 * Virtual documents the LanguageService analyses; an editor (lsp/) keeps them in step with what the user sees.
 * URIs are opaque keys; `.ipynb` URIs (jupyterlab-lsp's concatenated notebook) are analysed as TypeScript.
 */
export interface Documents {
  /**
   * Open or replace a document's whole text. `kind`:
   *  - `module` (default): one TypeScript file; `reader` and the ambient declarations are visible.
   *  - `notebook`: cells already joined into one text (jupyterlab-lsp); redeclaring a name in a later cell is
   *    allowed, so "Cannot redeclare" diagnostics are not reported.
   */
  set(uri: string, text: string, options?: { kind?: "module" | "notebook" }): void;
  /**
   * A notebook whose cells are separate documents (LSP 3.17 notebookDocument): each cell sees the
   * declarations of the cells before it, in this order; a later cell may redeclare. Query cells by their URI.
   * Calling it again replaces the notebook's cells (cells no longer listed are closed).
   */
  setNotebook(notebookUri: string, cells: { uri: string; text: string }[]): void;
  /** The current text of a document or cell, or undefined. */
  get(uri: string): string | undefined;
  /** Forget a document, or a notebook and its cells. */
  close(uri: string): void;
}

/** LanguageService queries. Nothing found is `undefined` or an empty list, never an exception. */
export interface Language {
  completions(doc: DocumentRef, at: Position, encoding?: PositionEncoding): Completions;
  /** Details of one item from `completions` at the same position. */
  completionDetails(doc: DocumentRef, at: Position, item: CompletionItem, encoding?: PositionEncoding): CompletionDetails | undefined;
  quickInfo(doc: DocumentRef, at: Position, encoding?: PositionEncoding): QuickInfo | undefined;
  signatureHelp(doc: DocumentRef, at: Position, encoding?: PositionEncoding): SignatureHelp | undefined;
  /**
   * Syntactic and semantic diagnostics of a document. With `cancellation`, the semantic check asks it as it goes
   * (between declarations, each function or class) and stops as soon as it answers true: the result is then
   * `undefined`, and nothing half-checked is kept (ask again later). This is how a language server keeps a
   * long check from delaying a completion that arrives meanwhile.
   */
  diagnostics(doc: DocumentRef, encoding?: PositionEncoding): Diagnostic[];
  diagnostics(doc: DocumentRef, encoding: PositionEncoding | undefined, cancellation: Cancellation): Diagnostic[] | undefined;
}

/**
 * Asked repeatedly while a query runs (synchronously: it must be cheap, e.g. read a flag another thread sets);
 * TypeScript's HostCancellationToken shape.
 */
export interface Cancellation {
  isCancellationRequested(): boolean;
}

/** One TypeScript engine: an evaluation context (cells build on each other) plus a LanguageService. */
export interface Engine extends Language {
  readonly documents: Documents;
  /**
   * Compile (type-check unless disabled) and run a cell or script. Runs are serialised: a second call waits
   * for the first. Never rejects for user errors; they come back as `status: "error"`.
   */
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteOutcome>;
  /**
   * Stop the running code: a busy loop or a pending `await` alike. The run ends with `ename: "Interrupted"`;
   * variables and earlier declarations survive. When what blocks the thread is an earlier cell's busy timer
   * callback, that callback is stopped (reported on stderr) and the waiting cell runs. A no-op when nothing
   * runs. Safe to call from a SIGINT handler. Code outside the user's cells (a library's own loop) is stopped
   * when control comes back to the cell.
   */
  interrupt(): void;
  /** Whether `code` is a complete cell (Jupyter `is_complete`): unbalanced brackets, open strings → incomplete. */
  isComplete(code: string): CompletenessReport;
  /** Number of cells executed so far (the next cell is `cell<count+1>`). */
  readonly executionCount: number;
  /** Stop the evaluation thread. */
  close(): Promise<void>;
}
