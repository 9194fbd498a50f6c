// Seeded fuzz cases derived from Retis's real sample files: truncation at every byte of a few lines, byte
// flips, every field's type changed, out-of-range numbers, and the string and number traps that once got
// through (leading zeros, control characters, NUL, lone surrogates, forged long-integer marks, invalid
// UTF-8, 16+-digit numbers in string fields, duplicate keys, deep nesting, bad base64).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Num, parseJson, write, type J } from "./checker.js";

export interface Case {
  name: string;
  bytes: Buffer;
}

/** xorshift32: the same seed gives the same cases on every machine. */
export class Rand {
  constructor(private s: number) {
    if (this.s === 0) this.s = 0x9e3779b9;
  }
  next(): number {
    this.s ^= this.s << 13;
    this.s ^= this.s >>> 17;
    this.s ^= this.s << 5;
    return this.s >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

const CURRENT_STARTUP =
  '{"common":{"timestamp":23868643385852},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect -o","clock_monotonic_offset":{"sec":1742309146,"nsec":691042000},"machine":{"kernel_release":"6.14.0","kernel_version":"#1 SMP PREEMPT_DYNAMIC","hardware_name":"x86_64"}}}';

/** The base files: Retis's own (1.6) and the same events under a current (1.7) startup line. */
export function baseFiles(samplesDir: string): { name: string; lines: string[] }[] {
  const read = (p: string) => readFileSync(join(samplesDir, p), "utf8").split("\n").filter((l) => l.length > 0);
  const packets = read("retis/test_data/test_events_packets.json");
  const sorted = read("retis-events/test_data/test_events_sorted.json");
  const handmade = read("retis-events/test_data/test_events.json");
  return [
    { name: "current", lines: [CURRENT_STARTUP, ...packets.slice(1, 9)] },
    { name: "current-tail", lines: [CURRENT_STARTUP, ...packets.slice(17, 27)] },
    { name: "packets-1.6", lines: packets.slice(0, 9) },
    { name: "sorted-1.6", lines: sorted },
    { name: "sorted-current", lines: [`[${CURRENT_STARTUP}]`, ...sorted.slice(1)] },
    { name: "handmade-1.6", lines: handmade },
  ];
}

type Path = (string | number)[];

/** Every leaf (and every container) path of a parsed value. */
function paths(v: J, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (v instanceof Map) for (const [k, x] of v) paths(x, [...at, k], out);
  else if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  return out;
}

function get(v: J, p: Path): J {
  for (const k of p) v = v instanceof Map ? v.get(k as string)! : (v as J[])[k as number]!;
  return v;
}

function set(v: J, p: Path, x: J): J {
  if (p.length === 0) return x;
  const parent = get(v, p.slice(0, -1));
  const k = p[p.length - 1]!;
  if (parent instanceof Map) parent.set(k as string, x);
  else (parent as J[])[k as number] = x;
  return v;
}

const PLACEHOLDER = "\u0001\u0002placeholder\u0002\u0001";

/** The line with the value at `p` replaced by raw JSON text `raw` (which may be anything, even invalid). */
function replaceRaw(line: string, p: Path, raw: string): string {
  const v = set(parseJson(line), p, PLACEHOLDER);
  return write(v).replace(JSON.stringify(PLACEHOLDER), raw);
}

const OTHER_TYPES = ['"text"', "7", "-1", "true", "null", "{}", "[]", "1.5", '"18446744073709551615"', "[1,2,3,4]"];

const NUMBERS = [
  "-1", "256", "65536", "4294967296", "4294967295", "2147483648", "-2147483649", "18446744073709551615",
  "18446744073709551616", "-9223372036854775809", "9007199254740993", "9223372036854775807", "1e400", "-1e400", "1e2", "1.0",
  "1.5", "-0", "0001", "00", "0000000000000000001", "9".repeat(5000), "1".repeat(25), "2E1", "0.0000001",
];

const STRING_TRAPS = [
  '"a\u0000b"', // raw NUL
  '"a\u0001b"', // raw control character
  '"tab\there"', // raw tab
  '"\\u0000"', // escaped NUL: valid JSON
  '"\\ud800"', // escaped lone high surrogate
  '"\\udc00x"', // escaped lone low surrogate
  '"\\ud8004124620062924"', // looks like a marked long integer (the old mark)
  '"\\udfff4124620062924"', // looks like a marked long integer
  '"\\udffe1.5"', // looks like a marked float
  '"\\ud83d\\ude00"', // a valid pair
  '"\\ud800\\udc00"', // U+10000: starts with the high surrogate U+D800
  '"\u{10000}123"', // the same, raw
  '"\\x41"', // bad escape
  '"\\u12"', // short \u
  "12345678901234567890", // a long number where a string is expected
  "1234567890123456", // 16 digits
  '"\u00e9t\u00e9 \u65e5\u672c"', // valid non-ASCII
  '"' + "\\\\".repeat(30) + '"', // many backslashes
];

function deep(n: number): string {
  return "[".repeat(n) + "]".repeat(n);
}

/** Mutations of one line; each returns the new line text, or undefined when not applicable. */
function mutateLine(line: string, r: Rand): { how: string; text: string | Buffer } | undefined {
  let v: J;
  try {
    v = parseJson(line);
  } catch {
    return undefined;
  }
  const all = paths(v).filter((p) => p.length > 0);
  if (all.length === 0) return undefined;
  const kind = r.int(9);
  if (kind <= 1) {
    // Every field's type changed (over many cases).
    const p = r.pick(all);
    const raw = r.pick(OTHER_TYPES);
    return { how: `type ${p.join(".")}=${raw}`, text: replaceRaw(line, p, raw) };
  }
  if (kind <= 3) {
    const ints = all.filter((p) => get(v, p) instanceof Num);
    if (ints.length === 0) return undefined;
    const p = r.pick(ints);
    const raw = r.pick(NUMBERS);
    return { how: `number ${p.join(".")}=${raw.slice(0, 30)}`, text: replaceRaw(line, p, raw) };
  }
  if (kind <= 5) {
    const strs = all.filter((p) => typeof get(v, p) === "string");
    if (strs.length === 0) return undefined;
    const p = r.pick(strs);
    const raw = r.pick(STRING_TRAPS);
    return { how: `string ${p.join(".")}=${raw.slice(0, 30)}`, text: replaceRaw(line, p, raw) };
  }
  if (kind === 6) {
    // Keys: NUL inside, escaped, duplicated.
    const objs = all.filter((p) => typeof p[p.length - 1] === "string");
    if (objs.length === 0) return undefined;
    const p = r.pick(objs);
    const key = p[p.length - 1] as string;
    const text = write(v);
    const needle = `${JSON.stringify(key)}:`;
    const at = text.indexOf(needle);
    const variants = [
      `"${key}\u0000":`,
      `"${key}\\u0000":`,
      `"\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}":`,
      `${needle}${write(get(v, p))},${needle}`,
    ];
    const which = r.int(variants.length);
    return { how: `key ${p.join(".")} #${which}`, text: text.slice(0, at) + variants[which] + text.slice(at + needle.length) };
  }
  if (kind === 7) {
    // Nesting: within the limit, just over it, far over it; in an unknown member and in a section.
    const depth = r.pick([8, 63, 64, 65, 200, 20000]);
    const p = r.int(2) === 0 ? ["x-deep"] : r.pick(all);
    const obj = v instanceof Map ? v : undefined;
    if (p[0] === "x-deep" && obj) {
      obj.set("x-deep", PLACEHOLDER);
      return { how: `deep member ${depth}`, text: write(obj).replace(JSON.stringify(PLACEHOLDER), deep(depth)) };
    }
    return { how: `deep ${p.join(".")} ${depth}`, text: replaceRaw(line, p, deep(depth)) };
  }
  // Packet data: base64 traps; elsewhere invalid UTF-8 bytes inside a string.
  const data = all.find((p) => p[p.length - 1] === "data" && typeof get(v, p) === "string");
  if (data && r.int(2) === 0) {
    const b = get(v, data) as string;
    const traps = [b.replace(/=+$/, ""), b.replace("+", "-"), `${b.slice(0, -4)}AAA=`, `${b.slice(0, -2)}B=`, `${b}=`, `${b.slice(0, 4)} ${b.slice(4)}`, `!${b.slice(1)}`, "", "AAAA"];
    const raw = r.pick(traps);
    return { how: `base64 ${raw.slice(0, 12)}`, text: replaceRaw(line, data, JSON.stringify(raw)) };
  }
  const strs = all.filter((p) => typeof get(v, p) === "string");
  if (strs.length === 0) return undefined;
  const p = r.pick(strs);
  const text = replaceRaw(line, p, '"\u0001BAD\u0001"');
  const [a, b] = text.split("\u0001BAD\u0001");
  const bad = r.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]);
  return { how: `utf8 ${p.join(".")} ${bad.join(",")}`, text: Buffer.concat([Buffer.from(a!), Buffer.from(bad), Buffer.from(b!)]) };
}

function join2(lines: (string | Buffer)[], trailingNewline = true): Buffer {
  const parts: Buffer[] = [];
  lines.forEach((l, i) => {
    parts.push(Buffer.from(l));
    if (i < lines.length - 1 || trailingNewline) parts.push(Buffer.from("\n"));
  });
  return Buffer.concat(parts);
}

/**
 * `count` cases from `seed`: first the systematic ones (every base file as is, truncation at every byte of
 * two lines), then random mutations.
 */
export function* generate(samplesDir: string, seed: number, count: number): Generator<Case> {
  const bases = baseFiles(samplesDir);
  const r = new Rand(seed);
  let n = 0;
  for (const b of bases) {
    if (n++ >= count) return;
    yield { name: `${b.name} as is`, bytes: join2(b.lines) };
  }
  // Truncation at every byte of the first two lines of the current file (the last line then has no '\n').
  const cur = bases[0]!;
  for (const lineNo of [0, 1]) {
    const before = join2(cur.lines.slice(0, lineNo));
    const line = Buffer.from(cur.lines[lineNo]!);
    for (let k = 0; k <= line.length; k++) {
      if (n++ >= count) return;
      yield { name: `${cur.name} line ${lineNo + 1} cut at ${k}`, bytes: Buffer.concat([before, line.subarray(0, k)]) };
    }
  }
  const glyphs = Buffer.from('{}[]":,0123456789-e.\\ntfa \x00\x7f');
  while (n < count) {
    const b = r.pick(bases);
    const lines: (string | Buffer)[] = [...b.lines];
    const kind = r.int(4);
    let name: string;
    if (kind === 0) {
      // Byte flips anywhere in the file.
      const bytes = join2(lines);
      const flips = 1 + r.int(3);
      for (let k = 0; k < flips; k++) bytes[r.int(bytes.length)] = r.int(2) === 0 ? r.pick([...glyphs]) : r.int(256);
      n++;
      yield { name: `${b.name} ${flips} byte flips`, bytes };
      continue;
    } else {
      const at = r.int(lines.length);
      const m = mutateLine(lines[at] as string, r);
      if (m === undefined) continue;
      lines[at] = m.text;
      name = `${b.name} line ${at + 1} ${m.how}`;
    }
    n++;
    yield { name, bytes: join2(lines) };
  }
}
