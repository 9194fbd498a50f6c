// Shared by the commands that read a capture: argument parsing with one-line errors, input resolution
// (`FILE`, `FILE..`, default retis.data / retis.data.0..), text output that survives `| head`, progress.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { writeSync } from "node:fs";
import { systemErrorText } from "../events/errors.js";
import { EventFile } from "../events/index.js";
import type { FormatOptions } from "../typings/index.js";
import { UsageError } from "./errors.js";

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseOptions(args: string[], options: ParseArgsConfig["options"], usage: string): ParsedArgs {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}\n${usage}`);
  }
}

/**
 * Opens the input given on the command line (`-` is standard input; pipes and FIFOs are read once, as a
 * stream), or Retis's default input.
 */
export function openInput(input: string | undefined): EventFile {
  return new EventFile(input ?? EventFile.defaultInput());
}

export function formatOptions(values: { format?: string | boolean; utc?: string | boolean; "print-link-layer"?: string | boolean }): FormatOptions {
  const format = values.format ?? "multi-line";
  if (format !== "multi-line" && format !== "single-line")
    throw new UsageError(`invalid --format '${String(format)}': expected multi-line or single-line`);
  return { format, utc: values.utc === true, linkLayer: values["print-link-layer"] === true };
}

/** Options every text-printing command takes. */
export const TEXT_OPTIONS = {
  format: { type: "string" },
  utc: { type: "boolean" },
  "print-link-layer": { type: "boolean", short: "e" },
  help: { type: "boolean", short: "h" },
} as const;

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
