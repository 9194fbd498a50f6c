// The one-pass reading must build exactly what the general path (strict scan, then V8's JSON.parse) builds,
// and must give up on everything that path refuses. Inputs: Retis's sample lines, each cut at every byte
// and with every character replaced by a handful of traps, plus the strict-JSON traps of issue H.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fastParse, GIVE_UP } from "./fast-parse.js";
import { scanStrict } from "./strict.js";
import { haveSamples, sample } from "../../test/samples.js";

function general(text: string): unknown {
  try {
    return { ok: JSON.parse(scanStrict(text) ?? text) as unknown };
  } catch {
    return "refused";
  }
}

function check(text: string, what: string): boolean {
  const fast = fastParse(text);
  if (fast === GIVE_UP) return false;
  assert.deepEqual({ ok: fast }, general(text), `${what}: ${JSON.stringify(text.slice(0, 120))}`);
  return true;
}

test("fast parse reads Retis's samples as the general path does, and gives up on every cut and trap", (t) => {
  if (!haveSamples(t)) return;
  const lines = ["retis/test_data/test_events_packets.json", "retis-events/test_data/test_events_sorted.json"].flatMap((f) =>
    readFileSync(sample(f), "utf8")
      .split("\n")
      .filter((l) => l !== ""),
  );
  let taken = 0;
  for (const line of lines) if (check(line, "sample")) taken++;
  assert.ok(taken >= lines.length - 2, `taken ${taken} of ${lines.length}`);
  const traps = ["", " ", "0", "00", "-", "-0", "1.5", "1e2", '"', "\\", "\u0000", "\ud800", "\udfff", "é", ",", "}", "]", "{", "[", "null", "tru"];
  let cases = 0;
  for (const line of lines.slice(0, 8)) {
    for (let k = 0; k < line.length; k++) {
      check(line.slice(0, k), "cut");
      for (const trap of traps) {
        check(line.slice(0, k) + trap + line.slice(k + 1), "replaced");
        check(line.slice(0, k) + trap + line.slice(k), "inserted");
        cases += 2;
      }
    }
  }
  assert.ok(cases > 100_000);
});

test("fast parse: the strict traps of issue H are never taken", () => {
  const refused = [
    '{"a":01}',
    '{"a":-0}',
    '{"a":1,"a":2}',
    '{"a":"\u0000"}',
    '{"a":"\\ud800"}',
    '{"a":"\ud800"}',
    '{"a":1}x',
    '{"a":1e400}',
    '{"a":1.}',
    '{"a":.1}',
    '{"a":+1}',
    '{"a":[1,]}',
    '{"a":{},}',
    '{"toString":1}',
    '{"__proto__":1}',
    `${"[".repeat(65)}${"]".repeat(65)}`,
    "",
    "nul",
    '{"a":tru}',
  ];
  for (const text of refused) assert.equal(fastParse(text), GIVE_UP, text);
});

test("fast parse keeps integers exact as the general path marks them", () => {
  for (const text of ['{"a":18446744073709551615}', '{"a":9007199254740991}', '{"a":9007199254740993}', '{"a":-9007199254740993}', "[0,-1,123456789012345]"])
    assert.ok(check(text, "integers"), text);
  assert.equal(check(`${"[".repeat(64)}${"]".repeat(64)}`, "deepest"), true);
});
