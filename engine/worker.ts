// The evaluation thread. User code runs here, in the thread's own realm (so `instanceof Array`, Buffer and the
// events library's classes are the ones user code sees), leaving the main thread free for the kernel's sockets,
// the LanguageService and interrupts.
//
// Interrupt: the main thread writes the running id into a SharedArrayBuffer; compiled code calls
// `__retis$tick()` at every loop iteration and function entry, which throws `Interrupted` when it sees its id.
// A pending `await` is raced against an interrupt message. Measured alternative, rejected: `vm` breakOnSigint
// in a worker does stop a busy loop (~200 ms after a self-sent SIGINT), but once it returns, Node's SIGINT
// handler is left at "exit" for the whole process (the next SIGINT killed it, exit 130) — fatal for a kernel.
import { createRequire } from "node:module";
import { join } from "node:path";
import { inspect } from "node:util";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import type { MimeBundle } from "./api.js";
import { packageRoot } from "./paths.js";
import { defineHidden, defineLibraryGlobals } from "./preload.js";
import { deliverAsSigint } from "./soft-interrupt.js";
import { RUNTIME, type FromWorker, type ThrownError, type ToWorker, type WorkerSetup } from "./protocol.js";

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);
const interruptFlag = new Int32Array(setup.interruptBuffer);
let currentRun = 0;

class Interrupted extends Error {
  override name = "Interrupted";
  constructor() {
    super("Interrupted by the user");
  }
}

// Output: posted on the same port as "done", so it reaches the caller before the run's outcome.
for (const [stream, type] of [
  [process.stdout, "stdout"],
  [process.stderr, "stderr"],
] as const) {
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    post({ type, text });
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof stream.write;
}

// The vm loader flag is still experimental in Node 20; its warning is ours, not the user's.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// Mapped to the user's lines by the main thread, which has the cells' source maps.
process.on("uncaughtException", (err) => post({ type: "uncaught", error: serialize(err), rejection: false }));
process.on("unhandledRejection", (err) => post({ type: "uncaught", error: serialize(err), rejection: true }));

/** `import()` as seen from a file in `folder`: Node's own ESM loader (ESM and CJS packages, node: built-ins). */
type Importer = (specifier: string, options?: unknown) => Promise<Record<string, unknown>>;
const importers = new Map<string, Importer>();
function importerFor(file: string): Importer {
  let importer = importers.get(file);
  if (!importer) {
    importer = vm.runInThisContext("(specifier, options) => import(specifier, options)", {
      filename: file,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as Importer;
    importers.set(file, importer);
  }
  return importer;
}
let importFrom = join(setup.cwd, "[retis]");

// `>=`: an interrupt for a run not started yet means the thread is stuck in something else (a busy timer
// callback of an earlier cell); that is what must stop, and the waiting run then reports the interrupt.
defineHidden(RUNTIME.tick, () => {
  if (currentRun !== 0 && Atomics.load(interruptFlag, 0) >= currentRun && !softInterrupt()) throw new Interrupted();
});

/** The interrupt as a SIGINT to the code's own listeners (soft-interrupt.ts): the flag is consumed, the run goes on. */
function softInterrupt(): boolean {
  const seen = Atomics.load(interruptFlag, 0);
  if (!deliverAsSigint()) return false;
  Atomics.compareExchange(interruptFlag, 0, seen, 0);
  return true;
}
defineHidden(RUNTIME.import, (specifier: string, options?: unknown) => {
  // `retis` is this package, whatever the cwd: resolve it from inside the package (self-reference).
  const self = specifier === "retis" || specifier.startsWith("retis/");
  return importerFor(self ? join(packageRoot, "[retis]") : importFrom)(specifier, options);
});
defineHidden(RUNTIME.named, (namespace: Record<string, unknown>, name: string) => {
  if (name in namespace) return namespace[name];
  // A CommonJS module seen from ESM: Node may not detect its named exports; they are on module.exports.
  const exports = namespace.default;
  if (exports !== null && (typeof exports === "object" || typeof exports === "function") && name in exports) return (exports as Record<string, unknown>)[name];
  return undefined;
});

type Formatter = (value: unknown) => MimeBundle | undefined;
let customFormat: Formatter | undefined;

/** A value as a MIME bundle: the display module, else the value's own Jupyter.display method, else its text. */
function format(value: unknown): MimeBundle {
  try {
    const bundle = customFormat?.(value);
    if (bundle) return JSON.parse(JSON.stringify(bundle)) as MimeBundle;
    const own = (value as Record<symbol, unknown> | null)?.[Symbol.for("Jupyter.display")];
    if (typeof own === "function") {
      const bundle = (own as () => unknown).call(value);
      if (bundle && typeof bundle === "object") return JSON.parse(JSON.stringify(bundle)) as MimeBundle;
    }
  } catch (err) {
    post({ type: "stderr", text: `display: could not format the value: ${String(err)}\n` });
  }
  return { "text/plain": typeof value === "string" ? inspect(value) : inspect(value, { depth: 4, colors: false }) };
}

function display(...values: unknown[]): void {
  for (const value of values) post({ type: "display", bundle: format(value) });
}

let nextInput = 1;
const waitingInput = new Map<number, { resolve(value: string): void; reject(error: Error): void }>();

/** One line from the running execution's `onInput` (the main thread decides who answers). */
function input(prompt: string, options: { password?: boolean } = {}): Promise<string> {
  const id = nextInput++;
  return new Promise<string>((resolve, reject) => {
    waitingInput.set(id, { resolve, reject });
    post({ type: "input", id, prompt: String(prompt), password: options.password === true });
  });
}

async function prepare(): Promise<void> {
  defineHidden("display", display);
  defineHidden("argv", setup.argv);
  defineHidden("require", createRequire(importFrom));
  for (const [name, value] of Object.entries(setup.globals)) defineHidden(name, value);

  await defineLibraryGlobals({ library: setup.library, input: setup.input, cwd: setup.cwd });

  if (setup.displayModule) {
    const module = (await import(setup.displayModule)) as { default?: Formatter };
    if (typeof module.default !== "function") throw new Error(`display module ${setup.displayModule} has no default export function`);
    customFormat = module.default;
  }
  for (const path of setup.globalModules) {
    const module = (await import(path)) as { default?: (api: unknown) => unknown };
    if (typeof module.default !== "function") throw new Error(`globals module ${path} has no default export function`);
    const values = (await module.default({ display, format, input })) as Record<string, unknown>;
    for (const [name, value] of Object.entries(values ?? {})) defineHidden(name, value);
  }
}


function serialize(err: unknown): ThrownError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: "Uncaught", message: inspect(err) };
}

let interruptRun: ((err: Error) => void) | undefined;

async function run(message: Extract<ToWorker, { type: "run" }>): Promise<void> {
  currentRun = message.id;
  importFrom = message.importFrom;
  defineHidden("require", createRequire(importFrom));
  const interrupted = new Promise<never>((_, reject) => (interruptRun = reject));
  interrupted.catch(() => undefined);
  try {
    // The wrapper takes line 1 alone, so generated line N+1 is line N of the compiled cell. compileFunction,
    // not vm.Script: V8 keeps every compiled script's source in its compilation cache, about 1.2 KB per cell
    // for good (measured over 6,000 cells); a compiled function's is freed with the function.
    const body = (
      vm.compileFunction(`return (async function () { "use strict";\n${message.javascript}\n})`, [], {
        filename: message.filename,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      }) as () => () => Promise<unknown>
    )();
    const value = await Promise.race([body(), interrupted]);
    post({ type: "done", id: message.id, result: value === undefined ? undefined : format(value) });
  } catch (err) {
    post({ type: "done", id: message.id, error: serialize(err) });
  } finally {
    interruptRun = undefined;
  }
}

port.on("message", (message: ToWorker) => {
  if (message.type === "run") void run(message);
  else if (message.type === "interrupt" && message.id === currentRun) {
    // a loop's tick may have handed this interrupt to SIGINT listeners already (the flag is then clear)
    if (Atomics.load(interruptFlag, 0) >= currentRun && !softInterrupt()) interruptRun?.(new Interrupted());
  }
  else if (message.type === "input-reply") {
    const waiting = waitingInput.get(message.id);
    waitingInput.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(message.error));
    else waiting?.resolve(message.value);
  }
});

prepare().then(
  () => post({ type: "ready" }),
  (err: unknown) => post({ type: "setup-failed", error: serialize(err) }),
);
