// The one strict reading of JSON text, in a single linear scan: RFC 8259 grammar with no extensions, and
// the limits this project documents (README, "Strict reading"). The scan also marks the integers that a
// double cannot hold, so that one JSON.parse then builds the value and no digit is ever rounded.
//
// Refused: leading zeros, raw control characters (NUL included) in strings, bad escapes, lone surrogates
// (escaped or raw), duplicate keys in an object, numbers a double cannot hold (1e400), integers longer than
// MAX_DIGITS, nesting deeper than MAX_DEPTH, anything after the value. Ranges are the fields' business
// (validate.ts): a u64 field takes 0…2^64−1.

/** Deepest nesting accepted. Retis's deepest event (a sorted line's ct.parent.orig.proto.tcp) is 7 levels. */
export const MAX_DEPTH = 64;

/** A syntax error, with the offset in the scanned text. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Longest integer accepted anywhere (as Python's int): u64 fields need 20 digits; members this library does
 * not know keep larger integers exactly, up to this many digits, so that no line costs quadratic time.
 */
export const MAX_DIGITS = 4300;

// Long integers are handed to JSON.parse as strings `"\udfff<digits>"`, and numbers that are not plain
// integers (1.5, 1e2, -0: serde reads them as floats, which no integer field takes) as `"\udffe<token>"`.
// The scan refuses every lone surrogate in the input, so a string starting with a low surrogate (which
// only ever follows a high one in valid text) can only be a mark.
export const MARK = "\udfff";
export const FLOAT_MARK = "\udffe";
export const MARK_CODE = 0xdfff;
export const FLOAT_MARK_CODE = 0xdffe;

function fail(t: string, i: number, expected: string): never {
  const found = i < t.length ? describeChar(t.charCodeAt(i)) : "end of data";
  throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: expected ${expected}, found ${found}`, i);
}

function describeChar(c: number): string {
  if (c < 0x20 || c === 0x7f) return `control character U+${c.toString(16).padStart(4, "0").toUpperCase()}`;
  if (c >= 0xd800 && c <= 0xdfff) return "a lone surrogate";
  return `'${String.fromCharCode(c)}'`;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

// Fast path for strings: when the scanned text has no control character and no surrogate at all (one
// native regex test), a string without a backslash is checked by jumping to its closing quote. `nextBackslash`
// is where the next backslash is (searched once, then moved forward), so the jumps stay linear.
const SUSPECT = /[\u0000-\u001f\ud800-\udfff]/;
let clean = false;
let nextBackslash = -1;

function quickString(t: string, i: number, end: number): number {
  const q = t.indexOf('"', i + 1);
  if (q >= 0 && q < end && (nextBackslash < 0 || nextBackslash > q)) return q + 1;
  const e = scanString(t, i, end);
  if (nextBackslash >= 0 && nextBackslash < e) nextBackslash = t.indexOf("\\", e);
  return e;
}

/** Offset just past the string whose opening quote is at `i`; checks every character and escape. */
export function scanString(t: string, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    if (j >= end) fail(t, j, "a closing '\"'");
    const c = t.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const e = t.charCodeAt(j + 1);
      if (e === 117 /* u */) {
        const u = hex4(t, j + 2, end);
        j += 6;
        if (u >= 0xd800 && u <= 0xdbff) {
          // A high surrogate must be followed by an escaped low one.
          if (t.charCodeAt(j) !== 92 || t.charCodeAt(j + 1) !== 117) throw lone(j - 6);
          const low = hex4(t, j + 2, end);
          if (low < 0xdc00 || low > 0xdfff) throw lone(j - 6);
          j += 6;
        } else if (u >= 0xdc00 && u <= 0xdfff) throw lone(j - 6);
        continue;
      }
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        j += 2;
        continue;
      }
      fail(t, j + 1, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    }
    if (c < 0x20) fail(t, j, "no raw control character in a string (write it as an escape)");
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = t.charCodeAt(j + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw lone(j);
      j += 2;
      continue;
    }
    j++;
  }
}

function lone(at: number): JsonSyntaxError {
  return new JsonSyntaxError(`invalid JSON at column ${at + 1}: a lone surrogate in a string (not valid Unicode)`, at);
}

function hex4(t: string, i: number, end: number): number {
  if (i + 4 > end) fail(t, Math.min(i, end), "four hex digits after \\u");
  for (let k = 0; k < 4; k++) if (!isHex(t.charCodeAt(i + k))) fail(t, i + k, "four hex digits after \\u");
  return parseInt(t.slice(i, i + 4), 16);
}

function skipWs(t: string, i: number, end: number): number {
  while (i < end) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  return i;
}

/** The key's text as JSON.parse would give it (only keys with escapes pay for a decode). */
function keyText(t: string, start: number, end: number): string {
  const raw = t.slice(start, end);
  return raw.indexOf("\\") < 0 ? raw.slice(1, -1) : (JSON.parse(raw) as string);
}

// Keys of an open object: a short list while small, a set when large (no quadratic cost on wide objects).
class Keys {
  list: string[] = [];
  set: Set<string> | undefined;
  add(k: string): boolean {
    if (this.set) {
      if (this.set.has(k)) return false;
      this.set.add(k);
      return true;
    }
    if (this.list.includes(k)) return false;
    this.list.push(k);
    if (this.list.length > 16) this.set = new Set(this.list);
    return true;
  }
}

/**
 * Checks that `t[start, end)` is exactly one strict JSON value (white space around it allowed). Returns the
 * text to hand to JSON.parse: `undefined` when it is the input slice itself, else a copy in which integers
 * beyond 2^53 are marked strings. Throws JsonSyntaxError naming the column and what was expected.
 */
export function scanStrict(t: string, start = 0, end = t.length): string | undefined {
  // Stack of open containers: true for an object; its keys sit in `keys` at the same depth.
  const isObject: boolean[] = [];
  const keys: (Keys | undefined)[] = [];
  let out: string | undefined;
  let copied = start;
  const slice = start === 0 && end === t.length ? t : t.slice(start, end);
  clean = !SUSPECT.test(slice);
  nextBackslash = clean ? t.indexOf("\\", start) : -1;
  let i = skipWs(t, start, end);
  for (;;) {
    // A value starts at i.
    const c = t.charCodeAt(i);
    if (i >= end) fail(t, i, "a value");
    if (c === 123 || c === 91) {
      if (isObject.length >= MAX_DEPTH)
        throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: nested deeper than ${MAX_DEPTH} levels`, i);
      const obj = c === 123;
      isObject.push(obj);
      keys.push(undefined);
      i = skipWs(t, i + 1, end);
      const close = obj ? 125 : 93;
      if (t.charCodeAt(i) === close && i < end) {
        isObject.pop();
        keys.pop();
        i++;
      } else if (obj) {
        i = objectKey(t, i, end, keys);
        continue;
      } else continue;
    } else if (c === 34) i = clean ? quickString(t, i, end) : scanString(t, i, end);
    else if (c === 116) i = literal(t, i, end, "true");
    else if (c === 102) i = literal(t, i, end, "false");
    else if (c === 110) i = literal(t, i, end, "null");
    else if (c === 45 || (c >= 48 && c <= 57)) {
      const numEnd = scanNumber(t, i, end);
      if (numEnd < 0) {
        // Not a plain integer: marked, so that no integer field takes it.
        out = (out ?? "") + t.slice(copied, i) + `"${FLOAT_MARK}${t.slice(i, -numEnd)}"`;
        copied = -numEnd;
        i = -numEnd;
      } else {
        // 16 digits may exceed 2^53 (the sign does not count).
        if (numEnd - i >= 16 && numEnd - i - (c === 45 ? 1 : 0) >= 16) {
          const token = t.slice(i, numEnd);
          if (!Number.isSafeInteger(Number(token))) {
            out = (out ?? "") + t.slice(copied, i) + `"${MARK}${token}"`;
            copied = numEnd;
          }
        }
        i = numEnd;
      }
    } else fail(t, i, "a value");
    // After a value: close containers or go to the next element.
    for (;;) {
      i = skipWs(t, i, end);
      if (isObject.length === 0) {
        if (i < end) fail(t, i, "the end of the value");
        return out === undefined ? undefined : out + t.slice(copied, end);
      }
      const obj = isObject[isObject.length - 1]!;
      const d = t.charCodeAt(i);
      if (i < end && d === 44) {
        i = skipWs(t, i + 1, end);
        if (obj) i = objectKey(t, i, end, keys);
        break;
      }
      if (i < end && d === (obj ? 125 : 93)) {
        isObject.pop();
        keys.pop();
        i++;
        continue;
      }
      fail(t, i, obj ? "',' or '}'" : "',' or ']'");
    }
  }
}

/** Reads `"key":` at i (the key checked for duplicates); returns where the value starts. */
function objectKey(t: string, i: number, end: number, keys: (Keys | undefined)[]): number {
  if (i >= end || t.charCodeAt(i) !== 34) fail(t, i, "a key string");
  const kEnd = clean ? quickString(t, i, end) : scanString(t, i, end);
  const top = keys.length - 1;
  const set = (keys[top] ??= new Keys());
  const k = keyText(t, i, kEnd);
  if (!set.add(k)) throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: duplicate key ${short(JSON.stringify(k))}`, i);
  let j = skipWs(t, kEnd, end);
  if (j >= end || t.charCodeAt(j) !== 58) fail(t, j, "':'");
  return skipWs(t, j + 1, end);
}

function literal(t: string, i: number, end: number, word: string): number {
  if (i + word.length > end || !t.startsWith(word, i)) fail(t, i, `'${word}'`);
  return i + word.length;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function scanNumber(t: string, i: number, end: number): number {
  const start = i;
  if (t.charCodeAt(i) === 45) i++;
  const first = t.charCodeAt(i);
  if (i >= end || !isDigit(first)) fail(t, i, "a digit");
  i++;
  if (first === 48) {
    if (i < end && isDigit(t.charCodeAt(i))) fail(t, i, "no leading zero in a number");
  } else while (i < end && isDigit(t.charCodeAt(i))) i++;
  let plain = true;
  if (i < end && t.charCodeAt(i) === 46) {
    plain = false;
    i++;
    if (i >= end || !isDigit(t.charCodeAt(i))) fail(t, i, "a digit after '.'");
    while (i < end && isDigit(t.charCodeAt(i))) i++;
  }
  const e = t.charCodeAt(i);
  if (i < end && (e === 101 || e === 69)) {
    plain = false;
    i++;
    const s = t.charCodeAt(i);
    if (i < end && (s === 43 || s === 45)) i++;
    if (i >= end || !isDigit(t.charCodeAt(i))) fail(t, i, "a digit in the exponent");
    while (i < end && isDigit(t.charCodeAt(i))) i++;
  }
  if (plain) {
    if (i - start > MAX_DIGITS + 1 || (i - start > MAX_DIGITS && t.charCodeAt(start) !== 45))
      throw new JsonSyntaxError(`invalid JSON at column ${start + 1}: integer of ${i - start} characters; expected at most ${MAX_DIGITS} digits`, start);
    // serde reads -0 as a float.
    return i - start === 2 && first === 48 && t.charCodeAt(start) === 45 ? -i : i;
  }
  if (!Number.isFinite(Number(t.slice(start, i))))
    throw new JsonSyntaxError(`invalid JSON at column ${start + 1}: number ${short(t.slice(start, i))} is too large for a double`, start);
  /** Negative: the end of a number that is not a plain integer. */
  return -i;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
