// An independent judge of Retis capture files, for the fuzz test: written from Retis's JSON Schema (the
// one `retis pcap` embeds, in the samples), Retis's file rules (shared/reference/retis-format.md §1) and
// the project's documented reading policy (README, "Strict reading"). It shares no code with the library:
// its own JSON parser, its own schema interpreter, its own version and compat rules.
import { readFileSync } from "node:fs";

// ---- JSON, parsed strictly (RFC 8259) with the documented limits -------------------------------------

/** A JSON number as written: integers as bigint, other numbers as their token. */
export class Num {
  constructor(
    readonly token: string,
    readonly int: bigint | undefined,
  ) {}
}
export type J = null | boolean | string | Num | J[] | Map<string, J>;

export class Invalid extends Error {}

const DEPTH = 64;
const DIGITS = 4300;

class Parser {
  i = 0;
  constructor(readonly s: string) {}
  err(what: string): never {
    throw new Invalid(`${what} at column ${this.i + 1}`);
  }
  ws(): void {
    while (" \t\n\r".includes(this.s[this.i] ?? "x")) this.i++;
  }
  doc(): J {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.err("trailing data");
    return v;
  }
  value(depth: number): J {
    const c = this.s[this.i];
    if (c === "{" || c === "[") {
      if (depth >= DEPTH) this.err("too deep");
      return c === "{" ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    for (const [w, v] of [["true", true], ["false", false], ["null", null]] as const)
      if (this.s.startsWith(w, this.i)) {
        this.i += w.length;
        return v;
      }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    return this.err("no value");
  }
  object(depth: number): Map<string, J> {
    const m = new Map<string, J>();
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return m;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.err("no key");
      const k = this.string();
      if (m.has(k)) this.err("duplicate key");
      this.ws();
      if (this.s[this.i++] !== ":") this.err("no colon");
      this.ws();
      m.set(k, this.value(depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === "}") return m;
      if (c !== ",") this.err("bad object");
    }
  }
  array(depth: number): J[] {
    const a: J[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return a;
    }
    for (;;) {
      this.ws();
      a.push(this.value(depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === "]") return a;
      if (c !== ",") this.err("bad array");
    }
  }
  string(): string {
    this.i++;
    let out = "";
    for (;;) {
      const c = this.s.codePointAt(this.i);
      if (c === undefined) this.err("unclosed string");
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c < 0x20) this.err("control character");
      if (c >= 0xd800 && c <= 0xdfff) this.err("lone surrogate");
      if (c === 0x5c) {
        const e = this.s[this.i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.i += 2;
          continue;
        }
        if (e !== "u") this.err("bad escape");
        let u = this.hex(this.i + 2);
        this.i += 6;
        if (u >= 0xdc00 && u <= 0xdfff) this.err("lone surrogate");
        if (u >= 0xd800 && u <= 0xdbff) {
          if (this.s.slice(this.i, this.i + 2) !== "\\u") this.err("lone surrogate");
          const lo = this.hex(this.i + 2);
          if (lo < 0xdc00 || lo > 0xdfff) this.err("lone surrogate");
          this.i += 6;
          u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        out += String.fromCodePoint(u);
        continue;
      }
      out += String.fromCodePoint(c);
      this.i += c > 0xffff ? 2 : 1;
    }
  }
  hex(at: number): number {
    const h = this.s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.err("bad \\u escape");
    return parseInt(h, 16);
  }
  number(): Num {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + DIGITS + 400));
    if (!m) this.err("bad number");
    const token = m[0];
    const next = this.s[this.i + token.length];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) this.err("bad number");
    this.i += token.length;
    const isInt = m[1] === undefined && m[2] === undefined && token !== "-0";
    if (isInt && token.replace("-", "").length > DIGITS) this.err("integer too long");
    if (!isInt && !Number.isFinite(Number(token))) this.err("number out of range");
    return new Num(token, isInt ? BigInt(token) : undefined);
  }
}

export function parseJson(text: string): J {
  return new Parser(text).doc();
}

// ---- Schema ---------------------------------------------------------------------------------------------

type Schema = { [k: string]: unknown };

/** Retis's schema, with the changes the schema itself cannot say (each explained). */
export function loadSchema(path: string): Schema {
  const s = JSON.parse(readFileSync(path, "utf8")) as Schema;
  const defs = s.$defs as Record<string, Schema>;
  // RawPacket has a hand-written serde: standard base64 text, not the byte array schemars derives.
  defs.RawPacket = { type: "string", format: "base64" };
  // Retis 1.7 (the current format) renamed tcp_state and added startup.cmdline, split_file and SCTP.
  for (const n of ["CtEvent", "CtConnEvent"]) {
    const props = defs[n]!.properties as Record<string, Schema>;
    props.proto_state = props.tcp_state!;
    delete props.tcp_state;
  }
  const startup = defs.StartupEvent!;
  (startup.properties as Record<string, Schema>).cmdline = { type: "string" };
  (startup.properties as Record<string, Schema>).split_file = {
    anyOf: [
      {
        type: "object",
        properties: {
          id: { type: "integer", format: "uint32" },
          policy: { type: "object", properties: { kind: { const: "size" }, limit: { type: "integer", format: "uint" } }, required: ["kind", "limit"] },
        },
        required: ["id", "policy"],
      },
      { type: "null" },
    ],
  };
  (startup.required as string[]).push("cmdline");
  const u16 = { type: "integer", format: "uint16" };
  (defs.CtProto!.oneOf as Schema[]).push({
    type: "object",
    properties: { sctp: { type: "object", properties: { sport: u16, dport: u16, vtag: { type: "integer", format: "uint32" } }, required: ["sport", "dport", "vtag"] } },
    additionalProperties: false,
    required: ["sctp"],
  });
  // flow_operation's op_type is written as "exec" or "put" (retis-events/src/ovs.rs tests), not a u8.
  for (const v of (defs.OvsEvent!.oneOf as Schema[]) ?? []) {
    const props = v.properties as Record<string, Schema> | undefined;
    if (props?.op_type) props.op_type = { enum: ["exec", "put"] };
    // action_execute's action is a flattened Option (ovs.rs): no action at all is None, printed "unspec".
    // schemars cannot say so; the variant list gains "no action key".
    if ((props?.event_type as Schema | undefined)?.const === "action_execute") (v.oneOf as Schema[]).push({ type: "object", properties: { action: { type: "null" } } });
  }
  return s;
}

const RANGES: Record<string, [bigint, bigint]> = {
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, (1n << 64n) - 1n],
  int32: [-(1n << 31n), (1n << 31n) - 1n],
  // Policy (README): i64 and usize fields are numbers in typings/, held exactly within ±2^53.
  int64: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  uint: [0n, 2n ** 53n - 1n],
};

function typeOf(v: J): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  if (v instanceof Num) return v.int !== undefined ? "integer" : "number";
  if (Array.isArray(v)) return "array";
  return "object";
}

function isBase64(s: string): boolean {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return false;
  // Unused bits of the last character must be zero (a canonical encoding).
  const table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (s.endsWith("==")) return (table.indexOf(s[s.length - 3]!) & 0xf) === 0;
  if (s.endsWith("=")) return (table.indexOf(s[s.length - 2]!) & 0x3) === 0;
  return true;
}

export function validate(v: J, s: Schema, root: Schema, path: string): void {
  if (s.$ref) {
    const name = (s.$ref as string).replace("#/$defs/", "");
    validate(v, (root.$defs as Record<string, Schema>)[name]!, root, path);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const t = typeOf(v);
    if (!types.includes(t)) throw new Invalid(`${path}: ${t}, expected ${types.join("|")}`);
  }
  if (s.const !== undefined && v !== s.const) throw new Invalid(`${path}: not ${String(s.const)}`);
  if (s.enum !== undefined && !(s.enum as unknown[]).includes(v)) throw new Invalid(`${path}: not in enum`);
  if (v instanceof Num && typeof s.format === "string" && v.int !== undefined) {
    const r = RANGES[s.format];
    if (r && (v.int < r[0] || v.int > r[1])) throw new Invalid(`${path}: ${v.token} out of ${s.format}`);
  }
  if (typeof v === "string" && s.format === "base64" && !isBase64(v)) throw new Invalid(`${path}: not base64`);
  if (v instanceof Map) {
    for (const r of (s.required as string[] | undefined) ?? []) if (!v.has(r) || v.get(r) === null) {
      // A required field may be null only when its schema takes null (serde's Option).
      if (!v.has(r)) throw new Invalid(`${path}.${r}: missing`);
    }
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, sub] of Object.entries(props)) if (v.has(k)) validate(v.get(k)!, sub, root, `${path}.${k}`);
    if (s.additionalProperties === false) for (const k of v.keys()) if (!(k in props)) throw new Invalid(`${path}.${k}: not allowed`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === "number" && v.length < s.minItems) throw new Invalid(`${path}: too short`);
    if (typeof s.maxItems === "number" && v.length > s.maxItems) throw new Invalid(`${path}: too long`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    v.forEach((x, i) => {
      const sub = prefix[i] ?? (s.items as Schema | undefined);
      if (sub) validate(x, sub, root, `${path}[${i}]`);
    });
  }
  if (s.anyOf) {
    const ok = (s.anyOf as Schema[]).some((sub) => fits(v, sub, root, path));
    if (!ok) throw new Invalid(`${path}: matches no anyOf`);
  }
  if (s.oneOf) {
    const n = (s.oneOf as Schema[]).filter((sub) => fits(v, sub, root, path)).length;
    if (n !== 1) throw new Invalid(`${path}: matches ${n} of oneOf`);
  }
}

function fits(v: J, s: Schema, root: Schema, path: string): boolean {
  try {
    validate(v, s, root, path);
    return true;
  } catch (e) {
    if (e instanceof Invalid) return false;
    throw e;
  }
}

// ---- Files ----------------------------------------------------------------------------------------------

export interface Verdict {
  valid: boolean;
  /** Why not (for reports). */
  why?: string;
  /** 1-based line of the first problem. */
  line?: number;
  /** Not judged: a case this checker does not model (Retis 1.5 files). */
  skip?: boolean;
  /** True for a current-format file: reading then writing must give the same bytes. */
  current?: boolean;
  sorted?: boolean;
  /** Events (or series) of a valid file. */
  count?: number;
}

const MAX_LINE = 64 * 1024 * 1024;

/** Retis's version rule: drop a leading v and anything from '-' or '+', then major.minor.patch. */
function version(text: string): [number, number, number] | undefined {
  const core = text.replace(/^v/, "").split(/[-+]/)[0]!;
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(core);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Retis's fix-ups from 1.6 files to the current format (compat/json.rs, as the reference lists them). */
function fixup16(e: Map<string, J>): void {
  const startup = e.get("startup");
  if (startup instanceof Map) {
    for (const k of ["machine", "cmdline"]) if (startup.has(k)) throw new Invalid(`startup.${k} already set in a 1.6 file`);
    startup.set("machine", new Map<string, J>([["kernel_release", "unknown"], ["kernel_version", "unknown"], ["hardware_name", "unknown"]]));
    startup.set("cmdline", "unknown");
  }
  const ct = e.get("ct");
  for (const obj of [ct, ct instanceof Map ? ct.get("parent") : undefined])
    if (obj instanceof Map && obj.has("tcp_state")) {
      obj.set("proto_state", obj.get("tcp_state")!);
      obj.delete("tcp_state");
    }
}

export class Checker {
  constructor(private readonly schema: Schema) {}

  static fromSamples(samplesDir: string): Checker {
    return new Checker(loadSchema(`${samplesDir}/derived/retis_event_schema.from_test_events_packets_pcap.json`));
  }

  private event(v: J, minor: number, where: string): void {
    if (!(v instanceof Map)) throw new Invalid(`${where}: not an object`);
    if (minor === 6) fixup16(v);
    // Policy (README): every event has a common section.
    if (!(v.get("common") instanceof Map)) throw new Invalid(`${where}: no common`);
    validate(v, this.schema, this.schema, where);
  }

  check(bytes: Uint8Array): Verdict {
    let text: string;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 10) {
        if (i === bytes.length && i === start) break;
        if (i - start > MAX_LINE) return { valid: false, line: lines.length + 1, why: "line too long" };
        try {
          text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          return { valid: false, line: lines.length + 1, why: "not UTF-8" };
        }
        lines.push(text);
        start = i + 1;
      }
    }
    if (lines.length === 0) return { valid: false, line: 1, why: "empty" };
    let minor = 7;
    let sorted = false;
    for (let n = 0; n < lines.length; n++) {
      const at = n + 1;
      try {
        const v = parseJson(lines[n]!);
        if (n === 0) {
          sorted = Array.isArray(v);
          const first = sorted ? (v as J[])[0] : v;
          if (sorted && !((v as J[]).at(-1) instanceof Map)) throw new Invalid("series without events");
          const st = first instanceof Map ? first.get("startup") : undefined;
          const ver = st instanceof Map ? st.get("retis_version") : undefined;
          if (typeof ver !== "string") throw new Invalid("no version");
          const parsed = version(ver);
          if (!parsed) throw new Invalid("bad version");
          const [major, mi] = parsed;
          // Policy (README): only 1.x files; a new major version may change the format.
          if (major !== 1 || mi < 5) throw new Invalid("unsupported version");
          if (major === 1 && mi === 5) return { valid: false, skip: true };
          minor = major === 1 && mi === 6 ? 6 : 7;
        }
        if (sorted) {
          if (!Array.isArray(v)) throw new Invalid("not a series");
          v.forEach((e, k) => this.event(e, minor, `[${k}]`));
        } else this.event(v, minor, "event");
      } catch (e) {
        if (e instanceof Invalid) return { valid: false, line: at, why: e.message };
        throw e;
      }
    }
    return { valid: true, current: minor === 7, sorted, count: lines.length };
  }
}

/** Compact JSON text of a parsed value (for building mutations). */
export function write(v: J): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof Num) return v.token;
  if (Array.isArray(v)) return `[${v.map(write).join(",")}]`;
  return `{${[...v].map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`).join(",")}}`;
}
