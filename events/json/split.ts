// Splits an event line into its top-level members without parsing them, so that a section is parsed only
// when it is read, and an unchanged section is written back as the very bytes it was read from.
import { JsonSyntaxError, stringEnd } from "./exact.js";
import { scanString } from "./strict.js";

/** Offset just past the JSON value starting at `i` (after white space). Checks nesting, not content. */
export function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 34) {
    const e = stringEnd(t, i);
    if (e < 0) throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: string not closed`, i);
    return e;
  }
  if (c === 123 || c === 91) {
    // Closers are kept on a stack: a '}' closing a '[' is caught here, not later.
    const stack: number[] = [];
    for (let j = i; j < t.length; j++) {
      const d = t.charCodeAt(j);
      if (d === 34) {
        const e = stringEnd(t, j);
        if (e < 0) throw new JsonSyntaxError(`invalid JSON at column ${j + 1}: string not closed`, j);
        j = e - 1;
      } else if (d === 123) stack.push(125);
      else if (d === 91) stack.push(93);
      else if (d === 125 || d === 93) {
        if (stack.pop() !== d)
          throw new JsonSyntaxError(`invalid JSON at column ${j + 1}: unexpected '${t[j]}'`, j);
        if (stack.length === 0) return j + 1;
      }
    }
    throw new JsonSyntaxError(`invalid JSON: ${c === 123 ? "object" : "array"} not closed (truncated line?)`, t.length);
  }
  let j = i;
  for (; j < t.length; j++) {
    const d = t.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
  }
  if (j === i) throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: expected a value`, i);
  return j;
}

function skipWs(t: string, i: number): number {
  let c = t.charCodeAt(i);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++i);
  return i;
}

function expectChar(t: string, i: number, code: number, what: string): void {
  if (t.charCodeAt(i) !== code) {
    const found = i < t.length ? `'${t[i]}'` : "end of line";
    throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: expected ${what}, found ${found}`, i);
  }
}

/** The members of a JSON object, as key → raw value text, in file order. */
export function splitObject(t: string, start = 0, end = t.length): Map<string, string> {
  const members = new Map<string, string>();
  let i = skipWs(t, start);
  expectChar(t, i, 123, "'{'");
  i = skipWs(t, i + 1);
  if (t.charCodeAt(i) === 125) return finish(t, i + 1, end, members);
  for (;;) {
    expectChar(t, i, 34, "a key");
    // Keys are checked strictly here (control characters, escapes, surrogates): a bad key must not make a
    // section vanish.
    const keyEnd = scanString(t, i, end);
    const rawKey = t.slice(i, keyEnd);
    const key = rawKey.indexOf("\\") < 0 ? rawKey.slice(1, -1) : parseKey(rawKey, i);
    i = skipWs(t, keyEnd);
    expectChar(t, i, 58, "':'");
    i = skipWs(t, i + 1);
    const vEnd = valueEnd(t, i);
    if (members.has(key)) throw new JsonSyntaxError(`duplicate key '${key}'`, i);
    members.set(key, t.slice(i, vEnd));
    i = skipWs(t, vEnd);
    const c = t.charCodeAt(i);
    if (c === 125) return finish(t, i + 1, end, members);
    expectChar(t, i, 44, "',' or '}'");
    i = skipWs(t, i + 1);
  }
}

/** The elements of a JSON array, as raw value texts. */
export function splitArray(t: string): string[] {
  const out: string[] = [];
  let i = skipWs(t, 0);
  expectChar(t, i, 91, "'['");
  i = skipWs(t, i + 1);
  if (t.charCodeAt(i) === 93) return finish(t, i + 1, t.length, out);
  for (;;) {
    const vEnd = valueEnd(t, i);
    out.push(t.slice(i, vEnd));
    i = skipWs(t, vEnd);
    if (t.charCodeAt(i) === 93) return finish(t, i + 1, t.length, out);
    expectChar(t, i, 44, "',' or ']'");
    i = skipWs(t, i + 1);
  }
}

function finish<T>(t: string, i: number, end: number, value: T): T {
  i = skipWs(t, i);
  if (i < end) throw new JsonSyntaxError(`invalid JSON at column ${i + 1}: unexpected data after the value`, i);
  return value;
}

function parseKey(raw: string, at: number): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw new JsonSyntaxError(`invalid JSON at column ${at + 1}: bad escape in key ${raw.slice(0, 30)}`, at);
  }
}
