// Following a capture while the collector writes it (`EventFile.follow(path)`, `cap.follow()`): every whole
// line as soon as its newline is on disk, never a half-written one, across rotation.
//
// Rotation, as the collector (and Retis's RotateWriter) does it: the file being written is always OUT; when
// it is full it is renamed OUT.<id> and a new OUT starts with its own startup event (split_file.id + 1). A
// follower keeps its descriptor on the part it reads: after the rename it still reads that part to its end,
// then goes on with the next part — OUT.<id+1> if that one is already finished, else OUT. A candidate is
// taken only if its startup event is later than the current part's (monotonic clock), so stale parts of an
// earlier capture with the same name are never mixed in.
//
// The end: when `until` settles (the collector's exit, for `cap.follow()`) and everything is read; without
// it, when no process holds the part open for writing any more (Linux /proc, checked twice apart, as a
// rotation briefly closes the file), after its last line. Waiting uses fs.watch on the folder (inotify)
// with a polling fallback, so a line is seen within a few milliseconds of its write, and within POLL_MS
// where inotify is not available.
import { watch, type FSWatcher } from "node:fs";
import { open, readdir, readFile, readlink, stat, type FileHandle } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { basename, dirname, join, resolve } from "node:path";
import type * as T from "../../typings/index.js";
import { needsCompat, parseVersion, unsupported, type FormatVersion } from "../compat.js";
import { RetisFormatError, RetisUsageError, systemErrorText } from "../errors.js";
import { Event } from "../event.js";
import { MAX_LINE_BYTES } from "../file/lines.js";

/** Longest wait without a file-system notification before looking again. */
const POLL_MS = 200;
/** How long a part must stay without a writer before following ends (a rotation closes it briefly). */
const WRITER_GRACE_MS = 300;
const CHUNK = 1 << 20;

export interface FollowSetup extends T.FollowOptions {
  /**
   * Only parts started at or after this CLOCK_MONOTONIC time (ns; `process.hrtime.bigint()`): a capture
   * follows its own parts, never those an earlier capture with the same name left.
   */
  since?: bigint;
}

interface Part {
  path: string;
  ino: number;
  dev: number;
  /** The startup event's timestamp (ns, monotonic) and split id. */
  started: bigint;
  id: number | undefined;
}

/** The first line of a file if it is whole: a part is taken only once its startup event is written. */
async function startupOf(path: string): Promise<{ line: string; ino: number; dev: number } | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat();
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl < 0) return undefined;
    return { line: buf.subarray(0, nl).toString("utf8"), ino: st.ino, dev: st.dev };
  } finally {
    await fh.close();
  }
}

function startupFields(line: string, path: string): { started: bigint; id: number | undefined; compat: FormatVersion | undefined; offset: T.TimeSpec | undefined } {
  const pos = { file: path, line: 1 };
  if (line.trimStart().startsWith("[")) throw new RetisUsageError(`${path} is a sorted file (series): only an events file being written can be followed`);
  const first = Event.fromLine(line, pos);
  const startup = first.startup;
  if (startup === undefined) throw RetisFormatError.at(pos, "expected a startup event on line 1 of a capture being written");
  const version = parseVersion(startup.retis_version);
  if (version === undefined) throw RetisFormatError.at(pos, `cannot parse Retis version '${startup.retis_version}'; expected a version such as v1.7.0`);
  const why = unsupported(version);
  if (why) throw RetisFormatError.at(pos, why);
  return {
    started: BigInt(first.common?.timestamp ?? 0),
    id: startup.split_file?.id,
    compat: needsCompat(version) ? version : undefined,
    offset: startup.clock_monotonic_offset,
  };
}

/** Finished parts OUT.<n> present now, by number. */
async function finishedParts(base: string): Promise<string[]> {
  const prefix = `${basename(base)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(base));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((n) => join(dirname(base), n));
}

/**
 * True while a process (other than this one) holds the file open for writing. Linux only: /proc/PID/fd links
 * and /proc/PID/fdinfo flags. The last writer found is looked at first.
 */
class WriterProbe {
  #last: number | undefined;

  async held(dev: number, ino: number): Promise<boolean> {
    if (this.#last !== undefined && (await this.#holds(this.#last, dev, ino))) return true;
    let pids: string[];
    try {
      pids = await readdir("/proc");
    } catch {
      return false;
    }
    for (const name of pids) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (pid === process.pid || pid === this.#last) continue;
      if (await this.#holds(pid, dev, ino)) {
        this.#last = pid;
        return true;
      }
    }
    this.#last = undefined;
    return false;
  }

  async #holds(pid: number, dev: number, ino: number): Promise<boolean> {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      return false;
    }
    for (const fd of fds) {
      try {
        // the link's text is cheap to read; only links to a file are stat'ed
        const target = await readlink(`/proc/${pid}/fd/${fd}`);
        if (!target.startsWith("/")) continue;
        const st = await stat(`/proc/${pid}/fd/${fd}`);
        if (st.ino !== ino || st.dev !== dev) continue;
        const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, "utf8");
        const flags = /^flags:\s*([0-7]+)/m.exec(info);
        if (flags && (parseInt(flags[1]!, 8) & 3) !== 0) return true;
      } catch {
        // the process or descriptor went away meanwhile
      }
    }
    return false;
  }
}

/** Wakes a waiting follower on a change in the folder, on `until`, or after POLL_MS. */
class Waker {
  #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;
  #changed = false;

  constructor(folder: string) {
    try {
      this.#watcher = watch(folder, { persistent: false }, () => this.poke());
      this.#watcher.on("error", () => this.close());
    } catch {
      // no inotify (limits, file system): polling alone
    }
  }

  poke(): void {
    this.#changed = true;
    this.#wake?.();
  }

  async wait(ms = POLL_MS): Promise<void> {
    if (this.#changed) {
      this.#changed = false;
      return;
    }
    await new Promise<void>((ok) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        ok();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
    this.#changed = false;
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

/** The events of a capture being written; see the module comment. */
export async function* followFile(path: string, setup: FollowSetup = {}): AsyncGenerator<Event, undefined, undefined> {
  if (typeof path !== "string") throw new TypeError(`EventFile.follow takes a file path (string), not ${path === null ? "null" : typeof path}`);
  const base = resolve(path);
  const waker = new Waker(dirname(base));
  let ended = false;
  let aborted = false;
  const until = setup.until;
  if (until !== undefined) {
    if (typeof (until as AbortSignal).addEventListener === "function" && "aborted" in until) {
      const signal = until as AbortSignal;
      const stop = () => {
        aborted = ended = true;
        waker.poke();
      };
      if (signal.aborted) stop();
      else signal.addEventListener("abort", stop, { once: true });
    } else {
      const settle = () => {
        ended = true;
        waker.poke();
      };
      (until as PromiseLike<unknown>).then(settle, settle);
    }
  }
  const writers = until === undefined ? new WriterProbe() : undefined;
  const done = new Set<string>();
  let fh: FileHandle | undefined;
  try {
    // the first part: the oldest finished one, else OUT; waiting for it as long as asked
    const deadline = Date.now() + (setup.waitForFile ?? 0);
    // OUT's startup first, then the finished parts: the parts before the OUT seen were renamed before it was
    // created, so the listing has them. OUT is taken only if it is still the part seen before the listing: a
    // rotation between the two looks would otherwise skip the part it renamed (seen in CI under load).
    // the inode of the part firstPart chose: opened by path afterwards, it must still be that part
    let firstIno: number | undefined;
    const firstPart = async (): Promise<string | undefined> => {
      for (;;) {
        const current = await startupOf(base);
        for (const p of await finishedParts(base)) {
          const head = await startupOf(p);
          if (head === undefined) continue;
          if (setup.since !== undefined && startupFields(head.line, p).started < setup.since) continue;
          firstIno = head.ino;
          return p;
        }
        if (current === undefined) return undefined;
        const again = await startupOf(base);
        if (again?.ino !== current.ino) continue;
        if (setup.since !== undefined && startupFields(current.line, base).started < setup.since) return undefined;
        firstIno = current.ino;
        return base;
      }
    };
    let first: string | undefined;
    for (;;) {
      first = await firstPart();
      if (first !== undefined) break;
      if (aborted || ended || Date.now() >= deadline) {
        if (aborted || (ended && until !== undefined)) return undefined;
        throw new RetisFormatError(base, 0, `Could not open file: ${systemErrorText({ code: "ENOENT" })}; expected a capture being written (or its first part ${basename(base)}.0)`);
      }
      await waker.wait();
    }

    let part: Part | undefined;
    let fields: ReturnType<typeof startupFields> | undefined;
    let candidate: string | undefined = first;
    while (candidate !== undefined && !aborted) {
      const head = await startupOf(candidate);
      if (head === undefined) {
        // gone between two looks (renamed): the next look finds it under its new name
        candidate = part === undefined ? await firstPart() : await nextPart(base, part, done);
        continue;
      }
      fh = await open(candidate, "r");
      const st = await fh.stat();
      if (st.ino !== head.ino || (part === undefined && firstIno !== undefined && st.ino !== firstIno)) {
        // renamed under us between the two looks: look again
        await fh.close();
        fh = undefined;
        candidate = part === undefined ? await firstPart() : await nextPart(base, part, done);
        continue;
      }
      fields = startupFields(head.line, candidate);
      part = { path: candidate, ino: st.ino, dev: st.dev, started: fields.started, id: fields.id };
      done.add(keyOf(st));

      let position = 0;
      let lineNo = 0;
      let pending = Buffer.alloc(0);
      const buf = Buffer.alloc(CHUNK);
      let idleSince: number | undefined;
      let checkedAt = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, position);
        if (bytesRead > 0) {
          position += bytesRead;
          idleSince = undefined;
          let data = pending.length > 0 ? Buffer.concat([pending, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
          let start = 0;
          for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
            const line = data.subarray(start, nl);
            start = nl + 1;
            lineNo++;
            const pos = { file: part.path, line: lineNo };
            if (!isUtf8(line)) throw RetisFormatError.at(pos, "invalid UTF-8; expected one JSON event per line");
            if (line.length === 0) throw RetisFormatError.at(pos, "empty line; expected one JSON event per line");
            yield Event.fromLine(line.toString("utf8"), pos, fields.compat, fields.offset);
            if (aborted) return undefined;
          }
          // a copy: `buf` is reused by the next read
          pending = Buffer.from(data.subarray(start));
          data = Buffer.alloc(0);
          if (pending.length > MAX_LINE_BYTES) throw RetisFormatError.at({ file: part.path, line: lineNo + 1 }, `line longer than ${MAX_LINE_BYTES} bytes; expected one JSON event per line`);
          continue;
        }
        // at the end of what is written: is this part finished?
        const now = await stat(base).catch(() => undefined);
        const current = now !== undefined && now.ino === part.ino && now.dev === part.dev;
        let finished = !current;
        if (current) {
          if (ended) finished = true;
          else if (writers && Date.now() - checkedAt >= WRITER_GRACE_MS / 3) {
            // looked at a few times a second at most, however often the file changes
            checkedAt = Date.now();
            if (await writers.held(part.dev, part.ino)) idleSince = undefined;
            else if (idleSince === undefined) idleSince = Date.now();
            else if (Date.now() - idleSince >= WRITER_GRACE_MS) finished = true;
          }
        }
        if (finished) {
          // the writer closes a part before renaming it: one more read sees its last bytes
          const { bytesRead: more } = await fh.read(buf, 0, 1, position);
          if (more > 0) continue;
          if (pending.length > 0) {
            throw RetisFormatError.at({ file: part.path, line: lineNo + 1 }, "the file ends in the middle of a line (its writer stopped mid-line); expected each event to end with a newline");
          }
          break;
        }
        if (aborted) return undefined;
        await waker.wait(idleSince !== undefined ? Math.min(POLL_MS, WRITER_GRACE_MS) : POLL_MS);
      }
      await fh.close();
      fh = undefined;
      // the next part, when there is one; a rotating writer may not have started it yet
      for (;;) {
        candidate = await nextPart(base, part, done);
        if (candidate !== undefined || aborted) break;
        if (part.id === undefined) break;
        if (ended) break;
        if (writers && !(await rotating(base, writers))) break;
        await waker.wait();
      }
    }
    return undefined;
  } finally {
    waker.close();
    await fh?.close().catch(() => undefined);
  }
}

const keyOf = (h: { dev: number; ino: number }) => `${h.dev}:${h.ino}`;

/**
 * The part after `part`. OUT is looked at first: a rotation renames the full part before it creates the new
 * OUT, so when OUT is already past the wanted part, OUT.<wanted> exists by then. A part is taken only if it
 * was not read yet and started after `part`.
 */
async function nextPart(base: string, part: Part | undefined, done: Set<string>): Promise<string | undefined> {
  const wanted = part?.id !== undefined ? part.id + 1 : undefined;
  const fresh = async (path: string) => {
    const head = await startupOf(path);
    if (!head || done.has(keyOf(head))) return undefined;
    let f;
    try {
      f = startupFields(head.line, path);
    } catch {
      return undefined;
    }
    return part === undefined || f.started > part.started ? f : undefined;
  };
  const current = await fresh(base);
  if (wanted === undefined) return current ? base : undefined;
  if (current?.id === wanted) return base;
  if (await fresh(`${base}.${wanted}`)) return `${base}.${wanted}`;
  // OUT is further on and the wanted part is gone (--out-rotate-count removed it): go on with OUT
  if (current?.id !== undefined && current.id > wanted) return base;
  return undefined;
}

/** Without a known writer: is someone still writing OUT (a rotation in progress)? */
async function rotating(base: string, writers: WriterProbe): Promise<boolean> {
  const st = await stat(base).catch(() => undefined);
  if (st !== undefined) return writers.held(st.dev, st.ino);
  // between the rename and the new file: give it the grace period once
  await new Promise((ok) => setTimeout(ok, WRITER_GRACE_MS));
  const again = await stat(base).catch(() => undefined);
  return again !== undefined;
}
