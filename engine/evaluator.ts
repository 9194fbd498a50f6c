// The main thread's side of the evaluation thread: starts it, sends runs one at a time, relays output, and
// interrupts. It knows nothing of TypeScript; it runs JavaScript produced by compile.ts.
import v8 from "node:v8";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { ExecuteCallbacks, MimeBundle } from "./api.js";
import { workerModule } from "./paths.js";
import type { FromWorker, ThrownError, ToWorker, WorkerSetup } from "./protocol.js";

/**
 * A worker with the process's Node options (loaders, conditions, source maps), except `--input-type` (a parent
 * run with -e or stdin), which makes loading the worker's file fail. Inherited options are filtered by Node
 * itself; an explicit list is not, and per-process flags in it (`--max-old-space-size`, other V8 heap flags)
 * throw ERR_WORKER_INVALID_EXEC_ARGV — then they are left out, as inheritance would.
 */
function newWorker(file: URL, options: WorkerOptions): Worker {
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--input-type"));
  if (execArgv.length === process.execArgv.length) return new Worker(file, options);
  try {
    return new Worker(file, { ...options, execArgv });
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    // Node names the refused flags after the last ": ", comma-separated.
    const message = (error as Error).message;
    const refused = new Set(message.slice(message.lastIndexOf(": ") + 2).split(", "));
    return new Worker(file, { ...options, execArgv: execArgv.filter((a) => !refused.has(a)) });
  }
}

export type RunResult = { result?: MimeBundle; error?: undefined } | { error: ThrownError; exitCode?: number; outOfMemory?: true };

/** What the evaluator asks of the engine: stack traces on the user's lines (the engine has the source maps). */
export interface EvaluatorHooks {
  traceback(error: ThrownError): string[];
}

export class Evaluator {
  private readonly flag: Int32Array;
  private readonly buffer = new SharedArrayBuffer(4);
  private worker: Worker | undefined;
  private nextId = 1;
  private running: { id: number; resolve(result: RunResult): void } | undefined;
  /** Output arriving between runs (timers of an earlier cell) goes to the latest run's callbacks. */
  private sink: ExecuteCallbacks = {};
  private closed = false;
  /** The thread reached its heap limit (Node then ends it): its run ends as out of memory, not as an exit. */
  private outOfMemory: Worker | undefined;
  /** Why the last thread ended, for the note when a new one starts. */
  private ended = "process.exit()";

  private constructor(
    private readonly setup: Omit<WorkerSetup, "interruptBuffer">,
    private readonly hooks: EvaluatorHooks,
  ) {
    this.flag = new Int32Array(this.buffer);
  }

  static async start(setup: Omit<WorkerSetup, "interruptBuffer">, hooks: EvaluatorHooks): Promise<Evaluator> {
    const evaluator = new Evaluator(setup, hooks);
    evaluator.worker = await evaluator.spawn();
    return evaluator;
  }

  /** A new evaluation thread, resolved once it has prepared the globals. */
  private spawn(): Promise<Worker> {
    const worker = newWorker(workerModule, { workerData: { ...this.setup, interruptBuffer: this.buffer } satisfies WorkerSetup });
    return new Promise((resolve, reject) => {
      const onStartup = (message: FromWorker) => {
        if (message.type === "ready") resolve(worker);
        else if (message.type === "setup-failed") reject(new Error(`engine: could not prepare the evaluation thread: ${message.error.message}`));
        else return;
        worker.off("message", onStartup);
        worker.on("message", (m: FromWorker) => this.receive(m));
      };
      worker.on("message", onStartup);
      worker.on("error", (error: Error & { code?: string }) => {
        if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.outOfMemory = worker;
        reject(error);
      });
      worker.on("exit", (code) => this.onExit(worker, code));
    });
  }

  /**
   * Runs compiled JavaScript (see transform.ts); resolves when it finished, threw or was interrupted. After
   * user code ended the thread (`process.exit()`), a new one is started first: its globals are fresh.
   */
  async run(javascript: string, filename: string, importFrom: string, callbacks: ExecuteCallbacks): Promise<RunResult> {
    if (this.closed) return { error: { name: "Exit", message: "the engine is closed" } };
    if (!this.worker) {
      this.worker = await this.spawn();
      callbacks.onStderr?.(`(the evaluation thread was restarted after ${this.ended}: earlier values are gone)\n`);
    }
    const id = this.nextId++;
    this.sink = callbacks;
    return new Promise((resolve) => {
      this.running = { id, resolve };
      this.send({ type: "run", id, javascript, filename, importFrom });
    });
  }

  interrupt(): void {
    const run = this.running;
    if (!run) return;
    // Busy code sees the flag at its next loop iteration or call; a pending await sees the message.
    Atomics.store(this.flag, 0, run.id);
    this.send({ type: "interrupt", id: run.id });
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "stdout":
        return this.write(this.sink.onStdout, message.text, process.stdout);
      case "stderr":
        return this.write(this.sink.onStderr, message.text, process.stderr);
      case "display":
        if (this.sink.onDisplay) this.sink.onDisplay(message.bundle);
        else this.write(this.sink.onStdout, `${String(message.bundle["text/plain"] ?? "")}\n`, process.stdout);
        return;
      case "done": {
        const run = this.running;
        if (!run || run.id !== message.id) return;
        this.running = undefined;
        run.resolve(message.error ? { error: message.error } : { result: message.result });
        return;
      }
      case "input":
        return this.ask(message);
      case "uncaught": {
        const [head, ...frames] = this.hooks.traceback(message.error);
        const text = `${message.rejection ? "Unhandled rejection" : "Uncaught"} ${[head, ...frames].join("\n")}\n`;
        return this.write(this.sink.onStderr, text, process.stderr);
      }
      case "ready":
      case "setup-failed":
        return;
      default:
        message satisfies never;
    }
  }

  /** An input request goes to the running execution's onInput; the answer (or refusal) goes back. */
  private ask(message: Extract<FromWorker, { type: "input" }>): void {
    const onInput = this.sink.onInput;
    const answer = onInput
      ? onInput(message.prompt, { password: message.password })
      : Promise.reject(new Error("input() is not available: nothing here answers input requests"));
    answer.then(
      (value) => this.send({ type: "input-reply", id: message.id, value: String(value) }),
      (error: unknown) => this.send({ type: "input-reply", id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  }

  private write(callback: ((text: string) => void) | undefined, text: string, fallback: NodeJS.WriteStream): void {
    if (callback) callback(text);
    else fallback.write(text);
  }

  /**
   * `process.exit()` in user code ends the thread: the run ends with its exit code. So does running out of
   * memory (Node ends a thread at its heap limit, exit code 1): that run ends as `OutOfMemory`.
   */
  private onExit(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = undefined;
    const run = this.running;
    this.running = undefined;
    if (this.outOfMemory === worker) {
      this.outOfMemory = undefined;
      this.ended = "running out of memory";
      const limit = Math.round((this.heapLimit ?? 0) / 2 ** 20);
      const message = `the code ran out of memory (the evaluation thread's heap limit${limit ? ` of ${limit} MB` : ""} was reached); the thread was stopped and earlier values are gone`;
      run?.resolve({ error: { name: "OutOfMemory", message }, outOfMemory: true });
      return;
    }
    this.ended = "process.exit()";
    run?.resolve({ error: { name: "Exit", message: `process.exit(${code})` }, exitCode: code });
  }

  /** The evaluation thread's heap limit in bytes (the same as the process's unless resourceLimits say otherwise). */
  private readonly heapLimit: number | undefined = v8.getHeapStatistics().heap_size_limit;
}
