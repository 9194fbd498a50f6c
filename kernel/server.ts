// The kernel proper: sockets in, handlers out. Every request goes through the same steps —
// verify the signature (a forged or unsigned message is logged and dropped, never parsed further, since
// cells run with the user's full rights) → check its shape → status busy → dispatch → reply parented to
// the request → status idle in `finally`, so a failing handler never leaves a front end showing "busy".
import { randomUUID } from "node:crypto";
import type { Engine } from "../engine/index.js";
import { STDIN_NOT_ALLOWED } from "./display/input.js";
import type { HandlerContext, IopubType } from "./handlers/context.js";
import { History } from "./handlers/history.js";
import { dispatch, tag } from "./handlers/index.js";
import type { Contents, Header, MessageType, Request } from "./messages.js";
import { REPLY_TYPE, isControlRequest, isShellRequest, requestProblem } from "./messages.js";
import type { Signer } from "./protocol/hmac.js";
import type { Log, Sockets } from "./protocol/sockets.js";
import { SeenSignatures } from "./protocol/replay.js";
import { chartSpec, withChartSvg } from "./display/vega.js";
import { decode, encode, newHeader, type RawMessage } from "./protocol/wire.js";

export interface ServerOptions {
  /** Starts the engine; called once, after the kernel has answered its first request (see `warmEngine`). */
  startEngine(): Promise<Engine>;
  /** Where the kernel's own diagnostics go (stderr; the front end's log). */
  log: Log;
  /** Called once the sockets are closed after shutdown_request; the process should exit. */
  onShutdown(restart: boolean): void;
  /** Start the engine at the latest this many ms after the sockets are up, even with no request (default 250). */
  engineDelayMs?: number;
  /** How long the first requests wait for a first iopub subscriber before they are answered anyway (default 500). */
  subscriberWaitMs?: number;
}

type ReplyChannel = "shell" | "control";


export class KernelServer {
  readonly session = randomUUID();
  private readonly history = new History();
  /** One history for all channels, as jupyter_client's Session: a message replayed on another channel is refused too. */
  private readonly seen = new SeenSignatures();
  private executionCount = 0;
  private enginePromise: Promise<Engine> | undefined;
  private engineValue: Engine | undefined;
  /** The shell request being handled: input_request goes to its identities, parented to it. */
  private current: { identities: Buffer[]; header: Header } | undefined;
  private pendingInput: ((value: string) => void) | undefined;
  private stopping = false;
  /** iopub messages waiting behind a chart's SVG being drawn; undefined when none is (the usual case). */
  private iopubTail: Promise<void> | undefined;
  /** Settles once iopub had a first subscriber, or the wait for one ran out (see `handle`). */
  private firstSubscriber: Promise<void> | undefined;
  /** What the shutdown_request asked for (a restart is the front end's job: it starts a new process). */
  private restart = false;

  constructor(
    private readonly sockets: Sockets,
    private readonly signer: Signer,
    private readonly options: ServerOptions,
  ) {
  }

  /** Serve all channels until shutdown. Resolves when the sockets close. */
  async run(): Promise<void> {
    this.publish("status", { execution_state: "starting" }, {});
    // The engine loads TypeScript and warms a LanguageService (about a second of CPU on this thread). Doing
    // that before the first kernel_info_reply would delay every client's "kernel ready", so it starts
    // after the first reply or after a short delay, whichever comes first.
    const timer = setTimeout(() => void this.engine().catch(() => undefined), this.options.engineDelayMs ?? 250);
    timer.unref();
    await Promise.all([
      this.sockets.serve(this.sockets.shell, "shell", (f) => this.handle("shell", f)),
      this.sockets.serve(this.sockets.control, "control", (f) => this.handle("control", f)),
      this.sockets.serve(this.sockets.stdin, "stdin", (f) => this.onStdin(f)),
      this.sockets.subscriptions(),
      this.sockets.heartbeat(),
    ]);
  }

  engine(): Promise<Engine> {
    if (!this.enginePromise) {
      this.enginePromise = this.options.startEngine().then(
        (e) => (this.engineValue = e),
        (err: unknown) => {
          this.options.log(`engine failed to start: ${(err as Error).stack ?? String(err)}`);
          throw err;
        },
      );
    }
    return this.enginePromise;
  }

  /** One received multipart message on shell or control; `abortExecute` when it was queued behind a failed cell. */
  async handle(channel: ReplyChannel, frames: Buffer[], abortExecute = false): Promise<void> {
    const decoded = decode(frames, this.signer, this.seen);
    if (!decoded.ok) {
      this.options.log(`${channel}: ${decoded.forged ? "rejected" : "dropped"} a message: ${decoded.reason}`);
      return;
    }
    const { identities, message } = decoded;
    const valid = channel === "shell" ? isShellRequest(message) : isControlRequest(message);
    if (!valid) {
      const problem = requestProblem(message);
      // The spec lets a kernel ignore what it does not handle; say so in the log rather than guess a reply.
      this.options.log(`${channel}: ignored ${problem ?? `${message.header.msg_type} (not a ${channel} request)`}`);
      return;
    }
    const req = tag(message as Request);
    const parent = message.header;
    // The first requests usually arrive before the client's iopub has subscribed (both connect on the
    // client's reconnect timer): their status and outputs would be lost, and jupyter_client, which waits
    // for an iopub message after the kernel_info_reply, would ask again 0.2 s later. So the kernel waits for
    // a first subscriber, briefly and once: later, a client without iopub is answered at once.
    this.firstSubscriber ??= this.sockets.waitForSubscriber(this.options.subscriberWaitMs ?? 500);
    await this.firstSubscriber;
    const previous = this.current;
    if (channel === "shell") this.current = { identities, header: parent };
    this.publish("status", { execution_state: "busy" }, parent);
    let waiting: Buffer[][] = [];
    try {
      if (req.type === "execute_request" && abortExecute) {
        await this.reply(channel, identities, parent, "execute_reply", { status: "aborted" });
        return;
      }
      const reply = await dispatch(this.context(parent), req).catch((err: unknown) => {
        // A handler bug still gets an error reply, so the client does not wait forever.
        this.options.log(`${req.type} failed: ${(err as Error).stack ?? String(err)}`);
        const type = REPLY_TYPE[req.type as keyof typeof REPLY_TYPE] as MessageType | undefined;
        const e = err as Error;
        return type && { type, content: { status: "error", ename: e.name ?? "Error", evalue: e.message ?? String(err), traceback: [] } };
      });
      // Cells sent together ("Run All") must not run past a failure, as with ipykernel: the requests already
      // waiting behind this one are answered "aborted". They are taken before the error reply goes out, so
      // a request sent after the client saw the error is never among them.
      if (channel === "shell" && req.type === "execute_request" && reply?.content.status === "error" && req.msg.content.stop_on_error !== false) {
        waiting = await this.sockets.takeQueued(this.sockets.shell);
      }
      if (reply) await this.reply(channel, identities, parent, reply.type, reply.content);
    } finally {
      this.publish("status", { execution_state: "idle" }, parent);
      if (channel === "shell") this.current = previous;
    }
    for (const queued of waiting) await this.handle("shell", queued, true);
    if (req.type === "kernel_info_request" || this.stopping) {
      if (!this.stopping) void this.engine().catch(() => undefined);
      else await this.stop();
    }
  }

  private context(parent: Header): HandlerContext {
    const server = this;
    return {
      engine: () => this.engine(),
      history: this.history,
      get executionCount() {
        return server.executionCount;
      },
      set executionCount(n: number) {
        server.executionCount = n;
      },
      publish: <T extends IopubType>(type: T, content: Contents[T]) => this.publish(type, content, parent),
      input: (prompt, password) => this.requestInput(prompt, password),
      interrupt: () => this.interrupt(),
      engineGone: () => {
        const gone = this.engineValue;
        this.engineValue = undefined;
        this.enginePromise = undefined;
        void gone?.close().catch(() => undefined);
      },
      shutdown: (restart) => {
        this.stopping = true;
        this.restart = restart;
      },
    };
  }

  /**
   * Stop the running cell (interrupt_request or SIGINT). A pending input() is then answered empty, so that
   * the kernel stops waiting for an input_reply that the front end will no longer send; the cell is already
   * stopped by then and never sees that empty answer.
   */
  interrupt(): void {
    this.engineValue?.interrupt();
    this.pendingInput?.("");
  }

  private async stop(): Promise<void> {
    // An engine still starting is waited for, so that its thread does not outlive the kernel.
    const engine = this.engineValue ?? (this.enginePromise ? await this.enginePromise.catch(() => undefined) : undefined);
    if (engine) await engine.close().catch((err: unknown) => this.options.log(`engine close: ${(err as Error).message}`));
    await this.iopubTail;
    await this.sockets.flush();
    this.sockets.close(1000);
    this.options.onShutdown(this.restart);
  }

  /**
   * Publish on iopub. A Vega-Lite output gets its SVG fallback drawn by Vega first (display/vega.ts); the
   * messages published meanwhile wait behind it, so the order is kept.
   */
  publish<T extends MessageType>(type: T, content: Contents[T], parent: Header | Record<string, never>): void {
    const data = (content as { data?: unknown } | null)?.data;
    const chart = typeof data === "object" && data !== null && chartSpec(data as Record<string, unknown>) !== undefined;
    if (!chart && !this.iopubTail) return this.send(type, content, parent);
    const ready = chart ? withChartSvg(data as Record<string, unknown>, this.options.log).then((d) => ({ ...(content as object), data: d }) as Contents[T]) : content;
    // Never rejects: a rejection here would be unhandled, and a later message must not wait on a broken one.
    const tail = Promise.all([this.iopubTail, ready])
      .then(([, c]) => this.send(type, c, parent))
      .catch((err: unknown) => this.options.log(`iopub: ${type} not published: ${(err as Error).stack ?? String(err)}`));
    this.iopubTail = tail;
    void tail.finally(() => {
      if (this.iopubTail === tail) this.iopubTail = undefined;
    });
  }

  /** Send on iopub now; the topic names the kernel and the type, as ipykernel does (`kernel.<id>.<type>`). */
  private send<T extends MessageType>(type: T, content: Contents[T], parent: Header | Record<string, never>): void {
    const frames = encode({ header: newHeader(type, this.session), parent_header: parent, metadata: {}, content }, this.signer, [
      Buffer.from(`kernel.${this.session}.${type}`),
    ]);
    void this.sockets.send("iopub", frames);
  }

  private async reply(channel: ReplyChannel, identities: Buffer[], parent: Header, type: MessageType, content: unknown): Promise<void> {
    // A request's outputs go before its reply, as with ipykernel: clients read iopub briefly after the reply
    // (jupyter_kernel_test waits 0.1 s), so a chart's SVG being drawn holds the reply back too.
    await this.iopubTail;
    const frames = encode({ header: newHeader(type, this.session), parent_header: parent, metadata: {}, content }, this.signer, identities);
    return this.sockets.send(channel, frames);
  }

  // ---- stdin: input() in a cell → input_request to the front end → input_reply back to the cell ----

  private async requestInput(prompt: string, password: boolean): Promise<string> {
    const current = this.current;
    if (!current) throw new Error(STDIN_NOT_ALLOWED);
    if (this.pendingInput) throw new Error("input(): another input is already waiting for an answer");
    const value = new Promise<string>((resolve) => (this.pendingInput = resolve));
    const frames = encode(
      { header: newHeader("input_request", this.session), parent_header: current.header, metadata: {}, content: { prompt, password } },
      this.signer,
      current.identities,
    );
    await this.sockets.send("stdin", frames);
    const v = await value;
    this.pendingInput = undefined;
    return v;
  }

  private onStdin(frames: Buffer[]): void {
    const decoded = decode(frames, this.signer, this.seen);
    if (!decoded.ok) {
      this.options.log(`stdin: ${decoded.forged ? "rejected" : "dropped"} a message: ${decoded.reason}`);
      return;
    }
    const m: RawMessage = decoded.message;
    const value = (m.content as { value?: unknown } | null)?.value;
    if (m.header.msg_type !== "input_reply" || typeof value !== "string") {
      this.options.log(`stdin: ignored ${m.header.msg_type}`);
      return;
    }
    this.pendingInput?.(value);
  }
}
