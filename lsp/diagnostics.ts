// Pushed diagnostics, computed off the request path. Node runs one thing at a time and a type-check is
// synchronous, so "never wait behind a check" means: checks start only after a quiet time without edits or
// requests, one document per macrotask (requests read meanwhile run between two documents), and every
// interactive request pushes the pending round back (typescript-language-server's interruptGetErr idea).
// A running check stops when the client sends anything (the server's `check` reports it, see server.ts).
// The quiet time is the least one (200 ms, typescript-language-server's) as long as rounds run to the end, so
// a type error shows as soon as the typist pauses; only after a round was stopped by input (a pause shorter
// than a check) does it grow to twice the longest whole check, so that short pauses do not keep starting
// checks only to throw their work away. (It used to grow after every round: a 500-line script then waited
// 2 × its check before each round, slower than typescript-language-server to show an error.)

export interface DiagnosticsSchedulerOptions {
  /** Least quiet time after the last edit or request before checking (ms). */
  delay: number;
  /** Most quiet time, however long checks take (ms); default 1000. */
  maxDelay?: number;
  /** Awaited before each round (the engine starting): requests that waited for the same thing go first. */
  prepare(): Promise<unknown>;
  /** The documents to check now (every open one: an edit in one notebook cell changes its later cells). */
  documents(): string[];
  /**
   * Check one document and publish its diagnostics; may be async (waiting for the engine). `false`: the check
   * stopped early for input from the client, so the round stops and runs again after the quiet time.
   */
  check(uri: string): Promise<boolean | void> | boolean | void;
  /** A check that threw: reported, never fatal. */
  onError(uri: string, error: unknown): void;
}

export class DiagnosticsScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by each edit or request: a round in progress stops when it no longer matches. */
  private generation = 0;
  private running = false;
  /** A round is owed (an edit happened since the last complete round). */
  private owed = false;
  private idleWaiters: (() => void)[] = [];
  /** The longest single check of the last complete round (ms). */
  private longestCheck = 0;
  /** The last round was stopped by input: the typist pauses for less than a check takes. */
  private backOff = false;

  constructor(private readonly options: DiagnosticsSchedulerOptions) {}

  /** A document changed: check everything after the quiet time. */
  changed(): void {
    this.owed = true;
    this.restart();
  }

  /** An interactive request arrived: move the pending (or stop the running) round after it. */
  postpone(): void {
    if (this.owed || this.running) this.restart();
  }

  /** Resolves once no round is owed or running (for shutdown and tests of the scheduler). */
  idle(): Promise<void> {
    if (!this.owed && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    this.owed = false;
    this.settle();
  }

  /** The quiet time before the next round (ms): the least one, unless the last round was stopped by input. */
  quietTime(): number {
    if (!this.backOff) return this.options.delay;
    return Math.min(this.options.maxDelay ?? 1000, Math.max(this.options.delay, 2 * this.longestCheck));
  }

  private restart(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), this.quietTime());
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    if (this.running) return; // the running round sees the new generation, stops and reschedules
    this.running = true;
    const generation = this.generation;
    this.owed = false;
    let interrupted = false;
    let longest = 0;
    try {
      try {
        await this.options.prepare();
      } catch (error) {
        // Reported, not thrown: this round runs from a timer, where a rejection would end the process.
        this.options.onError("every document", error);
        return;
      }
      for (const uri of this.options.documents()) {
        // Macrotask boundaries: requests already read (or woken by `prepare`) are answered before this check.
        // Two: a message read in the same loop turn as the first was queued behind it (vscode-jsonrpc handles
        // its queue on setImmediate too), and its handler must run before a check that would not see it coming.
        for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
        if (generation !== this.generation) {
          interrupted = true;
          break;
        }
        const start = performance.now();
        let stopped = false;
        try {
          stopped = (await this.options.check(uri)) === false;
        } catch (error) {
          this.options.onError(uri, error);
        }
        if (stopped) {
          interrupted = true;
          break;
        }
        longest = Math.max(longest, performance.now() - start);
      }
    } finally {
      this.running = false;
    }
    // Even an interrupted round measured real checks: the next quiet time counts them.
    this.longestCheck = Math.max(longest, interrupted ? this.longestCheck : 0);
    this.backOff = interrupted;
    if (interrupted || generation !== this.generation) {
      this.owed = true;
      if (this.timer === undefined) this.restart();
      return;
    }
    this.settle();
  }

  private settle(): void {
    if (this.owed || this.running) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
