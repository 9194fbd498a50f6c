// Checks a parsed section against the shape typings/ declares (emitted to generated/schema.ts) and turns
// its u64 fields into bigint in place. Retis refuses an event whose section lacks a required field; so
// do we, with the field's path and what was expected. Unknown keys are kept.
import { DEFS } from "./generated/schema.js";
import { markedFloat, markedInt, markedText, unmark, type JsonValue } from "./json/exact.js";

/** The runtime shape of a typings/ type, as scripts/gen-schema.mjs emits it. */
export type TypeSpec =
  | "u64"
  | "number"
  | "u8"
  | "u16"
  | "u32"
  | "i32"
  | "i64"
  | "u53"
  | "int"
  | "base64"
  | "string"
  | "boolean"
  | "unknown"
  | "absent"
  | { enum: string[] }
  | { ref: string }
  | { array: TypeSpec }
  | { tuple: TypeSpec[] }
  | { union: TypeSpec[] }
  | { object: Record<string, { type: TypeSpec; optional: boolean }> };

type ObjectSpec = Extract<TypeSpec, { object: unknown }>;

/** A mismatch between data and shape; `path` is the dotted field path. */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `field '${path}' ${problem}` : problem);
  }
}

function resolve(spec: TypeSpec): TypeSpec {
  while (typeof spec === "object" && "ref" in spec) {
    const def = DEFS[spec.ref];
    if (!def) throw new Error(`schema has no definition of ${spec.ref}`);
    spec = def;
  }
  return spec;
}

function describe(spec: TypeSpec): string {
  spec = resolve(spec);
  if (typeof spec === "string") return INT_NAMES[spec] ?? (spec === "base64" ? "base64 text" : `a ${spec}`);
  if ("enum" in spec) return `one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  if ("array" in spec || "tuple" in spec) return "an array";
  return "an object";
}

function shown(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  const mark = markedText(value);
  if (mark !== undefined) return mark.length > 40 ? `${mark.slice(0, 37)}...` : mark;
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const INT_NAMES: Record<string, string> = {
  u64: "an unsigned 64-bit integer",
  u8: "an unsigned 8-bit integer (0…255)",
  u16: "an unsigned 16-bit integer (0…65535)",
  u32: "an unsigned 32-bit integer (0…4294967295)",
  i32: "a signed 32-bit integer (-2147483648…2147483647)",
  // i64 and usize fields are numbers in typings/: this library holds them exactly within ±2^53.
  i64: "a signed 64-bit integer within ±2^53",
  u53: "an unsigned integer up to 2^53",
  int: "an integer within ±2^53",
};

const U64_MAX = (1n << 64n) - 1n;

const INT_RANGES: Record<string, [number, number]> = {
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
  i32: [-2147483648, 2147483647],
  i64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  u53: [0, Number.MAX_SAFE_INTEGER],
  int: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Canonical standard base64 with padding, as Retis writes packet data (and its decoder demands). */
function isBase64(s: string): boolean {
  if (s.length % 4 !== 0 || !BASE64.test(s)) return false;
  // Canonical: the bits that padding leaves over are zero (what decoding and encoding again checks, without
  // either). "xx==" keeps 4 bits of its second character, "xxx=" 2 bits of its third.
  const n = s.length;
  if (s.charCodeAt(n - 1) !== 61) return true;
  if (s.charCodeAt(n - 2) === 61) return (BASE64_VALUE[s.charCodeAt(n - 3)]! & 0x0f) === 0;
  return (BASE64_VALUE[s.charCodeAt(n - 2)]! & 0x03) === 0;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_VALUE = new Uint8Array(128);
for (const [i, c] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) BASE64_VALUE[c.charCodeAt(0)] = i;

/** A compiled check: returns the value (u64 as bigint), or throws ShapeError with a path relative to it. */
type Check = (value: unknown) => unknown;

const compiled = new Map<TypeSpec, Check>();

/** Prefixes a nested failure's path with the field it happened under. */
function under(key: string, e: unknown): never {
  if (e instanceof ShapeError) throw new ShapeError(e.path ? `${key}.${e.path}`.replace(".[", "[") : key, e.problem);
  throw e;
}

function mismatch(value: unknown, spec: TypeSpec): never {
  throw new ShapeError("", `is ${shown(value)}, expected ${describe(spec)}`);
}

// Specs are compiled once into closures: checking runs for every section of every event read.
function compile(spec: TypeSpec): Check {
  const known = compiled.get(spec);
  if (known) return known;
  let check: Check;
  const r = resolve(spec);
  if (typeof r === "string") {
    switch (r) {
      case "u64":
        check = (v) => {
          if (typeof v === "bigint") return v >= 0n && v <= U64_MAX ? v : mismatch(v, r);
          if (typeof v === "number" && Number.isInteger(v) && v >= 0) return BigInt(v);
          const marked = markedInt(v);
          return marked !== undefined && marked >= 0n && marked <= U64_MAX ? marked : mismatch(v, r);
        };
        break;
      case "number":
        check = (v) => (typeof v === "number" ? v : (markedFloat(v) ?? mismatch(v, r)));
        break;
      case "u8":
      case "u16":
      case "u32":
      case "i32":
      case "i64":
      case "u53":
      case "int": {
        const [min, max] = INT_RANGES[r]!;
        // Long integers arrive marked (never safe integers): out of range for every number field.
        check = (v) => (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : mismatch(v, r));
        break;
      }
      case "base64":
        check = (v) => (typeof v === "string" && isBase64(v) ? v : mismatch(v, r));
        break;
      case "string":
        // A marked number is a string only to JSON.parse: a number where a string is expected.
        check = (v) => (typeof v === "string" && markedText(v) === undefined ? v : mismatch(v, r));
        break;
      case "boolean":
        check = (v) => (typeof v === "boolean" ? v : mismatch(v, r));
        break;
      case "absent":
        check = (v) => (v === undefined ? v : mismatch(v, r));
        break;
      case "unknown":
        check = (v) => unmark(v as JsonValue);
        break;
    }
  } else if ("enum" in r) {
    const values = new Set(r.enum);
    check = (v) => (typeof v === "string" && values.has(v) ? v : mismatch(v, r));
  } else if ("array" in r) {
    const item = compile(r.array);
    check = (v) => {
      if (!Array.isArray(v)) return mismatch(v, r);
      for (let i = 0; i < v.length; i++) {
        try {
          v[i] = item(v[i]);
        } catch (e) {
          under(`[${i}]`, e);
        }
      }
      return v;
    };
  } else if ("tuple" in r) {
    const items = r.tuple.map(compile);
    check = (v) => {
      if (!Array.isArray(v) || v.length !== items.length) return mismatch(v, r);
      for (let i = 0; i < v.length; i++) {
        try {
          v[i] = items[i]!(v[i]);
        } catch (e) {
          under(`[${i}]`, e);
        }
      }
      return v;
    };
  } else if ("union" in r) {
    const variants = r.union.map((variant) => ({ fits: fitter(variant), check: compile(variant) }));
    check = (v) => {
      let first: unknown;
      for (const variant of variants) {
        if (!variant.fits(v)) continue;
        try {
          return variant.check(v);
        } catch (e) {
          if (!(e instanceof ShapeError)) throw e;
          first ??= e;
        }
      }
      throw first ?? new ShapeError("", `is ${shown(v)}, which matches none of its known kinds`);
    };
  } else {
    check = objectCheck(r as ObjectSpec);
  }
  compiled.set(spec, check);
  return check;
}

interface FieldCheck {
  key: string;
  optional: boolean;
  type: TypeSpec;
  check: Check;
}

/**
 * An object's check, written out as a function with one named read per field (`v["timestamp"]`): each read
 * site then sees one shape, where a loop over the fields reading `v[field.key]` sees every shape of every
 * section and runs slowly. Same checks, same order, same errors as the loop it replaces.
 */
function objectCheck(r: ObjectSpec): Check {
  const fields: FieldCheck[] = Object.entries(r.object).map(([key, f]) => {
    // Compiled on first use: definitions may refer to each other.
    let c: Check | undefined;
    return { key, optional: f.optional, type: f.type, check: (v: unknown) => (c ??= compile(f.type))(v) };
  });
  const absent = (field: FieldCheck, obj: Record<string, unknown>, value: unknown): void => {
    if (!field.optional) throw new ShapeError(field.key, `is missing, expected ${describe(field.type)}`);
    // Retis's compat moves leave `null` behind; an absent Option is the same thing.
    if (value === null) delete obj[field.key];
  };
  const body = fields
    .map((f, j) => {
      const k = JSON.stringify(f.key);
      return `value = v[${k}];
  if (value === undefined || value === null) absent(F[${j}], v, value);
  else {
    try { out = F[${j}].check(value); } catch (e) { under(${k}, e); }
    if (out !== value) v[${k}] = out;
  }`;
    })
    .join("\n  ");
  const make = new Function(
    "F",
    "absent",
    "under",
    "mismatch",
    "r",
    `return function check(v) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return mismatch(v, r);
  let value, out;
  ${body}
  return v;
};`,
  ) as (f: FieldCheck[], a: typeof absent, u: typeof under, m: typeof mismatch, r: TypeSpec) => Check;
  return make(fields, absent, under, mismatch, r);
}

/**
 * Checks `value` against `spec`; returns the value with u64 fields as bigint (objects are changed in place).
 * Throws ShapeError naming the first mismatch.
 */
export function conform(value: unknown, spec: TypeSpec): unknown {
  return compile(spec)(value);
}

/** Cheap pre-check for unions: the variant's literal tags (event_type, action) and required keys match. */
function fitter(variant: TypeSpec): (value: unknown) => boolean {
  const spec = resolve(variant);
  if (typeof spec !== "object" || !("object" in spec)) return () => true;
  const fields = Object.entries(spec.object).map(([key, field]) => ({ key, optional: field.optional, t: resolve(field.type) }));
  return (value) => {
    if (typeof value !== "object" || value === null) return false;
    const obj = value as Record<string, unknown>;
    for (const { key, optional, t } of fields) {
      const v = obj[key];
      if (t === "absent") {
        // null is serde's None, as absent (ovs action_execute with "action":null prints unspec).
        if (v !== undefined && v !== null) return false;
      } else if (typeof t === "object" && "enum" in t) {
        if (v === undefined ? !optional : !t.enum.includes(v as string)) return false;
      } else if (!optional && v === undefined) return false;
    }
    return true;
  };
}
