// JSON parsing that keeps integers exact. Retis writes u64 values (skb addresses, OVS flow pointers) as bare
// integers above 2^53, which JSON.parse would round: the strict scan (strict.ts) marks them, then the
// engine's JSON.parse builds the value.
import { fastParse, GIVE_UP } from "./fast-parse.js";
import { FLOAT_MARK_CODE, MARK_CODE, scanStrict } from "./strict.js";

/** A parsed JSON value in which integers beyond Number.MAX_SAFE_INTEGER are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

export { JsonSyntaxError } from "./strict.js";

/**
 * Parses `text` strictly (see strict.ts) with one JSON.parse, long integers left as marked strings
 * (`"\udfff<digits>"`) for the caller to turn into bigint where the shape says u64.
 */
export function parseMarked(text: string): JsonValue {
  // Retis's usual text is read in one pass (fast-parse.ts); the rest, and every error, the general way.
  const v = fastParse(text);
  return v !== GIVE_UP ? v : (JSON.parse(scanStrict(text) ?? text) as JsonValue);
}

/** A marked long integer as a bigint, or undefined when `v` is not one. */
export function markedInt(v: unknown): bigint | undefined {
  // The strict scan refuses lone surrogates in the input, so only a mark starts with one.
  return typeof v === "string" && v.charCodeAt(0) === MARK_CODE ? BigInt(v.slice(1)) : undefined;
}

/** A marked number that is not a plain integer (1.5, 1e2, -0) as a number, or undefined. */
export function markedFloat(v: unknown): number | undefined {
  return typeof v === "string" && v.charCodeAt(0) === FLOAT_MARK_CODE ? Number(v.slice(1)) : undefined;
}

/** The JSON text of a marked number, or undefined (for messages). */
export function markedText(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const c = v.charCodeAt(0);
  return c === MARK_CODE || c === FLOAT_MARK_CODE ? v.slice(1) : undefined;
}

/** Replaces marked numbers by bigint or number, in place (for members with no declared shape). */
export function unmark(v: JsonValue): JsonValue {
  if (typeof v === "string") return markedInt(v) ?? markedFloat(v) ?? v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unmark(v[i]!);
  } else if (typeof v === "object" && v !== null) {
    for (const k in v) v[k] = unmark(v[k]!);
  }
  return v;
}

/** Parses `text` as strict JSON, keeping every integer exact (bigint beyond 2^53). */
export function parseExact(text: string): JsonValue {
  return unmark(parseMarked(text));
}

/**
 * Offset just past the string starting at `start` (which holds '"'), or -1 when it is not closed.
 * Jumps between quotes with indexOf: strings are most of an event line.
 */
export function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}
