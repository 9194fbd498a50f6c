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

/**
 * Gives `dict` (a toDict() result) and every object and array in it a hidden `toJSON`, so that
 * `JSON.stringify(e.toDict())`, or of any part of it, writes it instead of throwing on its bigints. Hidden:
 * Object.keys, spreading and deepEqual still see only the data.
 */
export function stringifiable<T extends object>(dict: T): T {
  if (Object.hasOwn(dict, "toJSON")) return dict;
  Object.defineProperty(dict, "toJSON", { value: toJSON, enumerable: false, writable: true, configurable: true });
  for (const value of Object.values(dict)) if (typeof value === "object" && value !== null) stringifiable(value);
  return dict;
}
