// Jupyter messages (protocol 5.3) as types: one content interface per msg_type, a union keyed by
// msg_type, per-channel unions, and guards that check a decoded message before a handler trusts it.
// Spec: https://jupyter-client.readthedocs.io/en/stable/messaging.html

/** Advertised protocol version: Debian's jupyter_client 7.4.9 speaks 5.3, and 5.3 brings interrupt_request. */
export const PROTOCOL_VERSION = "5.3";

/** Every message's header. `date` is ISO 8601 with a time zone; `version` is the protocol version. */
export interface Header<T extends string = string> {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: T;
  version: string;
}

/** A MIME bundle: MIME type → data (string, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown>;

/** Content of a reply that failed; `ename`/`evalue`/`traceback` as in the `error` iopub message. */
export interface ErrorContent {
  status: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

/**
 * A reply's content: its own fields with `status: "ok"`, or an error, or `aborted`: an execute_request
 * skipped because an earlier cell failed with stop_on_error. The spec text says "aborted", ipykernel sends it
 * and clients handle it; @jupyterlab/services' types spell it "abort" (see jupyterlab#3542).
 */
export type ReplyContent<T> = (T & { status: "ok" }) | ErrorContent | { status: "aborted" };

export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  pygments_lexer?: string;
  codemirror_mode?: string | Record<string, unknown>;
  nbconvert_exporter?: string;
}

/** Request and reply contents, by msg_type. */
export interface Contents {
  kernel_info_request: Record<string, never>;
  kernel_info_reply: ReplyContent<{
    protocol_version: string;
    implementation: string;
    implementation_version: string;
    language_info: LanguageInfo;
    banner: string;
    help_links?: { text: string; url: string }[];
  }>;
  execute_request: {
    code: string;
    silent: boolean;
    store_history: boolean;
    user_expressions: Record<string, string>;
    allow_stdin: boolean;
    stop_on_error: boolean;
  };
  execute_reply: ReplyContent<{ execution_count: number; user_expressions?: Record<string, unknown>; payload?: unknown[] }> & {
    execution_count?: number;
  };
  complete_request: { code: string; cursor_pos: number };
  complete_reply: ReplyContent<{
    matches: string[];
    cursor_start: number;
    cursor_end: number;
    metadata: Record<string, unknown>;
  }>;
  inspect_request: { code: string; cursor_pos: number; detail_level: 0 | 1 };
  inspect_reply: ReplyContent<{ found: boolean; data: MimeBundle; metadata: Record<string, unknown> }>;
  is_complete_request: { code: string };
  is_complete_reply: { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };
  history_request: {
    output: boolean;
    raw: boolean;
    hist_access_type: "range" | "tail" | "search";
    session?: number;
    start?: number;
    stop?: number;
    n?: number;
    pattern?: string;
    unique?: boolean;
  };
  /** Entries are [session, line, input] or, with `output`, [session, line, [input, output]]. */
  history_reply: ReplyContent<{ history: [number, number, string | [string, string | null]][] }>;
  comm_info_request: { target_name?: string };
  comm_info_reply: ReplyContent<{ comms: Record<string, { target_name: string }> }>;
  shutdown_request: { restart: boolean };
  shutdown_reply: ReplyContent<{ restart: boolean }>;
  interrupt_request: Record<string, never>;
  interrupt_reply: ReplyContent<object>;
  comm_open: { comm_id: string; target_name: string; data: Record<string, unknown> };
  comm_msg: { comm_id: string; data: Record<string, unknown> };
  comm_close: { comm_id: string; data: Record<string, unknown> };
  // iopub
  status: { execution_state: "busy" | "idle" | "starting" };
  stream: { name: "stdout" | "stderr"; text: string };
  execute_input: { code: string; execution_count: number };
  execute_result: { execution_count: number; data: MimeBundle; metadata: Record<string, unknown> };
  display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient?: { display_id?: string } };
  update_display_data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id: string } };
  clear_output: { wait: boolean };
  error: Omit<ErrorContent, "status">;
  // stdin
  input_request: { prompt: string; password: boolean };
  input_reply: { value: string };
}

export type MessageType = keyof Contents;

/** A message of one type. `parent_header` is `{}` when there is no parent. */
export interface Message<T extends MessageType = MessageType> {
  header: Header<T>;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: Contents[T];
  /** Raw binary frames after the content; unused by this kernel but kept, as the spec allows them. */
  buffers: Buffer[];
}

/** The union of all messages, told apart by `header.msg_type`. */
export type AnyMessage = { [T in MessageType]: Message<T> }[MessageType];

export type ShellRequestType =
  | "kernel_info_request"
  | "execute_request"
  | "complete_request"
  | "inspect_request"
  | "is_complete_request"
  | "history_request"
  | "comm_info_request"
  | "shutdown_request"
  | "comm_open"
  | "comm_msg"
  | "comm_close";

/** Requests on control: interrupt and shutdown (5.3), plus kernel_info which clients may send there too. */
export type ControlRequestType = "interrupt_request" | "shutdown_request" | "kernel_info_request";

export type RequestType = ShellRequestType | ControlRequestType;
export type Request = { [T in RequestType]: Message<T> }[RequestType];
export type ShellRequest = { [T in ShellRequestType]: Message<T> }[ShellRequestType];
export type ControlRequest = { [T in ControlRequestType]: Message<T> }[ControlRequestType];

/** Reply type of each request that has one (comm messages have none). */
export const REPLY_TYPE = {
  kernel_info_request: "kernel_info_reply",
  execute_request: "execute_reply",
  complete_request: "complete_reply",
  inspect_request: "inspect_reply",
  is_complete_request: "is_complete_reply",
  history_request: "history_reply",
  comm_info_request: "comm_info_reply",
  shutdown_request: "shutdown_reply",
  interrupt_request: "interrupt_reply",
} as const satisfies Partial<Record<RequestType, MessageType>>;

type FieldKind = "string" | "number" | "boolean" | "object";
/**
 * Required content fields of each request and their kinds; optional fields get defaults in `normalize`.
 * A table, as @jupyterlab/services' validate.ts, so that adding a message is one line.
 */
const REQUIRED: Record<RequestType, Record<string, FieldKind>> = {
  kernel_info_request: {},
  execute_request: { code: "string" },
  complete_request: { code: "string", cursor_pos: "number" },
  inspect_request: { code: "string", cursor_pos: "number" },
  is_complete_request: { code: "string" },
  history_request: { hist_access_type: "string" },
  comm_info_request: {},
  shutdown_request: {},
  interrupt_request: {},
  comm_open: { comm_id: "string", target_name: "string" },
  comm_msg: { comm_id: "string" },
  comm_close: { comm_id: "string" },
};

const SHELL = new Set<string>([
  "kernel_info_request",
  "execute_request",
  "complete_request",
  "inspect_request",
  "is_complete_request",
  "history_request",
  "comm_info_request",
  "shutdown_request",
  "comm_open",
  "comm_msg",
  "comm_close",
] satisfies ShellRequestType[]);
const CONTROL = new Set<string>(["interrupt_request", "shutdown_request", "kernel_info_request"] satisfies ControlRequestType[]);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** True when `h` has every header field as a string. */
export function isHeader(h: unknown): h is Header {
  return (
    isObject(h) &&
    typeof h.msg_id === "string" &&
    typeof h.session === "string" &&
    typeof h.msg_type === "string" &&
    (h.username === undefined || typeof h.username === "string")
  );
}

/**
 * Why `msg` is not a well-formed request of a type this kernel handles, or undefined when it is one.
 * Messages from a client are only trusted after this returns undefined.
 */
export function requestProblem(msg: unknown): string | undefined {
  if (!isObject(msg)) return "not an object";
  if (!isHeader(msg.header)) return "header lacks msg_id, session or msg_type";
  const type = msg.header.msg_type;
  if (!(type in REQUIRED)) return `unknown msg_type '${type}'`;
  if (!isObject(msg.content)) return `${type}: content is not an object`;
  for (const [field, kind] of Object.entries(REQUIRED[type as RequestType])) {
    const v = msg.content[field];
    if (typeof v !== kind || (kind === "object" && !isObject(v))) {
      return `${type}: content.${field} is ${JSON.stringify(v)}: expected a ${kind}`;
    }
  }
  return undefined;
}

/** A request of a type this kernel handles, with the required fields present. */
export function isRequest(msg: unknown): msg is Request {
  return requestProblem(msg) === undefined;
}

/** A request that is valid on the shell channel. */
export function isShellRequest(msg: unknown): msg is ShellRequest {
  return isRequest(msg) && SHELL.has(msg.header.msg_type);
}

/** A request that is valid on the control channel. */
export function isControlRequest(msg: unknown): msg is ControlRequest {
  return isRequest(msg) && CONTROL.has(msg.header.msg_type);
}

/** Narrows a message to one type. */
export function isMessageOf<T extends MessageType>(msg: AnyMessage, type: T): msg is Extract<AnyMessage, Message<T>> {
  return msg.header.msg_type === type;
}

/** Fills the optional fields of an execute_request with the spec's defaults. */
export function executeDefaults(c: Partial<Contents["execute_request"]> & { code: string }): Contents["execute_request"] {
  return {
    code: c.code,
    silent: c.silent ?? false,
    store_history: c.store_history ?? !(c.silent ?? false),
    user_expressions: isObject(c.user_expressions) ? (c.user_expressions as Record<string, string>) : {},
    allow_stdin: c.allow_stdin ?? true,
    stop_on_error: c.stop_on_error ?? true,
  };
}
