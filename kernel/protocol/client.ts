// A minimal signing client for this kernel's own benchmarks and smoke checks: one Dealer per request
// channel and a Subscriber on iopub. Test suites use Jupyter's real clients (test/kernel/*.py) instead.
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import type { ConnectionInfo } from "./connection.js";
import { endpoint } from "./connection.js";
import { Signer } from "./hmac.js";
import { decode, encode, newHeader, type RawMessage } from "./wire.js";
import type { MessageType } from "../messages.js";

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

  /** Sends a request and waits for its reply on the same channel. */
  async request(type: MessageType, content: unknown, channel: "shell" | "control" = "shell"): Promise<RawMessage> {
    const socket = channel === "shell" ? this.shell : this.control;
    const header = newHeader(type, this.session, "bench");
    await socket.send(encode({ header, parent_header: {}, metadata: {}, content }, this.signer));
    for (;;) {
      const d = decode(await socket.receive(), this.signer);
      if (d.ok && (d.message.parent_header as { msg_id?: string }).msg_id === header.msg_id) return d.message;
    }
  }

  /** Waits for iopub status idle parented to `msgId`. */
  async idle(msgId: string): Promise<void> {
    for (;;) {
      const d = decode(await this.iopub.receive(), this.signer);
      if (!d.ok) continue;
      const m = d.message;
      if (m.header.msg_type === "status" && (m.parent_header as { msg_id?: string }).msg_id === msgId && (m.content as { execution_state: string }).execution_state === "idle") return;
    }
  }

  close(): void {
    this.shell.close();
    this.control.close();
    this.iopub.close();
  }
}
