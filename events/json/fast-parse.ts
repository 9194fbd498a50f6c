// One pass that checks and builds a JSON value at once, for the text Retis writes: compact objects and
// arrays, strings without escapes, integers. It is a recogniser of a strict subset of what strict.ts
// accepts: at anything else (an escape, a float, a non-ASCII-range character, a duplicate or an inherited
// key, an error) it gives up and the caller takes the general path (strict scan, then JSON.parse), which
// reads or refuses the text and words the error. What it takes, it builds exactly as that path would:
// integers beyond 2^53 as marked strings (see strict.ts), everything else as JSON.parse does.
//
// Why: the general path reads every character twice (the scan, then JSON.parse) and the scan slices every
// key to check duplicates; this pass reads each once and reuses key strings.
import { MARK, MAX_DEPTH } from "./strict.js";
import type { JsonValue } from "./exact.js";

/** Returned when the text is not in the subset; the caller reads it the general way. */
export const GIVE_UP: unique symbol = Symbol("give up");

// The text and position of the parse in progress (one at a time: nothing here calls out).
let t = "";
let i = 0;
let bad = false;

/** Key strings seen before, by a cheap hash of their length and end characters: a hit costs no slice. */
const KEYS: string[] = new Array<string>(1024).fill("");

/** `text` as strict JSON, or GIVE_UP when it is not in the subset (or not valid at all). */
export function fastParse(text: string): JsonValue | typeof GIVE_UP {
  t = text;
  i = 0;
  bad = false;
  const v = value(0);
  if (!bad) {
    ws();
    if (i !== t.length) bad = true;
  }
  t = "";
  return bad ? GIVE_UP : v;
}

function ws(): number {
  let c = t.charCodeAt(i);
  while (c === 32 || c === 9 || c === 10 || c === 13) c = t.charCodeAt(++i);
  return c;
}

/** The string whose opening quote is at i, when it has no escape, control character or surrogate. */
function str(): string {
  const a = ++i;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 34) return t.slice(a, i++);
    // NaN (the end of the text) fails every comparison but this one.
    if (c < 0x20 || c === 92 || c >= 0xd800 || c !== c) {
      bad = true;
      return "";
    }
    i++;
  }
}

function key(): string {
  const a = i + 1;
  const q = t.indexOf('"', a);
  if (q < 0) {
    bad = true;
    return "";
  }
  const len = q - a;
  const h = (len * 31 + t.charCodeAt(a) * 7 + t.charCodeAt(q - 1)) & 1023;
  const known = KEYS[h]!;
  // A cached key has no backslash, so the quote found ends this key when the text matches it.
  if (known.length === len && t.startsWith(known, a)) {
    i = q + 1;
    return known;
  }
  const k = str();
  if (!bad) KEYS[h] = k;
  return k;
}

function value(depth: number): JsonValue {
  const c = ws();
  if (c === 34) return str();
  if (c === 123) {
    if (depth >= MAX_DEPTH) return giveUp();
    i++;
    const o: { [key: string]: JsonValue } = {};
    let d = ws();
    if (d === 125) {
      i++;
      return o;
    }
    for (;;) {
      if (d !== 34) return giveUp();
      const k = key();
      if (bad || ws() !== 58) return giveUp();
      i++;
      const v = value(depth + 1);
      if (bad) return null;
      // No value is undefined: a defined one is a duplicate or inherited (toString); __proto__ is special.
      if (o[k] !== undefined || k === "__proto__") return giveUp();
      o[k] = v;
      d = ws();
      if (d === 44) {
        i++;
        d = ws();
        continue;
      }
      if (d === 125) {
        i++;
        return o;
      }
      return giveUp();
    }
  }
  if (c === 91) {
    if (depth >= MAX_DEPTH) return giveUp();
    i++;
    const a: JsonValue[] = [];
    if (ws() === 93) {
      i++;
      return a;
    }
    for (;;) {
      const v = value(depth + 1);
      if (bad) return null;
      a.push(v);
      const d = ws();
      if (d === 44) {
        i++;
        continue;
      }
      if (d === 93) {
        i++;
        return a;
      }
      return giveUp();
    }
  }
  if (c === 116) return literal("true", true);
  if (c === 102) return literal("false", false);
  if (c === 110) return literal("null", null);
  return integer(c);
}

function literal(word: string, v: JsonValue): JsonValue {
  if (!t.startsWith(word, i)) return giveUp();
  i += word.length;
  return v;
}

/** A plain integer (no fraction, no exponent, not -0, at most 20 digits); anything else gives up. */
function integer(c: number): JsonValue {
  const s = i;
  const neg = c === 45;
  if (neg) c = t.charCodeAt(++i);
  if (c === 48) {
    c = t.charCodeAt(++i);
    if (neg || (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69) return giveUp();
    return 0;
  }
  if (!(c >= 49 && c <= 57)) return giveUp();
  let n = 0;
  while (c >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    c = t.charCodeAt(++i);
  }
  if (c === 46 || c === 101 || c === 69) return giveUp();
  const len = i - s - (neg ? 1 : 0);
  // Up to 15 digits the running value is exact.
  if (len <= 15) return neg ? -n : n;
  if (len > 20) return giveUp();
  const token = t.slice(s, i);
  const x = Number(token);
  return Number.isSafeInteger(x) ? x : MARK + token;
}

function giveUp(): null {
  bad = true;
  return null;
}
