// stdin as the protocol's input, read by a small thread (stdin-worker.ts) so that the main thread can ask,
// synchronously and in the middle of a type-check, "has the editor sent anything since?". Node reads input
// only between tasks, so without another thread a check could not notice a completion request arriving.
import { fstatSync } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { Worker } from "node:worker_threads";

export interface WatchedInput {
  /** The editor's bytes, in order; ends when stdin does. */
  stream: Readable;
  /** Chunks read from stdin so far, counted by the reading thread (moves while this thread is busy). */
  received(): number;
  /** Chunks handed to `stream` so far: behind `received()` while chunks are on their way to this thread. */
  delivered(): number;
}

/**
 * Watches stdin when it is a pipe or a socket (how editors start servers); otherwise (a terminal, a file)
 * returns stdin itself, whose counts never move: checks then run to the end.
 */
export function watchStdin(): WatchedInput {
  let kind: { isFIFO(): boolean; isSocket(): boolean } | undefined;
  try {
    kind = fstatSync(0);
  } catch {
    kind = undefined;
  }
  if (!kind || !(kind.isFIFO() || kind.isSocket())) return { stream: process.stdin, received: () => 0, delivered: () => 0 };
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const stream = new PassThrough();
  let delivered = 0;
  // No inherited Node options (a profiler's, say), and a small heap: it only copies bytes.
  const worker = new Worker(new URL("./stdin-worker.js", import.meta.url), {
    workerData: counter.buffer,
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  });
  worker.on("message", (message: Uint8Array | { end: true; error?: string }) => {
    if (message instanceof Uint8Array) {
      delivered++;
      stream.write(message);
      return;
    }
    if (message.error) process.stderr.write(`retis lsp: reading stdin failed: ${message.error}\n`);
    stream.end();
  });
  worker.on("error", (error) => {
    process.stderr.write(`retis lsp: the stdin thread failed: ${error.message}\n`);
    stream.end();
  });
  return { stream, received: () => Atomics.load(counter, 0), delivered: () => delivered };
}
