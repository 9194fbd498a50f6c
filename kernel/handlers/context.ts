// What a handler may use besides its request: the engine, the history, and a way to publish iopub
// messages (parented to the request by the caller). Handlers never see sockets or signatures.
import type { Engine } from "../../engine/index.js";
import type { Contents } from "../messages.js";
import type { History } from "./history.js";

/** iopub messages a handler may publish while it works. */
export type IopubType = "stream" | "execute_input" | "execute_result" | "display_data" | "update_display_data" | "clear_output" | "error" | "comm_close";

export interface HandlerContext {
  /** The engine, once started (it warms up in the background after the kernel answers its first request). */
  engine(): Promise<Engine>;
  history: History;
  /** The execution counter: increments for each execute_request with store_history. */
  executionCount: number;
  /** Publish on iopub, parented to the current request. */
  publish<T extends IopubType>(type: T, content: Contents[T]): void;
  /** Ask the front end for a line on stdin (input_request), parented to the current request. */
  input(prompt: string, password: boolean): Promise<string>;
  /** The engine's evaluation thread ended (a cell called process.exit): the next request starts a new engine. */
  engineGone(): void;
  /** Stop the running cell. */
  interrupt(): void;
  /** Schedule the end of the process after the reply is sent. */
  shutdown(restart: boolean): void;
}
