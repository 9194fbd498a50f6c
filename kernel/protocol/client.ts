// A minimal signing client for this kernel's own benchmarks and smoke checks: one Dealer per request
// channel and a Subscriber on iopub. Test suites use Jupyter's real clients (test/kernel/*.py) instead.
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import type { ConnectionInfo } from "./connection.js";
import { endpoint } from "./connection.js";
import { Signer } from "./hmac.js";
import { decode, encode, newHeader, type RawMessage } from "./wire.js";
import type { Header, MessageType } from "../messages.js";

export class KernelClient {
  readonly session = randomUUID();
  private readonly signer: Signer;
  readonly shell = new zmq.Dealer({ routingId: this.session, reconnectInterval: 5, linger: 0 });
  readonly control = new zmq.Dealer({ routingId: `${this.session}-c`, reconnectInterval: 5, linger: 0 });
  readonly iopub = new zmq.Subscriber({ reconnectInterval: 5, linger: 0 });

  constructor(readonly info: ConnectionInfo) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.shell.connect(endpoint(info, "shell"));
    this.control.connect(endpoint(info, "control"));
    this.iopub.connect(endpoint(info, "iopub"));
    this.iopub.subscribe();
  }

  private readonly early = new Map<string, RawMessage>();

  /** Sends a request without waiting; returns its header. */
  async send(type: MessageType, content: unknown, channel: "shell" | "control" = "shell", key?: string): Promise<Header> {
    const { header, frames } = this.signed(type, content, key);
    await this.sendFrames(frames, channel);
    return header;
  }

  /** A request's frames, signed (with `key` instead of the connection's when given), not sent. */
  signed(type: MessageType, content: unknown, key?: string): { header: Header; frames: Buffer[] } {
    const header = newHeader(type, this.session, "bench");
    return { header, frames: encode({ header, parent_header: {}, metadata: {}, content }, key === undefined ? this.signer : new Signer(key)) };
  }

  /** Sends frames as they are (a replay sends the same frames twice). */
  async sendFrames(frames: Buffer[], channel: "shell" | "control" = "shell"): Promise<void> {
    await (channel === "shell" ? this.shell : this.control).send(frames);
  }

  /** The reply to `msgId` on a channel; replies to other requests read meanwhile are kept for their callers. */
  async reply(msgId: string, channel: "shell" | "control" = "shell"): Promise<RawMessage> {
    const socket = channel === "shell" ? this.shell : this.control;
    for (;;) {
      const kept = this.early.get(msgId);
      if (kept) {
        this.early.delete(msgId);
        return kept;
      }
      const d = decode(await socket.receive(), this.signer);
      if (!d.ok) throw new Error(`reply from the kernel failed to decode: ${d.reason}`);
      const parent = (d.message.parent_header as { msg_id?: string }).msg_id;
      if (parent === msgId) return d.message;
      if (parent) this.early.set(parent, d.message);
    }
  }

  /** Sends a request and waits for its reply on the same channel. */
  async request(type: MessageType, content: unknown, channel: "shell" | "control" = "shell"): Promise<RawMessage> {
    const header = await this.send(type, content, channel);
    return this.reply(header.msg_id, channel);
  }

  private readonly published = new Map<string, RawMessage[]>();
  private readonly waiters = new Map<string, () => void>();
  private pumping = false;

  /**
   * One reader drains iopub into per-request lists (zeromq.js allows one pending receive per socket, so
   * callers never read the socket themselves).
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      while (!this.iopub.closed) {
        let frames: Buffer[];
        try {
          frames = await this.iopub.receive();
        } catch {
          break; // closed
        }
        const d = decode(frames, this.signer);
        if (!d.ok) continue;
        const parent = (d.message.parent_header as { msg_id?: string }).msg_id ?? "";
        this.published.set(parent, [...(this.published.get(parent) ?? []), d.message]);
        this.waiters.get(parent)?.();
      }
    })();
  }

  private isDone(msgId: string): boolean {
    return (this.published.get(msgId) ?? []).some(
      (m) => m.header.msg_type === "status" && (m.content as { execution_state: string }).execution_state === "idle",
    );
  }

  /** The iopub messages parented to `msgId`, from busy to idle inclusive. */
  async iopubFor(msgId: string, timeoutMs = 60_000): Promise<RawMessage[]> {
    this.pump();
    if (!this.isDone(msgId)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiters.delete(msgId);
          reject(new Error(`no idle status for ${msgId} on iopub within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiters.set(msgId, () => {
          if (!this.isDone(msgId)) return;
          clearTimeout(timer);
          this.waiters.delete(msgId);
          resolve();
        });
      });
    }
    const list = this.published.get(msgId)!;
    this.published.delete(msgId);
    return list;
  }

  /**
   * Waits until the kernel answers and iopub delivers: a SUB socket only receives what is published after
   * its subscription reached the kernel, so kernel_info is asked until its status messages arrive.
   */
  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const h = await this.send("kernel_info_request", {});
      await this.reply(h.msg_id);
      const got = await this.iopubFor(h.msg_id, 250).then(
        () => true,
        () => false,
      );
      if (got) return;
    }
    throw new Error(`the kernel's iopub delivered nothing within ${timeoutMs} ms`);
  }

  close(): void {
    this.shell.close();
    this.control.close();
    this.iopub.close();
  }
}
