// The server's message reader: frames from framing.ts, then JSON-RPC's own answers to input that is not a
// message. A body that is not JSON gets a Parse error (-32700) and one that is not a JSON-RPC 2.0 message an
// Invalid Request (-32600), both with id null as the JSON-RPC spec says; the connection never sees them. A
// skipped header is reported on stderr (it has no id to answer).
// It also keeps the backlog: messages read and not yet handled, which a diagnostics check lets go first.
import type { Readable, Writable } from "node:stream";
import type { Connection, DataCallback, Disposable, Message, MessageStrategy, ResponseMessage } from "vscode-languageserver/node.js";
import { AbstractMessageReader, createConnection, ErrorCodes, Message as Messages, StreamMessageWriter } from "./library.js";
import { FrameParser } from "./framing.js";
import { initialize as initializeProblem } from "./params.js";
import type { ServerOptions } from "./server.js";
import type { WatchedInput } from "./stdin.js";

const CANCEL = "$/cancelRequest";

/**
 * Messages read from the client that the connection has not handled yet. vscode-jsonrpc queues what it reads
 * and handles one message per setImmediate, so "read" is not "handled": a check starting in between would not
 * see an edit already received. The connection reports each message it handles (its message strategy).
 */
export class Backlog {
  /** By id, as the connection's queue keys them (a request sent twice with one id is handled once). */
  private readonly requests = new Set<string>();
  private notifications = 0;

  read(message: Message): void {
    if (Messages.isRequest(message)) this.requests.add(String(message.id));
    // A cancellation is often handled as it is read, never reaching the queue: not counted either way.
    else if (Messages.isNotification(message) && message.method !== CANCEL) this.notifications++;
  }

  /** The connection took `message` from its queue to handle it. */
  handled(message: Message): void {
    if (Messages.isRequest(message)) this.requests.delete(String(message.id));
    else if (Messages.isNotification(message) && message.method !== CANCEL) this.notifications = Math.max(0, this.notifications - 1);
  }

  get empty(): boolean {
    return this.requests.size === 0 && this.notifications === 0;
  }
}

export class FramedMessageReader extends AbstractMessageReader {
  private readonly parser = new FrameParser();
  readonly backlog = new Backlog();

  /**
   * @param reply sends an answer to input the connection never sees (through the connection's own writer, so
   *   that it is never interleaved with another message).
   * @param report says what input was skipped (stderr).
   */
  constructor(
    private readonly input: Readable,
    private readonly reply: (message: ResponseMessage) => void,
    private readonly report: (line: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer) => {
      for (const frame of this.parser.push(chunk)) {
        if ("skipped" in frame) this.report(`retis lsp: skipped input from the client: ${frame.skipped}`);
        else this.deliver(frame.body, callback);
      }
    };
    const onEnd = () => this.fireClose();
    const onError = (error: Error) => this.fireError(error);
    this.input.on("data", onData);
    this.input.on("end", onEnd);
    this.input.on("error", onError);
    return {
      dispose: () => {
        this.input.off("data", onData);
        this.input.off("end", onEnd);
        this.input.off("error", onError);
      },
    };
  }

  private deliver(body: Buffer, callback: DataCallback): void {
    let message: unknown;
    try {
      message = JSON.parse(body.toString("utf8"));
    } catch (error) {
      this.refuse(null, ErrorCodes.ParseError, `Parse error: the message body is not JSON (${(error as Error).message})`);
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message) || (message as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      const id = (message as { id?: unknown } | null)?.id;
      const what = Array.isArray(message) ? "a batch (LSP has none)" : typeof message !== "object" || message === null ? `${JSON.stringify(message)}` : 'an object without "jsonrpc": "2.0"';
      this.refuse(typeof id === "number" || typeof id === "string" ? id : null, ErrorCodes.InvalidRequest, `Invalid Request: got ${what}: expected a JSON-RPC 2.0 message`);
      return;
    }
    this.backlog.read(message as Message);
    callback(message as Message);
  }

  private refuse(id: number | string | null, code: number, message: string): void {
    this.report(`retis lsp: ${message}`);
    this.reply({ jsonrpc: "2.0", id, error: { code, message } });
  }
}

/**
 * The server's connection over a watched pipe: our reader, the library's writer (shared with the reader's own
 * answers, so that they never interleave), and the counts a diagnostics check reads.
 */
export function pipeConnection(watched: WatchedInput, output: Writable, report: (line: string) => void): { connection: Connection; input: NonNullable<ServerOptions["input"]> } {
  const writer = new StreamMessageWriter(output);
  const reader = new FramedMessageReader(watched.stream, (message) => void writer.write(message), report);
  const messageStrategy: MessageStrategy = {
    handleMessage(message, next) {
      reader.backlog.handled(message);
      // vscode-languageserver reads initialize's params before any handler of ours sees them (a null
      // `capabilities` was a TypeError): they are checked here.
      const problem = Messages.isRequest(message) && message.method === "initialize" ? initializeProblem(message.params) : undefined;
      if (problem && Messages.isRequest(message)) {
        const answer: ResponseMessage = { jsonrpc: "2.0", id: message.id, error: { code: ErrorCodes.InvalidParams, message: `initialize: ${problem}` } };
        void writer.write(answer);
        return;
      }
      next(message);
    },
  };
  const connection = createConnection(reader, writer, { messageStrategy });
  return { connection, input: { received: () => watched.received(), waiting: () => !reader.backlog.empty } };
}
