// Retis's text layout: output is buffered per indentation level and flushed when the level changes; a
// flush indents every line it starts, and the first block of an event may carry an item mark ('↳' in
// series). Sections only write text and change levels; where lines start is decided here.
import type { TimeSpec } from "../../typings/section.js";

/** What a section's rendering may depend on. */
export interface DisplayOptions {
  /** `\n` between section groups (true), or a space (false). */
  multiline: boolean;
  /** Wall-clock UTC time instead of monotonic nanoseconds (needs `offset`). */
  utc: boolean;
  /** CLOCK_REALTIME − CLOCK_MONOTONIC of the capture. */
  offset?: TimeSpec;
  /** Link-layer details (Retis `-e`). */
  linkLayer: boolean;
}

export const DEFAULT_DISPLAY: DisplayOptions = { multiline: true, utc: false, linkLayer: false };

export class Formatter {
  private out = "";
  private buf = "";
  private level: number;
  private readonly saved: number[] = [];
  /** The level text is written at now; applied to the buffer at the next write. */
  private confLevel: number;
  private first = true;
  private start = true;

  constructor(
    level = 0,
    private readonly item?: string,
  ) {
    this.level = level;
    this.confLevel = level;
  }

  /** Increase the indentation by `diff` for what follows. */
  incLevel(diff: number): void {
    this.saved.push(this.confLevel);
    this.confLevel += diff;
  }

  /** Back to the indentation before the last incLevel. */
  resetLevel(): void {
    const level = this.saved.pop();
    if (level !== undefined) this.confLevel = level;
  }

  write(s: string): void {
    if (this.confLevel !== this.level) {
      if (this.buf.length > 0) this.flush();
      this.level = this.confLevel;
    }
    this.buf += s;
  }

  private flush(): void {
    const buf = this.buf;
    if (buf.length === 0) return;
    const first = this.first;
    this.first = false;
    this.buf = "";
    const level = this.level;
    const prefix = indent(level);
    if (this.start) {
      this.start = false;
      this.out +=
        first && level >= 2 && this.item !== undefined ? prefix.slice(0, level - 2) + this.item + prefix.slice(level - 1) : prefix;
    }
    let nl = buf.indexOf("\n");
    // Most blocks are one line part: no line to split or indent.
    if (nl < 0) {
      this.out += buf;
      return;
    }
    let out = this.out + buf.slice(0, nl);
    for (;;) {
      const start = nl + 1;
      if (start === buf.length) {
        // Ends with a newline: the next write starts a line (and indents it).
        out += "\n";
        this.start = true;
        break;
      }
      nl = buf.indexOf("\n", start);
      const end = nl < 0 ? buf.length : nl;
      // Empty lines are not indented: single-line output and blank separators stay clean.
      out += end > start ? `\n${prefix}${buf.slice(start, end)}` : "\n";
      if (nl < 0) break;
    }
    this.out = out;
  }

  /** The text written so far, everything flushed. */
  finish(): string {
    this.flush();
    return this.out;
  }
}

const INDENTS: string[] = [];

/** `level` spaces, made once per level. */
function indent(level: number): string {
  return (INDENTS[level] ??= " ".repeat(level));
}
