// Messages between the engine (main thread) and the evaluation thread (worker.ts).
import type { MimeBundle } from "./api.js";

/** Globals the compiled code calls (see transform.ts) and the evaluation thread defines (worker.ts). */
export const RUNTIME = {
  import: "__retis$import",
  named: "__retis$named",
  tick: "__retis$tick",
} as const;

export interface WorkerSetup {
  cwd: string;
  /** Capture path for `reader`; undefined = default input in cwd; null = no reader. */
  input: string | null | undefined;
  argv: string[];
  /** The events library's module (URL or specifier). */
  library: string;
  globals: Record<string, unknown>;
  globalModules: string[];
  displayModule: string | undefined;
  /** Int32Array[0] = id of the run to interrupt (see worker.ts `tick`). */
  interruptBuffer: SharedArrayBuffer;
}

export type ToWorker =
  | { type: "run"; id: number; javascript: string; filename: string; importFrom: string }
  | { type: "interrupt"; id: number }
  /** The answer to an `input` request: the line, or why there is none. */
  | { type: "input-reply"; id: number; value: string; error?: undefined }
  | { type: "input-reply"; id: number; error: string; value?: undefined };

export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: "ready" }
  | { type: "setup-failed"; error: ThrownError }
  | { type: "stdout" | "stderr"; text: string }
  | { type: "display"; bundle: MimeBundle }
  | { type: "input"; id: number; prompt: string; password: boolean }
  /** An exception nobody caught (a timer or callback of a cell): reported on stderr, on the user's lines. */
  | { type: "uncaught"; error: ThrownError; rejection: boolean }
  | { type: "done"; id: number; result?: MimeBundle; error?: ThrownError };
