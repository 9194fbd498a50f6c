// Line reading for captures: large chunks decoded once and split on '\n' (much cheaper than readline),
// with the 1-based line number of each line and whether the file's last line lacked its newline.
import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

export interface Line {
  text: string;
  /** 1-based line number in its file. */
  number: number;
  /** True for a last line without '\n': a writer may have stopped mid-line. */
  unterminated: boolean;
}

const CHUNK = 1 << 20;

/** Splits byte chunks into lines; text after the last '\n' waits for the next chunk. */
class LineSplitter {
  // The decoder keeps a UTF-8 character cut by a chunk boundary for the next chunk.
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  private number = 0;

  push(chunk: Buffer, out: Line[]): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      out.push({ text: text.slice(start, nl), number: ++this.number, unterminated: false });
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(out: Line[]): void {
    const text = this.rest + this.decoder.end();
    if (text.length > 0) out.push({ text, number: ++this.number, unterminated: true });
    this.rest = "";
  }
}

/** The lines of a file, read synchronously. */
export function* readLines(path: string): Generator<Line> {
  const fd = openSync(path, "r");
  try {
    const splitter = new LineSplitter();
    const buf = Buffer.allocUnsafe(CHUNK);
    const lines: Line[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      splitter.push(buf.subarray(0, n), lines);
      yield* lines;
      lines.length = 0;
    }
    splitter.end(lines);
    yield* lines;
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of a file, read asynchronously, a chunk's worth at a time: callers hand them out one by one
 * without an await per line (see `oneByOne`).
 */
export async function* readLineBatches(path: string): AsyncGenerator<Line[]> {
  const handle = await open(path, "r");
  try {
    const splitter = new LineSplitter();
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const lines: Line[] = [];
      splitter.push(buf.subarray(0, bytesRead), lines);
      if (lines.length > 0) yield lines;
    }
    const last: Line[] = [];
    splitter.end(last);
    if (last.length > 0) yield last;
  } finally {
    await handle.close();
  }
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

/** The first line of a file (reads at most what it needs). */
export function firstLine(path: string): Line | undefined {
  for (const line of readLines(path)) return line;
  return undefined;
}
