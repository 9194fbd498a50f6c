// JSON text from values that may hold bigint: Retis's u64 values are written as bare integers, like serde.
import type { JsonValue } from "./exact.js";

/** Compact JSON, as serde_json writes it, with bigint as bare integers. `undefined` members are left out. */
export function stringifyExact(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as JSON`);
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + stringifyExact(value[i] ?? null);
        return `${out}]`;
      }
      let out = "{";
      let first = true;
      for (const k in value) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === "function") continue;
        out += `${first ? "" : ","}${JSON.stringify(k)}:${stringifyExact(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot write a ${typeof value} as JSON`);
  }
}

export type { JsonValue };
