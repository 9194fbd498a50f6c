// The wire format: [routing ids…, "<IDS|MSG>", signature, header, parent_header, metadata, content,
// buffers…]. Decoding verifies the signature before parsing any JSON, so a forged message is never
// even looked at beyond its frame count.
import { randomUUID } from "node:crypto";
import type { Header, MessageType } from "../messages.js";
import { PROTOCOL_VERSION } from "../messages.js";
import type { Signer } from "./hmac.js";
import type { SeenSignatures } from "./replay.js";

export const DELIMITER = Buffer.from("<IDS|MSG>");

/** A message as it travels, before its content is checked against a type. */
export interface RawMessage {
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: unknown;
  buffers: Buffer[];
}

/** A message ready to encode: a header plus the three other JSON parts. */
export interface OutgoingMessage {
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: unknown;
  buffers?: readonly Buffer[];
}

export type Decoded =
  | { ok: true; identities: Buffer[]; message: RawMessage }
  | { ok: false; identities: Buffer[]; reason: string; forged: boolean };

/**
 * JSON for the wire. Event fields are bigint (u64 values beyond 2^53); JSON.stringify would throw on
 * them, so they travel as decimal strings, the way Retis's own JSON readers accept them.
 */
export function toJSON(value: unknown): string {
  try {
    // Without a replacer first: calling one for every value of every message costs more than the rare retry.
    return JSON.stringify(value) ?? "null";
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
  }
}

/** Frames of a message, signed. `identities` route a reply (ROUTER) or name the topic (PUB). */
export function encode(msg: OutgoingMessage, signer: Signer, identities: readonly Buffer[] = []): Buffer[] {
  const parts = [
    Buffer.from(toJSON(msg.header)),
    Buffer.from(toJSON(msg.parent_header)),
    Buffer.from(toJSON(msg.metadata)),
    Buffer.from(toJSON(msg.content)),
  ];
  return [...identities, DELIMITER, Buffer.from(signer.sign(parts)), ...parts, ...(msg.buffers ?? [])];
}

/**
 * Splits, verifies and parses frames. A bad signature, or one already in `seen` (a replay), gives
 * `forged: true`: the caller logs and drops it. Malformed frames (no delimiter, too few parts, bad JSON)
 * give `forged: false`.
 */
export function decode(frames: readonly Buffer[], signer: Signer, seen?: SeenSignatures): Decoded {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  const identities = at < 0 ? [...frames] : frames.slice(0, at);
  if (at < 0) return { ok: false, identities, reason: "no <IDS|MSG> delimiter", forged: false };
  if (frames.length < at + 6) {
    return { ok: false, identities, reason: `${frames.length - at - 1} frames after the delimiter: expected at least 5`, forged: false };
  }
  const signature = frames[at + 1]!;
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) {
    const reason = signature.length === 0 ? "unsigned message" : "signature does not match";
    return { ok: false, identities, reason, forged: true };
  }
  // Only a verified signature is remembered: forged ones must not be able to push real ones out.
  if (seen && signer.enabled && !seen.add(signature.toString("ascii"))) {
    return { ok: false, identities, reason: "replayed message: its signature was already used", forged: true };
  }
  const names = ["header", "parent_header", "metadata", "content"] as const;
  const json: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    try {
      json.push(JSON.parse(parts[i]!.toString("utf8")));
    } catch (err) {
      return { ok: false, identities, reason: `${names[i]} is not JSON: ${(err as Error).message}`, forged: false };
    }
  }
  const [header, parent, metadata, content] = json;
  if (typeof header !== "object" || header === null) return { ok: false, identities, reason: "header is not an object", forged: false };
  return {
    ok: true,
    identities,
    message: {
      header: header as Header,
      parent_header: (typeof parent === "object" && parent !== null ? parent : {}) as RawMessage["parent_header"],
      metadata: (typeof metadata === "object" && metadata !== null ? metadata : {}) as Record<string, unknown>,
      content,
      buffers: frames.slice(at + 6),
    },
  };
}

/** A fresh header for a message of this kernel's session. */
export function newHeader<T extends MessageType>(msgType: T, session: string, username = "retis"): Header<T> {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}
