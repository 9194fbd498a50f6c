// The base protocol's framing: `Content-Length: <bytes>` (and optional other header lines), an empty line, then
// that many bytes of JSON. vscode-jsonrpc's reader stops for good at the first bad header (the rest of the input
// is then read as headers that never parse), leaving a live process that no longer answers. Here a bad header
// block is reported and skipped up to the next `Content-Length:`, so one broken message costs only itself.

/** A complete message body, or input that was skipped and why. */
export type Frame = { body: Buffer } | { skipped: string };

const HEADER_END = Buffer.from("\r\n\r\n");
const CONTENT_LENGTH = Buffer.from("content-length:");
/** A header block longer than this without its empty line is not a header (ours are ~25 bytes). */
const MAX_HEADER = 8 * 1024;
/** The largest body taken: beyond, a length is a mistake (or an attack on memory), not a document. */
export const MAX_BODY = 256 * 1024 * 1024;

export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length announced by the header just read, while its bytes are still arriving. */
  private bodyLength = -1;
  /** After a bad header: input is dropped up to the next `Content-Length:`. */
  private skipping = false;

  /** Adds received bytes; returns the frames they complete, in order. */
  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      if (this.skipping && !this.resynchronise()) return frames;
      if (this.bodyLength < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER) frames.push(this.bad(`${MAX_HEADER} bytes without the empty line that ends a header`));
          else return frames;
          continue;
        }
        const header = this.buffer.subarray(0, end).toString("ascii");
        const length = contentLength(header);
        if (typeof length === "string") {
          frames.push(this.bad(length));
          continue;
        }
        this.bodyLength = length;
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      }
      if (this.buffer.length < this.bodyLength) return frames;
      frames.push({ body: Buffer.from(this.buffer.subarray(0, this.bodyLength)) });
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
    }
  }

  private bad(why: string): Frame {
    this.skipping = true;
    // The bad block's first byte goes, so that the search finds the next header, not this one again.
    this.buffer = this.buffer.subarray(1);
    return { skipped: `${why}; reading on at the next Content-Length header` };
  }

  /** Drops input up to the next `Content-Length:`; false when it has not arrived yet. */
  private resynchronise(): boolean {
    const at = indexOfIgnoringCase(this.buffer, CONTENT_LENGTH);
    if (at < 0) {
      // Keep a tail that could be the start of the word, split across two chunks.
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - CONTENT_LENGTH.length + 1));
      return false;
    }
    this.buffer = this.buffer.subarray(at);
    this.skipping = false;
    return true;
  }
}

/** The body length a header block announces, or what is wrong with it. */
export function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) return `bad header line ${quote(line)}: expected "Name: value"`;
    if (line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,15}$/.test(value)) return `bad header ${quote(line)}: expected "Content-Length: <number of bytes>"`;
    length = Number(value);
    if (length > MAX_BODY) return `bad header ${quote(line)}: expected at most ${MAX_BODY} bytes`;
  }
  return length ?? `header ${quote(header)} has no Content-Length line`;
}

function quote(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(shown);
}

function indexOfIgnoringCase(buffer: Buffer, lowerWord: Buffer): number {
  // Header names are ASCII and case-insensitive; only the first letter is searched for both cases.
  for (let from = 0; ; ) {
    const lower = buffer.indexOf(lowerWord[0]!, from);
    const upper = buffer.indexOf(lowerWord[0]! - 32, from);
    const at = lower < 0 ? upper : upper < 0 ? lower : Math.min(lower, upper);
    if (at < 0 || at + lowerWord.length > buffer.length) return -1;
    if (buffer.subarray(at, at + lowerWord.length).toString("ascii").toLowerCase() === lowerWord.toString("ascii")) return at;
    from = at + 1;
  }
}
