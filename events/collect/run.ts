// `collect({...})`: runs the native collector as `retis collect` does (same options, same translation:
// options.ts) and resolves to an EventFile over what it wrote. While it runs: live counters from the
// collector's `--status-fd` lines, `follow()` over the file being written, `stop()`.
//
// Stopping: `stop()`, `timeout`/`stopAfter`, `cmd` exiting, or SIGINT on this process (Ctrl-C in a script;
// the stop button in a notebook, which the engine delivers to the evaluation thread as SIGINT) — the
// collector gets SIGINT, drains its ring buffer, closes the file, and the capture still resolves to the file.
// A second SIGINT is left to whatever handles it otherwise (a script exits, a cell is interrupted).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type * as T from "../../typings/index.js";
import { RetisOptionError, RetisPermissionError } from "../errors.js";
import { EventFile } from "../file/event-file.js";
import { followFile } from "./follow.js";
import { ATTACHED, ATTACHED_OLD, commandLine, planCollect, requireCollector, type CollectPlan } from "./options.js";
import { checkRights, RIGHTS_NEEDED } from "./rights.js";
import { mountTracefs } from "./tracefs.js";

/** The status line the collector writes on --status-fd (collector/src/main.c `status()`). */
interface StatusLine {
  events: number;
  drops: number;
  lost: number;
  not_written: number;
  filtered: number;
  final: boolean;
}

/** Text written by a child, to this process's own streams (in a notebook, the cell's output). */
function forward(stream: Readable | null, to: NodeJS.WriteStream): void {
  stream?.setEncoding("utf8").on("data", (text: string) => to.write(text));
}

export class Capture implements T.Capture {
  readonly out: string;
  readonly attached: Promise<void>;
  readonly #done: Promise<T.EventFile>;
  readonly #child: ChildProcess;
  readonly #listeners = new Set<(stats: T.CaptureStats) => void>();
  readonly #exited: Promise<void>;
  #counters = { events: 0, drops: 0, lost: 0 };
  #attachedAt: number | undefined;
  #endedAt: number | undefined;
  #command: ChildProcess | undefined;
  #messages: string[] = [];
  /** A progress line is on the terminal, not ended by a newline yet. */
  #progressShown = false;
  /** CLOCK_MONOTONIC before the collector started: its parts' startup events are later. */
  readonly #since: bigint;

  /** Use `collect(options)`. */
  constructor(plan: CollectPlan, binary: string) {
    const out = plan.out!;
    this.out = out;
    const unmount = plan.allowSystemChanges ? mountTracefs() : undefined;
    this.#since = process.hrtime.bigint();
    const child = spawn(binary, [...plan.args, "--status-fd", "3"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
    this.#child = child;

    const onSigint = () => {
      process.off("SIGINT", onSigint);
      void this.stop();
    };
    process.on("SIGINT", onSigint);

    let attachedOk!: () => void;
    let attachedFail!: (err: Error) => void;
    this.attached = new Promise<void>((ok, fail) => {
      attachedOk = ok;
      attachedFail = fail;
    });
    this.attached.catch(() => undefined);

    const echo = process.stderr.isTTY === true;
    const stderrDone = (async () => {
      for await (const line of createInterface({ input: child.stderr!, crlfDelay: Infinity })) {
        if (line === ATTACHED || (ATTACHED_OLD.test(line) && this.#attachedAt === undefined)) {
          if (this.#attachedAt === undefined) {
            this.#attachedAt = Date.now();
            attachedOk();
            if (plan.cmd !== undefined) this.#runCommand(plan.cmd);
            this.#notify();
          }
          if (line === ATTACHED) continue;
        }
        this.#messages.push(line);
        if (echo) {
          process.stderr.write(`${this.#progressShown ? "\n" : ""}${line}\n`);
          this.#progressShown = false;
        }
      }
    })();
    const statusDone = (async () => {
      for await (const line of createInterface({ input: child.stdio[3] as Readable, crlfDelay: Infinity })) {
        try {
          const s = JSON.parse(line) as StatusLine;
          this.#counters = { events: s.events, drops: s.drops, lost: s.lost + s.not_written };
          // the final counts are announced once the collector has exited (running: false)
          if (s.final) continue;
        } catch {
          continue;
        }
        this.#notify();
      }
    })();

    // on a terminal, a progress line as `retis collect` shows one (the collector's own needs its stderr a tty)
    if (echo) {
      this.onStats((st) => {
        if (st.elapsed === 0) return;
        // the end: the collector's own summary line follows (or came already)
        if (!st.running) {
          if (this.#progressShown) process.stderr.write("\n");
          this.#progressShown = false;
          return;
        }
        process.stderr.write(`\r${st.events} events, ${st.drops} drops, ${st.lost} lost, ${st.elapsed.toFixed(1)} s`);
        this.#progressShown = true;
      });
    }
    this.#exited = new Promise<void>((ok) => child.once("close", () => ok()));
    this.#done = (async () => {
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((ok, fail) => {
        child.once("error", (err) => fail(new Error(`could not start the collector ${binary}: ${err.message}`)));
        child.once("close", (status, sig) => ok([status, sig]));
      });
      await Promise.all([stderrDone, statusDone]);
      process.off("SIGINT", onSigint);
      this.#endedAt = Date.now();
      unmount?.();
      // the capture ended first (an error, timeout): the command does not outlive it
      if (this.#command && this.#command.exitCode === null && this.#command.signalCode === null) this.#command.kill("SIGTERM");
      this.#notify();
      if (code === 0) return plan.rotate ? EventFile.withRotation(`${out}.0`) : new EventFile(out);
      const err = this.#failure(code, signal);
      if (this.#attachedAt === undefined) attachedFail(err);
      throw err;
    })();
    this.#done.catch(() => undefined);
  }

  #runCommand(cmd: string): void {
    const command = spawn("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] });
    forward(command.stdout, process.stdout);
    forward(command.stderr, process.stderr);
    command.once("exit", () => void this.stop());
    command.once("error", () => void this.stop());
    this.#command = command;
  }

  /** The collector's own words for why it failed, as one error. */
  #failure(code: number | null, signal: NodeJS.Signals | null): Error {
    const said = this.#messages.filter((m) => m.startsWith("retis: ")).map((m) => m.slice("retis: ".length));
    const why = said.find((m) => !/^\d+ events written/.test(m)) ?? said[0];
    if (why?.startsWith(RIGHTS_NEEDED)) return new RetisPermissionError(why);
    if (code === 2 && why) return new RetisOptionError(why);
    if (why) return new Error(`the collector failed: ${why}`);
    return new Error(`the collector ${signal ? `was killed by ${signal}` : `exited with status ${code}`}`);
  }

  #notify(): void {
    const stats = this.stats;
    for (const listener of this.#listeners) {
      try {
        listener(stats);
      } catch {
        // a broken listener must not stop the capture's bookkeeping
      }
    }
  }

  get stats(): T.CaptureStats {
    const from = this.#attachedAt;
    const to = this.#endedAt ?? Date.now();
    return { ...this.#counters, elapsed: from === undefined ? 0 : Math.max(0, to - from) / 1000, running: this.#endedAt === undefined };
  }

  onStats(listener: (stats: T.CaptureStats) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  stop(): Promise<T.EventFile> {
    // SIGINT during setup is honoured once the probes are attached: the collector drains and closes
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill("SIGINT");
    return this.#done;
  }

  follow(): AsyncIterableIterator<T.Event, undefined, undefined> {
    return this.#follow();
  }

  async *#follow(): AsyncGenerator<T.Event, undefined, undefined> {
    try {
      await this.attached;
    } catch {
      await this.#done; // throws the start failure
    }
    // parts an earlier capture left under the same name are older than this one's start: skipped
    yield* followFile(this.out, { until: this.#exited, waitForFile: 24 * 3600 * 1000, since: this.#since });
    await this.#done; // a capture that failed makes the loop fail, after its last event
    return undefined;
  }

  then<R1 = T.EventFile, R2 = never>(
    onfulfilled?: ((value: T.EventFile) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#done.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T.EventFile | R> {
    return this.#done.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T.EventFile> {
    return this.#done.finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "Capture";
  }
}

const observers = new Set<(capture: Capture) => void>();

/**
 * Calls `observer` with every capture `collect()` starts from now on in this thread (a notebook kernel shows
 * each one's live status, whether the cell used the global `collect` or imported it); returns the unsubscribe.
 */
export function observeCaptures(observer: (capture: T.Capture) => void): () => void {
  observers.add(observer);
  return () => void observers.delete(observer);
}

/**
 * Runs the native collector with Retis's collect options and resolves to an `EventFile` over what it wrote.
 * Options are checked before anything starts: a mistake throws one `RetisOptionError`; missing rights (root,
 * or CAP_BPF and CAP_PERFMON) throw `RetisPermissionError`; nothing is left behind either way.
 *
 * ```ts
 * const cap = collect({ collectors: ["skb", "skb-drop"], filter: "udp", timeout: 5 });
 * await cap.attached;                       // probes in place
 * for await (const e of cap.follow()) console.log(String(e));
 * const file = await cap;                   // EventFile
 * ```
 */
export function collect(options: T.CollectOptions = {}): Capture {
  const plan = planCollect(options, {
    spelling: "api",
    profiles: false,
    binary: requireCollector,
    cmdline: commandLine(options ?? {}),
    defaultOut: "retis.data",
    print: false,
  });
  const binary = requireCollector();
  checkRights(binary);
  const capture = new Capture(plan, binary);
  for (const observer of observers) {
    try {
      observer(capture);
    } catch {
      // a broken observer must not lose the capture
    }
  }
  return capture;
}
