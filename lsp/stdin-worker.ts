// The thread that reads the editor's messages from stdin (see stdin.ts): it counts each chunk in memory shared
// with the main thread, then forwards the chunk. The count moves even while the main thread is stuck in a
// synchronous type-check, which is how that check learns that a request is waiting.
import { Socket } from "node:net";
import { parentPort, workerData } from "node:worker_threads";

const received = new Int32Array(workerData as SharedArrayBuffer);
const port = parentPort!;
const input = new Socket({ fd: 0, readable: true, writable: false });
input.on("data", (chunk: Buffer) => {
  Atomics.add(received, 0, 1);
  port.postMessage(chunk);
});
input.on("end", () => port.postMessage({ end: true }));
input.on("error", (error) => port.postMessage({ end: true, error: error.message }));
