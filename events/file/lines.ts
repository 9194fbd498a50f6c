// Line reading for captures. Bytes are read in large chunks and split on '\n'; each chunk's complete lines
// are checked as UTF-8 in one native pass and decoded once. A line longer than MAX_LINE_BYTES is refused as
// soon as that many bytes are seen, so memory stays bounded and time linear whatever the input.
//
// An input is a plain file (opened again for every pass) or a stream — standard input (`-`), a pipe
// (`/dev/stdin`, `<(…)`), a FIFO, a character device: read once, the first line kept for the pass that
// follows detection. Every failure is a RetisFormatError naming the input.
import { closeSync, openSync, read, readSync, statSync } from "node:fs";
import { isAscii, isUtf8 } from "node:buffer";
import { RetisFormatError, RetisUsageError, systemErrorText } from "../errors.js";

export interface Line {
  text: string;
  /** 1-based line number in its file. */
  number: number;
  /** True for a last line without '\n': a writer may have stopped mid-line. */
  unterminated: boolean;
}

/**
 * Longest line accepted, in bytes. A Retis event is under 10 kB (a packet is at most 255 bytes); a sorted
 * line holds one packet's series, a few hundred kB at most. 64 MiB is thousands of times that.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const CHUNK = 1 << 20;

/** Where lines come from. `name` is what errors say. */
export class LineSource {
  /** Bytes already read from a stream (its first line, read by detection), handed out first. */
  #head: Uint8Array[] = [];
  #fd: number | undefined;
  #consumed = false;
  #ownFd = true;

  private constructor(
    /** Path to open. */
    readonly path: string,
    /** How errors name the input: the path, or `<stdin>` for `-`. */
    readonly name: string,
    /** A stream that can be read once only. */
    readonly once: boolean,
  ) {}

  /** The input at `path`; `-` is standard input. Refuses missing, unreadable inputs and directories. */
  static open(path: string): LineSource {
    // `-` is descriptor 0 itself: /dev/stdin cannot be opened again when it is a socket (as a parent
    // process's pipe may be), and a descriptor is read once anyway.
    if (path === "-" || (STDIN_NAMES.has(path) && !canOpen(path))) {
      const source = new LineSource(path, path === "-" ? "<stdin>" : path, true);
      source.#fd = 0;
      source.#ownFd = false;
      return source;
    }
    const name = path;
    const real = path;
    let st;
    try {
      st = statSync(real);
    } catch (e) {
      throw new RetisFormatError(name, 0, `Could not open file: ${systemErrorText(e)}`);
    }
    if (st.isDirectory()) throw new RetisFormatError(name, 0, "Could not open file: it is a directory; expected a capture file");
    const source = new LineSource(real, name, !st.isFile());
    if (source.once) source.#fd = openFd(real, name);
    return source;
  }

  /** Opens the input for one pass; a stream's second pass is refused. */
  openPass(): { fd: number; head: Uint8Array[]; close: boolean } {
    if (!this.once) return { fd: openFd(this.path, this.name), head: [], close: true };
    if (this.#consumed)
      throw new RetisUsageError(`${this.name} is a stream (standard input, a pipe or a FIFO): it can be read only once`);
    this.#consumed = true;
    const head = this.#head;
    this.#head = [];
    return { fd: this.#fd!, head, close: this.#ownFd };
  }

  /** Keeps bytes a first-line probe read from a stream, for the pass that follows. */
  keep(bytes: Uint8Array): void {
    if (this.once) this.#head.push(bytes);
  }

  /** The stream's descriptor (detection reads its first line from it). */
  get streamFd(): number | undefined {
    return this.#fd;
  }
}

const STDIN_NAMES = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

function canOpen(path: string): boolean {
  try {
    closeSync(openSync(path, "r"));
    return true;
  } catch {
    return false;
  }
}

function openFd(path: string, name: string): number {
  try {
    return openSync(path, "r");
  } catch (e) {
    throw new RetisFormatError(name, 0, `Could not open file: ${systemErrorText(e)}`);
  }
}

// A stream opened without O_NONBLOCK never returns EAGAIN; a descriptor shared with a non-blocking parent
// may. Then the read waits a little and tries again instead of failing.
const pause = new Int32Array(new SharedArrayBuffer(4));

function readChunk(fd: number, buf: Buffer, name: string): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === "EOF") return 0;
      throw new RetisFormatError(name, 0, `cannot read: ${systemErrorText(e)}`);
    }
  }
}

/** A line that cannot be read (too long, not UTF-8): lines before it are handed out first. */
class LineProblem {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {}
}

/** Splits byte chunks into lines; bytes after the last '\n' wait for the next chunk. */
class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #number = 0;
  problem: LineProblem | undefined;

  /** Appends the chunk's complete lines to `out`; stops at the first bad line (see `problem`). */
  push(chunk: Buffer, out: Line[]): void {
    if (this.problem) return;
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl < 0) {
      this.#hold(chunk);
      return;
    }
    let start = 0;
    if (this.#pending.length > 0) {
      const firstNl = chunk.indexOf(10);
      this.#pending.push(chunk.subarray(0, firstNl));
      this.#pendingBytes += firstNl;
      const line = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
      if (!this.#line(line, false, out)) return;
      start = firstNl + 1;
    }
    if (start <= lastNl) this.#lines(chunk.subarray(start, lastNl), out);
    if (!this.problem) this.#hold(chunk.subarray(lastNl + 1));
  }

  end(out: Line[]): void {
    if (this.problem || this.#pendingBytes === 0) return;
    const line = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#line(line, true, out);
  }

  #hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#pendingBytes + bytes.length > MAX_LINE_BYTES) {
      this.problem = new LineProblem(this.#number + 1, `line longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB; expected one event (or one series) per line`);
      return;
    }
    // The chunk buffer is reused by the next read: keep a copy.
    this.#pending.push(Buffer.from(bytes));
    this.#pendingBytes += bytes.length;
  }

  /** Complete lines `bytes` (no trailing '\n'), checked as UTF-8 once and decoded once. */
  #lines(bytes: Buffer, out: Line[]): void {
    // Retis writes ASCII: then one check covers UTF-8 too, and decoding is a plain copy.
    const ascii = isAscii(bytes);
    if (!ascii && !isUtf8(bytes)) {
      // Rare: find the bad line, handing out the good ones before it.
      let s = 0;
      for (;;) {
        const nl = bytes.indexOf(10, s);
        const end = nl < 0 ? bytes.length : nl;
        if (!this.#line(bytes.subarray(s, end), false, out) || nl < 0) return;
        s = nl + 1;
      }
    }
    const text = bytes.toString(ascii ? "latin1" : "utf8");
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      out.push({ text: text.slice(start, nl), number: ++this.#number, unterminated: false });
      start = nl + 1;
    }
    out.push({ text: text.slice(start), number: ++this.#number, unterminated: false });
  }

  #line(bytes: Buffer, unterminated: boolean, out: Line[]): boolean {
    if (bytes.length > MAX_LINE_BYTES) {
      this.problem = new LineProblem(this.#number + 1, `line longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB; expected one event (or one series) per line`);
      return false;
    }
    if (!isUtf8(bytes)) {
      this.problem = new LineProblem(this.#number + 1, `not valid UTF-8 (at byte ${firstBadUtf8(bytes) + 1} of the line); expected UTF-8 JSON text`);
      return false;
    }
    out.push({ text: bytes.toString("utf8"), number: ++this.#number, unterminated });
    return true;
  }
}

/** Offset of the first byte that makes `bytes` invalid UTF-8 (a binary search on prefixes). */
function firstBadUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  // Invariant: bytes[0, lo) may be cut mid-character but holds no error; bytes[0, hi) holds one.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (validPrefix(bytes, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** True when bytes[0, n) is valid UTF-8 or only cut inside its last character. */
function validPrefix(bytes: Buffer, n: number): boolean {
  for (let cut = 0; cut <= 3 && cut <= n; cut++) if (isUtf8(bytes.subarray(0, n - cut))) return true;
  return false;
}

function fail(source: LineSource | string, p: LineProblem): never {
  throw new RetisFormatError(typeof source === "string" ? source : source.name, p.line, p.problem);
}

/** The lines of an input, read synchronously. */
export function* readLines(source: LineSource): Generator<Line> {
  const pass = source.openPass();
  try {
    const splitter = new LineSplitter();
    const lines: Line[] = [];
    for (const bytes of pass.head) splitter.push(asBuffer(bytes), lines);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      yield* lines;
      lines.length = 0;
      if (splitter.problem) fail(source, splitter.problem);
      const n = readChunk(pass.fd, buf, source.name);
      if (n === 0) break;
      splitter.push(buf.subarray(0, n), lines);
    }
    splitter.end(lines);
    yield* lines;
    if (splitter.problem) fail(source, splitter.problem);
  } finally {
    if (pass.close) closeQuietly(pass.fd);
  }
}

/**
 * The lines of bytes [start, end) of the plain file `path` (errors name it `name`), numbered from 1 within
 * the range: for readers that split a file between threads at line boundaries (`start` is 0 or just after a
 * '\n'). Each range is read as the whole file is, so every line gets the same checks and the same messages.
 */
export function* readLinesInRange(path: string, name: string, start: number, end: number): Generator<Line> {
  const fd = openFd(path, name);
  try {
    const splitter = new LineSplitter();
    const lines: Line[] = [];
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = start;
    while (pos < end) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      } catch (e) {
        throw new RetisFormatError(name, 0, `cannot read: ${systemErrorText(e)}`);
      }
      if (n === 0) break;
      pos += n;
      splitter.push(buf.subarray(0, n), lines);
      yield* lines;
      lines.length = 0;
      if (splitter.problem) fail(name, splitter.problem);
    }
    splitter.end(lines);
    yield* lines;
    if (splitter.problem) fail(name, splitter.problem);
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Offset just past the first '\n' at or after `from` in the plain file `path`, or undefined when there is
 * none within MAX_LINE_BYTES (a reader splitting the file then reads it whole).
 */
export function nextLineStart(path: string, name: string, from: number): number | undefined {
  const fd = openFd(path, name);
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let pos = from; pos - from <= MAX_LINE_BYTES; ) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, pos);
      } catch {
        // The whole-file reading meets the same failure and words it.
        return undefined;
      }
      if (n === 0) return undefined;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) return pos + nl + 1;
      pos += n;
    }
    return undefined;
  } finally {
    closeQuietly(fd);
  }
}

// The declarations stay free of Node's Buffer type (the package's users may not have @types/node).
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing a read-only descriptor cannot lose data.
  }
}

/**
 * The lines of an input, read asynchronously, a chunk's worth at a time: callers hand them out one by one
 * without an await per line (see `oneByOne`).
 */
export async function* readLineBatches(source: LineSource): AsyncGenerator<Line[]> {
  const pass = source.openPass();
  try {
    const splitter = new LineSplitter();
    let lines: Line[] = [];
    for (const bytes of pass.head) splitter.push(asBuffer(bytes), lines);
    for (;;) {
      if (lines.length > 0) yield lines;
      lines = [];
      if (splitter.problem) fail(source, splitter.problem);
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = await readAsync(pass.fd, buf, source.name);
      if (n === 0) break;
      splitter.push(buf.subarray(0, n), lines);
    }
    splitter.end(lines);
    if (lines.length > 0) yield lines;
    if (splitter.problem) fail(source, splitter.problem);
  } finally {
    if (pass.close) closeQuietly(pass.fd);
  }
}

// Reads leave the event loop free (libuv's thread pool does the blocking read).
function readAsync(fd: number, buf: Buffer, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = () =>
      read(fd, buf, 0, buf.length, null, (e, n) => {
        if (!e) return resolve(n);
        if (e.code === "EAGAIN") return void setTimeout(attempt, 5);
        reject(new RetisFormatError(name, 0, `cannot read: ${systemErrorText(e)}`));
      });
    attempt();
  });
}

/**
 * An async iterator over the items of batches. An async generator would queue a promise through its own
 * machinery for every item; here an item already in memory costs one resolved promise.
 */
export function oneByOne<T>(batches: AsyncIterator<T[]>): AsyncIterator<T> {
  let batch: T[] = [];
  let i = 0;
  const next = async (): Promise<IteratorResult<T>> => {
    while (i >= batch.length) {
      const r = await batches.next();
      if (r.done) return { value: undefined, done: true };
      batch = r.value;
      i = 0;
    }
    return { value: batch[i++]!, done: false };
  };
  return {
    next: () => (i < batch.length ? Promise.resolve({ value: batch[i++]!, done: false }) : next()),
    return: async () => {
      await batches.return?.();
      return { value: undefined, done: true };
    },
  };
}

/**
 * The first line of an input, read without reading the rest. Reading stops early when the first byte that
 * is not white space cannot start a capture (`/dev/zero`, a binary file). A stream keeps what was read.
 */
export function firstLine(source: LineSource): Line | undefined {
  const fd = source.once ? source.streamFd! : openFd(source.path, source.name);
  try {
    const splitter = new LineSplitter();
    const lines: Line[] = [];
    const buf = Buffer.allocUnsafe(64 * 1024);
    let checkedStart = false;
    for (;;) {
      const n = readChunk(fd, buf, source.name);
      if (n === 0) break;
      const bytes = buf.subarray(0, n);
      source.keep(Buffer.from(bytes));
      if (!checkedStart) {
        let i = 0;
        while (i < n && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 13)) i++;
        if (i < n) {
          checkedStart = true;
          if (bytes[i] !== 123 && bytes[i] !== 91) return { text: bytes.subarray(i, Math.min(n, i + 16)).toString("latin1"), number: 1, unterminated: false };
        }
      }
      splitter.push(bytes, lines);
      if (lines.length > 0) return lines[0];
      if (splitter.problem) fail(source, splitter.problem);
    }
    splitter.end(lines);
    if (splitter.problem) fail(source, splitter.problem);
    return lines[0];
  } finally {
    if (!source.once) closeQuietly(fd);
  }
}

/** True when `path` exists as something that can be opened (used to follow split files). */
export function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}
