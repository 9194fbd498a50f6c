// Shared by the commands that read a capture: argument parsing with one-line errors, input resolution
// (`FILE`, `FILE..`, default retis.data / retis.data.0..), text output that survives `| head`, progress.
import { parseArgs, type ParseArgsConfig } from "node:util";
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

/** Opens the input given on the command line, or Retis's default input. */
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
 * Buffered stdout. A closed pipe (`retis print | head`) ends the process quietly with status 0, as the
 * reader asked for no more.
 */
export class Output {
  private chunks: string[] = [];
  private size = 0;

  constructor() {
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }

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
    try {
      process.stdout.write(text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EPIPE") process.exit(0);
      throw e;
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
