// What every section class shares: its fields copied from the validated JSON object (typings/ declares
// them; the classes merge those interfaces instead of listing fields again), the JSON kept for
// toDict(), and toString() through the same formatter as whole events.
import type { JsonData } from "../../typings/index.js";
import { DEFAULT_DISPLAY, Formatter, type DisplayOptions } from "../format/formatter.js";
import { jsonData, plainCopy } from "../plain.js";

export abstract class SectionBase<F extends object> {
  readonly #dict: F;

  /** `fields` are the members copied onto the object; a subclass leaves out those it computes. */
  constructor(dict: F, fields: object = dict) {
    this.#dict = dict;
    Object.assign(this, fields);
  }

  /** Writes the section's text, as Retis's `event_fmt`. */
  abstract fmt(f: Formatter, options: DisplayOptions): void;

  toString(): string {
    const f = new Formatter();
    this.fmt(f, DEFAULT_DISPLAY);
    return f.finish();
  }

  toDict(): F {
    return plainCopy(this.#dict);
  }

  /** `JSON.stringify(section)`: its JSON, u64 values as exact decimal strings. */
  toJSON(): JsonData<F> {
    return jsonData(this.#dict);
  }

  /** console.log and the shells show a section as its Retis line, as Python's `print(e.ct)`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** The validated JSON object itself, not a copy: for writing and for fields kept in JSON form. */
  json(): F {
    return this.#dict;
  }
}

/** Lowercase hex without padding, as Rust's `{:x}`. */
export function hex(n: bigint | number): string {
  return n.toString(16);
}

/** `0x…` lowercase hex, as Rust's `{:#x}`. */
export function hex0x(n: bigint | number): string {
  return `0x${n.toString(16)}`;
}
