// Shared by the commands that read a capture: their common options, input resolution
// (`FILE`, `FILE..`, default retis.data / retis.data.0..), text output that survives `| head`, progress.
import { EventFile } from "../events/index.js";
import type { FormatOptions } from "../typings/index.js";
import { flag, str, type OptionSpec, type Parsed, type PositionalSpec } from "./args.js";

/** Opens the input given on the command line, or Retis's default input. */
export function openInput(input: string | undefined): EventFile {
  return new EventFile(input ?? EventFile.defaultInput());
}

/** The INPUT positional of the commands that read a capture. */
export const INPUT: PositionalSpec = {
  name: "INPUT",
  help: "File from which to read events: FILE, or FILE.. for FILE and the split files after it. Default: retis.data, else retis.data.0..",
};

/** Options every text-printing command takes, as Retis's print: --format, --utc, -e. */
export const TEXT_OPTIONS: OptionSpec[] = [
  { long: "format", takes: "required", valueName: "FORMAT", choices: ["multi-line", "single-line"], default: "multi-line", help: "Format used when printing an event" },
  { long: "utc", help: "Print the time as UTC" },
  { long: "print-link-layer", short: "e", noLong: true, help: "Print link-layer information from the packet" },
];

export function formatOptions(p: Parsed): FormatOptions {
  return { format: str(p, "format") as "multi-line" | "single-line", utc: flag(p, "utc"), linkLayer: flag(p, "print-link-layer") };
}

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
