// Shared by the commands that read a capture: their common options, input resolution
// (`FILE`, `FILE..`, default retis.data / retis.data.0..), text output that survives `| head`, progress.
import { writeSync } from "node:fs";
import { systemErrorText } from "../events/errors.js";
import { EventFile } from "../events/index.js";
import type { PositionalSpec } from "./args.js";

/**
 * Opens the input given on the command line (`-` is standard input; pipes and FIFOs are read once, as a
 * stream), or Retis's default input.
 */
export function openInput(input: string | undefined): EventFile {
  return new EventFile(input ?? EventFile.defaultInput());
}

/** The INPUT positional of the commands that read a capture. */
export const INPUT: PositionalSpec = {
  name: "INPUT",
  help: "File from which to read events: FILE, or FILE.. for FILE and the split files after it. Default: retis.data, else retis.data.0..",
};

/**
 * Buffered stdout, written with checked synchronous writes. When the reader goes away (`retis print |
 * head -1`) the process ends at once with status 0: the reader asked for no more. Any other failure
 * (a full disk behind `> file`) is an error naming standard output.
 */
export class Output {
  private chunks: string[] = [];
  private size = 0;

  write(s: string): void {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    writeAllSync(1, Buffer.from(text), "standard output", () => process.exit(0));
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to `fd`, checking every write. `onClosed` runs when the reader of a pipe is gone;
 * other failures throw a one-line error naming `name`.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, name: string, onClosed?: () => never): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking descriptor (shared with the parent) may be full for a moment.
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      if (code === "EPIPE" && onClosed) onClosed();
      throw new Error(`cannot write to ${name}: ${systemErrorText(e)}`);
    }
  }
}

/** Progress on stderr for long work, only when stderr is a terminal. */
export class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  private readonly start = performance.now();
  private last = 0;
  private shown = false;

  constructor(private readonly what: string) {}

  tick(count: number): void {
    if (!this.enabled || (count & 0x3fff) !== 0) return;
    const now = performance.now();
    if (now - this.last < 200 || now - this.start < 1000) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r${this.what}: ${count} events (${((now - this.start) / 1000).toFixed(1)} s)`);
  }

  done(): void {
    if (this.shown) process.stderr.write("\r\x1b[K");
  }
}
