// JSON parsing that keeps integers exact. Retis writes u64 values (skb addresses, OVS flow pointers) as bare
// integers above 2^53, which JSON.parse would round. The engine's JSON.parse stays the fast path; this
// parser runs only on text that holds a long digit run.

/** A parsed JSON value in which integers beyond Number.MAX_SAFE_INTEGER are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** A syntax error, with the offset in the parsed text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** True when `text` has a run of 16 digits: an integer JSON.parse might round (2^53 has 16 digits). */
function hasLongDigitRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run === 16) return true;
    } else run = 0;
  }
  return false;
}

// Long integers are marked for JSON.parse as strings `"\ud800<digits>"`. A lone surrogate never comes out of
// Retis (Rust strings are UTF-8), so the mark cannot be mistaken for data.

/**
 * `text` with every long integer token (16+ digits, between JSON punctuation) turned into a marked string,
 * or undefined when there is none. If a digit run sits inside a string, the quotes added around it end that
 * string early and JSON.parse fails: the exact parser then takes over, never a wrong value.
 */
function markLongInts(text: string): string | undefined {
  let out: string | undefined;
  let copied = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      run++;
      continue;
    }
    if (run >= 16) {
      let start = i - run;
      if (text.charCodeAt(start - 1) === 45) start--;
      const before = text.charCodeAt(start - 1);
      if ((before === 58 || before === 44 || before === 91) && (c === 44 || c === 125 || c === 93)) {
        out = (out ?? "") + text.slice(copied, start) + '"\\ud800' + text.slice(start, i) + '"';
        copied = i;
      }
    }
    run = 0;
  }
  return out === undefined ? undefined : out + text.slice(copied);
}

/**
 * Parses `text` with one JSON.parse, long integers left as marked strings (`"\ud800<digits>"`) for the
 * caller to turn into bigint where the shape says u64. Much faster than parseExact on whole event lines.
 */
export function parseMarked(text: string): JsonValue {
  try {
    return JSON.parse(markLongInts(text) ?? text) as JsonValue;
  } catch {
    return new ExactParser(text).parseDocument();
  }
}

/** A marked long integer as a bigint, or undefined when `v` is not one. */
export function markedInt(v: unknown): bigint | undefined {
  return typeof v === "string" && v.charCodeAt(0) === 0xd800 && /^.-?\d+$/.test(v) ? BigInt(v.slice(1)) : undefined;
}

/** Replaces marked long integers by bigint, in place (for members with no declared shape). */
export function unmark(v: JsonValue): JsonValue {
  if (typeof v === "string") return markedInt(v) ?? v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unmark(v[i]!);
  } else if (typeof v === "object" && v !== null) {
    for (const k in v) v[k] = unmark(v[k]!);
  }
  return v;
}

/** Parses `text` as JSON, keeping every integer exact. */
export function parseExact(text: string): JsonValue {
  if (!hasLongDigitRun(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // Fall through: the slow parser says where and what is wrong.
    }
  }
  return new ExactParser(text).parseDocument();
}

class ExactParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.value();
    this.ws();
    if (this.pos !== this.text.length) this.fail("end of data");
    return value;
  }

  private fail(expected: string): never {
    const at = this.pos < this.text.length ? `'${this.text[this.pos]}'` : "end of data";
    throw new JsonSyntaxError(`invalid JSON at column ${this.pos + 1}: expected ${expected}, found ${at}`, this.pos);
  }

  private ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  private value(): JsonValue {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 123 /* { */:
        return this.object();
      case 91 /* [ */:
        return this.array();
      case 34 /* " */:
        return this.string();
      case 116 /* t */:
        return this.literal("true", true);
      case 102 /* f */:
        return this.literal("false", false);
      case 110 /* n */:
        return this.literal("null", null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        return this.fail("a value");
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`'${word}'`);
    this.pos += word.length;
    return value;
  }

  private object(): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) this.fail("a key string");
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) this.fail("':'");
      this.pos++;
      out[key] = this.value();
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 125) return out;
      if (c !== 44) {
        this.pos--;
        this.fail("',' or '}'");
      }
    }
  }

  private array(): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 93) return out;
      if (c !== 44) {
        this.pos--;
        this.fail("',' or ']'");
      }
    }
  }

  private string(): string {
    const start = this.pos;
    const end = stringEnd(this.text, start);
    if (end < 0) this.fail("a closing '\"'");
    this.pos = end;
    const raw = this.text.slice(start, end);
    if (raw.indexOf("\\") < 0) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      this.pos = start;
      return this.fail("a valid string escape");
    }
  }

  private number(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 45) i++;
    const digits = i;
    while (isDigit(t.charCodeAt(i))) i++;
    if (i === digits || (t.charCodeAt(digits) === 48 && i - digits > 1)) {
      this.pos = digits;
      return this.fail("a number");
    }
    let integer = true;
    if (t.charCodeAt(i) === 46) {
      integer = false;
      const frac = ++i;
      while (isDigit(t.charCodeAt(i))) i++;
      if (i === frac) {
        this.pos = i;
        return this.fail("a digit after '.'");
      }
    }
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      integer = false;
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      const exp = i;
      while (isDigit(t.charCodeAt(i))) i++;
      if (i === exp) {
        this.pos = i;
        return this.fail("a digit in the exponent");
      }
    }
    this.pos = i;
    const text = t.slice(start, i);
    const n = Number(text);
    return integer && !Number.isSafeInteger(n) ? BigInt(text) : n;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
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
