/**
 * What every event section offers besides its fields.
 *
 * `F` is the section's JSON shape: the object found under its key in a Retis event line, with u64 values
 * as `bigint`.
 */
export interface Section<F> {
  /** The section's own text, as Retis prints it inside an event (Python `str(e.section)`). */
  toString(): string;
  /** The section as JSON-shaped data, with the keys Retis writes; u64 values are `bigint`. (Python `to_dict()`.) */
  toDict(): F;
  /** What `JSON.stringify(section)` writes: the section's JSON with every u64 (bigint) as an exact decimal string. */
  toJSON(): JsonData<F>;
}

/**
 * `T` as JSON can carry it: every `bigint` (Retis's u64 values) becomes its exact decimal string
 * (`18446619372617628672n` → `"18446619372617628672"`, parse it back with `BigInt(s)`); the rest is unchanged.
 */
export type JsonData<T> = T extends bigint
  ? string
  : T extends readonly (infer E)[]
    ? JsonData<E>[]
    : T extends object
      ? { [K in keyof T]: JsonData<T[K]> }
      : T;

/** A point in time split as `struct timespec`. JSON: `{sec, nsec}`. */
export interface TimeSpec {
  /** Seconds. JSON `sec` (i64). */
  sec: number;
  /** Nanoseconds within the second. JSON `nsec` (i64). */
  nsec: number;
}

/** A 128-bit value split in two u64 halves, as Retis stores it. */
export interface U128 {
  /** High 64 bits. JSON `hi` (u64). */
  hi: bigint;
  /** Low 64 bits. JSON `lo` (u64). */
  lo: bigint;
}
