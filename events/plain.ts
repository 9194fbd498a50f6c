// Events and sections as plain JSON data for ordinary JavaScript: JSON.stringify cannot write a bigint, so
// Retis's u64 values (bigint here) are written as their exact decimal strings. Nothing else changes.
import type { JsonData } from "../typings/index.js";

/** A copy of `value` that JSON.stringify can write: every bigint as its decimal string, the rest as is. */
export function jsonData<T>(value: T): JsonData<T> {
  return convert(value) as JsonData<T>;
}

function convert(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(convert);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = convert((value as Record<string, unknown>)[key]);
  return out;
}

function toJSON(this: unknown): unknown {
  return convert(this);
}

// Set by `copy` when the value it just copied holds a bigint somewhere.
let sawBigint = false;

/** Gives `o` alone the hidden `toJSON` (its parts have theirs already). */
export function hideToJSON(o: object): void {
  Object.defineProperty(o, "toJSON", HIDDEN_TO_JSON);
}

// One descriptor for every copy: defining it is then all the cost.
const HIDDEN_TO_JSON: PropertyDescriptor = Object.freeze({ value: toJSON, enumerable: false, writable: true, configurable: true });

function copy(v: unknown): unknown {
  if (typeof v !== "object" || v === null) {
    if (typeof v === "bigint") sawBigint = true;
    return v;
  }
  const outer = sawBigint;
  sawBigint = false;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(v)) {
    out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
  } else {
    out = {};
    for (const key of Object.keys(v)) {
      const c = copy((v as Record<string, unknown>)[key]);
      // A JSON key "__proto__" is data (JSON.parse makes it an own property), not the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: c, enumerable: true, writable: true, configurable: true });
      else out[key] = c;
    }
  }
  if (sawBigint) hideToJSON(out);
  sawBigint ||= outer;
  return out;
}

/**
 * A deep copy of JSON data (bigint kept), for toDict(): every object and array in it that holds a bigint
 * gets a hidden `toJSON`, so that `JSON.stringify(e.toDict())`, or of any part of it, writes it instead of
 * throwing; the others need none. Hidden: Object.keys, spreading and deepEqual still see only the data.
 */
export function plainCopy<T>(value: T): T {
  sawBigint = false;
  const out = copy(value) as T;
  sawBigint = false;
  return out;
}
