// Checks a parsed section against the shape typings/ declares (emitted to generated/schema.ts) and turns
// its u64 fields into bigint in place. Retis refuses an event whose section lacks a required field; so
// do we, with the field's path and what was expected. Unknown keys are kept.
import { DEFS } from "./generated/schema.js";

/** The runtime shape of a typings/ type, as scripts/gen-schema.mjs emits it. */
export type TypeSpec =
  | "u64"
  | "number"
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
  if (typeof spec === "string") return spec === "u64" ? "an unsigned 64-bit integer" : `a ${spec}`;
  if ("enum" in spec) return `one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  if ("array" in spec || "tuple" in spec) return "an array";
  return "an object";
}

function shown(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Checks `value` against `spec`; returns the value with u64 fields as bigint (objects are changed in place).
 * Throws ShapeError naming the first mismatch.
 */
export function conform(value: unknown, spec: TypeSpec, path = ""): unknown {
  spec = resolve(spec);
  const fail = (): never => {
    throw new ShapeError(path, `is ${shown(value)}, expected ${describe(spec)}`);
  };
  if (typeof spec === "string") {
    switch (spec) {
      case "u64":
        if (typeof value === "bigint") return value >= 0n ? value : fail();
        if (typeof value === "number" && Number.isInteger(value) && value >= 0) return BigInt(value);
        return fail();
      case "number":
        return typeof value === "number" ? value : fail();
      case "string":
        return typeof value === "string" ? value : fail();
      case "boolean":
        return typeof value === "boolean" ? value : fail();
      case "absent":
        return value === undefined ? value : fail();
      case "unknown":
        return value;
    }
  }
  if ("enum" in spec) return typeof value === "string" && spec.enum.includes(value) ? value : fail();
  if ("array" in spec) {
    if (!Array.isArray(value)) return fail();
    for (let i = 0; i < value.length; i++) value[i] = conform(value[i], spec.array, `${path}[${i}]`);
    return value;
  }
  if ("tuple" in spec) {
    if (!Array.isArray(value) || value.length !== spec.tuple.length) return fail();
    for (let i = 0; i < value.length; i++) value[i] = conform(value[i], spec.tuple[i]!, `${path}[${i}]`);
    return value;
  }
  if ("union" in spec) {
    let first: ShapeError | undefined;
    for (const variant of spec.union) {
      if (!fits(value, variant)) continue;
      try {
        return conform(value, variant, path);
      } catch (e) {
        if (!(e instanceof ShapeError)) throw e;
        first ??= e;
      }
    }
    throw first ?? new ShapeError(path, `is ${shown(value)}, which matches none of its known kinds`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail();
  const obj = value as Record<string, unknown>;
  for (const [key, field] of Object.entries((spec as ObjectSpec).object)) {
    const sub = path ? `${path}.${key}` : key;
    const v = obj[key];
    if (v === undefined || v === null) {
      if (!field.optional) throw new ShapeError(sub, `is missing, expected ${describe(field.type)}`);
      // Retis's compat moves leave `null` behind; an absent Option is the same thing.
      if (v === null) delete obj[key];
      continue;
    }
    const out = conform(v, field.type, sub);
    if (out !== v) obj[key] = out;
  }
  return obj;
}

/** Cheap pre-check for unions: the variant's literal tags (event_type, action) and required keys match. */
function fits(value: unknown, variant: TypeSpec): boolean {
  const spec = resolve(variant);
  if (typeof spec !== "object" || !("object" in spec)) return true;
  if (typeof value !== "object" || value === null) return false;
  const obj = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(spec.object)) {
    const t = resolve(field.type);
    const v = obj[key];
    if (t === "absent") {
      if (v !== undefined) return false;
    } else if (typeof t === "object" && "enum" in t) {
      if (v === undefined ? !field.optional : !t.enum.includes(v as string)) return false;
    } else if (!field.optional && v === undefined) return false;
  }
  return true;
}
