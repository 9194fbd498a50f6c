// Bad input gets the library's own error naming file, line and what was expected — never a raw crash,
// never a silently skipped event. The fuzz test mutates Retis's real files thousands of times.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, RetisFormatError, RetisUsageError } from "./index.js";
import { haveSamples, sample } from "../test/samples.js";

const dir = mkdtempSync(join(tmpdir(), "retis-bad-"));
let n = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, content);
  return p;
}

/** Reads everything a reader can give, parsing every section, as print/sort do. */
function readAll(path: string): number {
  const f = new EventFile(path);
  let count = 0;
  if (f.sorted()) for (const s of f.series()) for (const e of s) (e.parseAll(), String(e), count++);
  else for (const e of f.events()) (e.parseAll(), String(e), e.toJSONLine(), count++);
  return count;
}

function expectError(path: string, line: number, pattern: RegExp): void {
  assert.throws(
    () => readAll(path),
    (e: unknown) => {
      assert.ok(e instanceof RetisFormatError, `expected RetisFormatError, got ${String(e)}`);
      assert.equal(e.file, path);
      assert.equal(e.line, line, e.message);
      assert.match(e.message, pattern);
      assert.equal(e.message.includes("\n"), false);
      return true;
    },
  );
}

const STARTUP =
  '{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"c","clock_monotonic_offset":{"sec":0,"nsec":0},"machine":{"kernel_release":"r","kernel_version":"v","hardware_name":"h"}}}';
const EVENT = '{"common":{"timestamp":2},"kernel":{"symbol":"skb:kfree_skb","probe_type":"raw_tracepoint"},"skb-drop":{"drop_reason":"NO_SOCKET"}}';

test("empty file", () => expectError(file(""), 1, /File is empty; expected a startup event/));
test("binary garbage", () => expectError(file(Buffer.from([0, 1, 2, 0xff, 10, 3])), 1, /invalid json data; expected a JSON object/));
test("missing startup", () => expectError(file(`${EVENT}\n`), 1, /Cannot find version in startup event/));
test("unknown version", () => expectError(file(`${STARTUP.replace("v1.7.0", "unspec")}\n`), 1, /cannot parse Retis version 'unspec'/));
test("unsupported version", () => expectError(file(`${STARTUP.replace("v1.7.0", "v0.9.1")}\n`), 1, /unsupported Retis version v0.9.1; expected 1.5 or later/));
test("invalid JSON on a later line", () => expectError(file(`${STARTUP}\n${EVENT}\n{"common":{"timestamp":3},,}\n`), 3, /invalid JSON at column \d+/));
test("truncated last line", () => expectError(file(`${STARTUP}\n${EVENT}\n${EVENT.slice(0, 60)}`), 3, /not closed \(truncated line\?\)|invalid JSON/));
test("blank line", () => expectError(file(`${STARTUP}\n\n${EVENT}\n`), 2, /empty line; expected one JSON event per line/));
test("a section of the wrong shape", () =>
  expectError(file(`${STARTUP}\n${EVENT.replace('"NO_SOCKET"', "7")}\n`), 2, /section 'skb-drop': field 'drop_reason' is 7, expected a string/));
test("a u64 that is negative", () =>
  expectError(file(`${STARTUP}\n{"common":{"timestamp":-5}}\n`), 2, /field 'timestamp' is -5, expected an unsigned 64-bit integer/));
test("missing file", () => assert.throws(() => new EventFile(join(dir, "nope")), /nope: Could not open file: no such file/));
test("wrong file kind for the reader", () => {
  const sorted = file(`[${STARTUP}]\n[${EVENT}]\n`);
  assert.throws(() => new EventFile(sorted).events(), RetisUsageError);
  assert.equal(readAll(sorted), 2);
});

test("Retis's invalid-ct sample is refused at its first ct section", (t) => {
  if (!haveSamples(t)) return;
  const p = sample("retis/test_data/test_events_packets_invalid_ct.json");
  expectError(p, 8, /section 'ct': field 'ct_status' is missing, expected an unsigned 64-bit integer/);
});

test("fuzz: 4,000 mutations of the real samples fail only with RetisFormatError and a line", (t) => {
  if (!haveSamples(t)) return;
  const sources = [
    "retis/test_data/test_events_packets.json",
    "retis-events/test_data/test_events.json",
    "retis-events/test_data/test_events_sorted.json",
    "retis/test_data/test_events_bench.json",
  ].map((s) => readFileSync(sample(s)));
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const glyphs = Buffer.from('{}[]":,0123456789-e.\\ntfa\n \x00\xff');
  let failures = 0;
  for (let i = 0; i < 4000; i++) {
    const src = sources[i % sources.length]!;
    const buf = Buffer.from(src);
    const kind = rand(4);
    let data: Buffer;
    if (kind === 0) data = buf.subarray(0, rand(buf.length));
    else if (kind === 1) {
      for (let k = 0; k < 1 + rand(3); k++) buf[rand(buf.length)] = glyphs[rand(glyphs.length)]!;
      data = buf;
    } else if (kind === 2) {
      const at = rand(buf.length);
      data = Buffer.concat([buf.subarray(0, at), buf.subarray(at + 1 + rand(20))]);
    } else {
      const at = rand(buf.length);
      data = Buffer.concat([buf.subarray(0, at), Buffer.from([glyphs[rand(glyphs.length)]!]), buf.subarray(at)]);
    }
    const p = join(dir, "fuzz.json");
    writeFileSync(p, data);
    try {
      readAll(p);
    } catch (e) {
      failures++;
      assert.ok(e instanceof RetisFormatError || e instanceof RetisUsageError, `mutation ${i} (kind ${kind}) threw ${(e as Error)?.stack}`);
      if (e instanceof RetisFormatError) assert.ok(e.line >= 0 && e.file === p, e.message);
    }
  }
  assert.ok(failures > 1000, `only ${failures} mutations failed: the fuzzer is not reaching the parser`);
});

// The traps the fuzzer of issue H found; each was accepted (or crashed) before the strict reading.
const EV = (body: string) => `${STARTUP}\n{"common":{"timestamp":2,"smp_id":1,"task":{"pid":1,"tgid":1,"comm":"c"}}${body}}\n`;
const TRACK = (skb: string) => `,"skb-tracking":{"orig_head":1,"timestamp":2,"skb":${skb}}`;
for (const [what, text, pattern] of [
  ["leading zeros in a u64", EV(TRACK("0000000000000000001")), /leading zero/],
  ["2^64 in a u64", EV(TRACK("18446744073709551616")), /expected an unsigned 64-bit integer/],
  ["a million digits", EV(TRACK("9".repeat(1_000_000))), /expected at most 4300 digits/],
  ["a forged long-integer mark", EV(TRACK('"\\ud8004124620062924"')), /lone surrogate/],
  ["a 20-digit number in a string field", EV("").replace('"comm":"c"', '"comm":12345678901234567890'), /field 'task.comm' is 12345678901234567890, expected a string/],
  ["-1 in a u32", EV("").replace('"smp_id":1', '"smp_id":-1'), /expected an unsigned 32-bit integer/],
  ["1.5 in a u32", EV("").replace('"smp_id":1', '"smp_id":1.5'), /is 1.5, expected an unsigned 32-bit integer/],
  ["1.0 in a u32", EV("").replace('"smp_id":1', '"smp_id":1.0'), /is 1.0, expected an unsigned 32-bit integer/],
  ["1e400", EV("").replace('"smp_id":1', '"smp_id":1e400'), /too large for a double/],
  ["2^32 in a u32", EV("").replace('"smp_id":1', '"smp_id":4294967296'), /expected an unsigned 32-bit integer/],
  ["bad base64", EV(',"packet":{"len":2,"capture_len":2,"data":"AB-="}'), /field 'data' is "AB-=", expected base64/],
  ["non-canonical base64", EV(',"packet":{"len":1,"capture_len":1,"data":"AB=="}'), /expected base64/],
  ["a raw NUL in a string", EV("").replace('"comm":"c"', '"comm":"c\u0000"'), /control character U\+0000/],
  ["a raw NUL in a section key", EV(',"ct\u0000":{}'), /control character/],
  ["a duplicate section", EV(',"kernel":{"symbol":"a","probe_type":"kprobe"},"kernel":{"symbol":"b","probe_type":"kprobe"}'), /duplicate key "kernel"/],
  ["a duplicate nested key", EV("").replace('"pid":1', '"pid":1,"pid":2'), /duplicate key "pid"/],
  ["nesting 100,000 deep", EV(`,"x":${"[".repeat(100_000)}${"]".repeat(100_000)}`), /nested deeper than 64 levels/],
] as const) {
  test(`strict reading: ${what}`, () => expectError(file(text), 2, pattern));
}

test("strict reading: invalid UTF-8 is refused at its line, the lines before it are read", () => {
  const p = file(Buffer.concat([Buffer.from(`${STARTUP}\n${EVENT}\n${EVENT.replace("NO_SOCKET", "NO_")}`), Buffer.from([0xff]), Buffer.from('"}}\n')]));
  expectError(p, 3, /not valid UTF-8 \(at byte \d+ of the line\)/);
  const seen: number[] = [];
  assert.throws(() => {
    for (const e of new EventFile(p).events()) seen.push(e.source!.line);
  }, RetisFormatError);
  assert.deepEqual(seen, [1, 2]);
});

test("strict reading: a valid escaped NUL, a surrogate pair and non-ASCII text are read and written back exactly", () => {
  const line = `{"common":{"timestamp":2,"task":{"pid":1,"tgid":1,"comm":"\\u0000\\ud83d\\ude00 été"}},"x-n":[1.5,-0,1e2,12345678901234567890123],"x-s":["\\ud800\\udc00","𐀀1","\\udbff\\udfff"]}`;
  const e = [...new EventFile(file(`${STARTUP}\n${line}\n`)).events()][1]!;
  e.parseAll();
  assert.equal(e.common.task?.comm, "\u0000😀 été");
  assert.deepEqual(e.toDict()["x-n"], [1.5, -0, 100, 12345678901234567890123n]);
  // Characters beyond U+FFFF start with a high surrogate: never taken for a marked number.
  assert.deepEqual(e.toDict()["x-s"], ["\u{10000}", "\u{10000}1", "\u{10ffff}"]);
  assert.equal(e.toJSONLine(), line);
});
