// The five zeromq sockets of a kernel, bound from a connection file. This layer knows frames, not
// message types: it hands each received multipart message to a callback, sends frames in order, and
// keeps every loop alive across brief socket errors (a client reconnecting must not kill the kernel).
import * as zmq from "zeromq";
import type { ConnectionInfo } from "./connection.js";
import { endpoint } from "./connection.js";

export type Log = (line: string) => void;

/**
 * One socket's outgoing frames, in order. zeromq.js rejects a second `send` while one is pending (EBUSY),
 * so sends on a socket are chained; a failed send is logged and the chain goes on.
 */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(
    private readonly socket: zmq.Writable,
    private readonly name: string,
    private readonly log: Log,
  ) {}

  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(
      () => this.socket.send(frames),
      () => undefined,
    );
    this.tail = next.catch((err: unknown) => this.log(`${this.name}: send failed: ${(err as Error).message}`));
    return this.tail;
  }

  /** Resolves when everything queued so far has been handed to zeromq. */
  flush(): Promise<void> {
    return this.tail;
  }
}

export type Receiver = (frames: Buffer[]) => Promise<void> | void;

/** Resolves after pending I/O callbacks: a receive() that has not settled by then had to wait for a message. */
const afterIo = () => new Promise<false>((resolve) => setImmediate(() => resolve(false)));

export class Sockets {
  readonly shell = new zmq.Router();
  readonly control = new zmq.Router();
  readonly stdin = new zmq.Router();
  /**
   * XPUB rather than PUB: it tells when a client has subscribed. A PUB drops what it publishes before the
   * subscription arrives, and a client's iopub connects on its own reconnect timer (100–200 ms after its
   * first attempt failed, as it does while the kernel is starting), so the status messages of the first
   * request were lost: jupyter_client's wait_for_ready then waits 0.2 s for iopub, finds nothing and
   * starts over.
   */
  readonly iopub = new zmq.XPublisher();
  readonly hb = new zmq.Reply();
  private readonly queues: Record<"shell" | "control" | "stdin" | "iopub", SendQueue>;
  private closed = false;
  /** Topics subscribed on iopub (a client's iopub subscribes to everything: ""). */
  private readonly topics = new Set<string>();
  private subscribed: (() => void)[] = [];
  /** A receive() started by takeQueued that found nothing yet: the serve loop continues with it. */
  private readonly carried = new Map<zmq.Socket, Promise<Buffer[]>>();

  private constructor(private readonly log: Log) {
    // Lingering on close would keep a shutting-down kernel alive while a client is gone.
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.linger = 0;
    this.queues = {
      shell: new SendQueue(this.shell, "shell", log),
      control: new SendQueue(this.control, "control", log),
      stdin: new SendQueue(this.stdin, "stdin", log),
      iopub: new SendQueue(this.iopub, "iopub", log),
    };
  }

  /** Binds all five sockets; rejects with the endpoint that failed. */
  static async bind(info: ConnectionInfo, log: Log): Promise<Sockets> {
    const s = new Sockets(log);
    const pairs: [zmq.Socket, "shell" | "control" | "stdin" | "iopub" | "hb"][] = [
      [s.shell, "shell"],
      [s.control, "control"],
      [s.stdin, "stdin"],
      [s.iopub, "iopub"],
      [s.hb, "hb"],
    ];
    await Promise.all(
      pairs.map(async ([socket, name]) => {
        const at = endpoint(info, name);
        try {
          await socket.bind(at);
        } catch (err) {
          throw new Error(`Could not bind the ${name} channel to ${at}: ${(err as Error).message}`);
        }
      }),
    );
    return s;
  }

  /** True once a client subscribes to iopub; until then what is published is lost. */
  get hasSubscriber(): boolean {
    return this.topics.size > 0;
  }

  /** Resolves once iopub has a subscriber, or after `ms` (a client that never subscribes is still answered). */
  waitForSubscriber(ms: number): Promise<void> {
    if (this.hasSubscriber || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const subscribed = this.subscribed;
      function done(): void {
        clearTimeout(timer);
        const i = subscribed.indexOf(done);
        if (i >= 0) subscribed.splice(i, 1);
        resolve();
      }
      subscribed.push(done);
    });
  }

  /**
   * Reads iopub's (un)subscriptions for as long as the kernel lives: one frame, 1 or 0 then the topic.
   * By default an XPUB passes on a topic's first subscription and its last unsubscription only.
   */
  async subscriptions(): Promise<void> {
    await this.serve(this.iopub, "iopub", (frames) => {
      const frame = frames[0];
      if (!frame || frame.length === 0 || frame[0]! > 1) return;
      const topic = frame.subarray(1).toString("latin1");
      if (frame[0] === 1) this.topics.add(topic);
      else this.topics.delete(topic);
      if (this.hasSubscriber) for (const done of this.subscribed.splice(0)) done();
    });
  }

  send(channel: "shell" | "control" | "stdin" | "iopub", frames: Buffer[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.queues[channel].send(frames);
  }

  /** Waits until every queued frame has been given to zeromq (before exiting). */
  async flush(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.flush()));
  }

  /**
   * Receives from a socket until close, one message at a time: the next is read only once `onMessage`
   * settles, which keeps a channel's requests in order. Errors from the socket are logged and retried.
   */
  async serve(socket: zmq.Readable & zmq.Socket, name: string, onMessage: Receiver): Promise<void> {
    while (!this.closed) {
      let frames: Buffer[];
      try {
        frames = await this.nextMessage(socket);
      } catch (err) {
        if (this.closed || socket.closed) return;
        this.log(`${name}: receive failed, retrying: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      try {
        await onMessage(frames);
      } catch (err) {
        this.log(`${name}: handler failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }

  private nextMessage(socket: zmq.Readable & zmq.Socket): Promise<Buffer[]> {
    const carried = this.carried.get(socket);
    this.carried.delete(socket);
    return carried ?? socket.receive();
  }

  /**
   * The messages already waiting on a socket, read without waiting for more. zeromq.js settles receive()
   * at once when a message is queued and only through its poller otherwise, so a receive that is still
   * pending after I/O callbacks ran means the queue is empty; it is kept for the serve loop.
   * Only call it from inside that socket's serve callback (zeromq.js allows one receive at a time).
   */
  async takeQueued(socket: zmq.Readable & zmq.Socket): Promise<Buffer[][]> {
    const out: Buffer[][] = [];
    while (!this.closed) {
      const next = this.nextMessage(socket);
      const ready = await Promise.race([next.then(() => true, () => true), afterIo()]);
      if (!ready) {
        this.carried.set(socket, next);
        break;
      }
      try {
        out.push(await next);
      } catch {
        break; // the socket is closing; nothing more is queued
      }
    }
    return out;
  }

  /** Heartbeat: echo every ping back unchanged, for as long as the kernel lives. */
  async heartbeat(): Promise<void> {
    await this.serve(this.hb, "hb", async (frames) => {
      try {
        await this.hb.send(frames);
      } catch (err) {
        if (!this.closed) this.log(`hb: echo failed: ${(err as Error).message}`);
      }
    });
  }

  /**
   * Close every socket. `lingerMs` lets zeromq still deliver what was queued (the shutdown_reply and the
   * last idle status): `send` resolves when a message is queued, not when it has left.
   */
  close(lingerMs = 0): void {
    if (this.closed) return;
    this.closed = true;
    for (const done of this.subscribed.splice(0)) done();
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      s.linger = lingerMs;
      s.close();
    }
  }
}
