// The capture helpers of a notebook's evaluation thread (a globals module of the engine): `openCapture(path)`
// opens another capture and makes it `reader`. Declared for cells by CAPTURE_AMBIENT (capture.ts).
import { statSync } from "node:fs";
import { resolve } from "node:path";

export default async function captureGlobals(): Promise<Record<string, unknown>> {
  // Loaded here, in the evaluation thread, where the events library is loaded anyway.
  const { EventFile } = await import("../events/index.js");
  const openCapture = (path: string) => {
    if (typeof path !== "string") throw new TypeError(`openCapture: expected a file path (string), got ${typeof path}`);
    const full = resolve(path);
    const file = statSync(full, { throwIfNoEntry: false })?.isDirectory() ? new EventFile(EventFile.defaultInput(full)) : new EventFile(path.endsWith("..") ? `${full}..` : full);
    (globalThis as { reader?: unknown }).reader = file;
    return file;
  };
  return { openCapture };
}
