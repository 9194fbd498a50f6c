// The fast reading of `common` must give exactly what Python's json module reads from the same line, and
// must leave every line it does not take exactly (anything strict reading refuses, or any other shape) to
// the general path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fastCommon } from "./fast-common.js";
import { haveSamples, sample } from "../../test/samples.js";

const FILES = [
  "retis/test_data/test_events_packets.json",
  "retis/test_data/test_events_bench.json",
  "retis/test_data/test_events_bench_no_probes.json",
  "retis/test_data/test_events_packets_invalid_ct.json",
  "retis-events/test_data/test_events.json",
  "retis-events/test_data/test_events_sorted.json",
];

/** `common` of each event line of `path` as Python's json reads it, integers as their digits. */
function pythonCommons(path: string): unknown[] {
  const code = `import json, sys
out = []
for l in open(sys.argv[1]):
    if not l.strip(): continue
    v = json.loads(l, parse_int=lambda t: {"$int": t})
    for e in (v if isinstance(v, list) else [v]): out.append(e["common"])
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", code, path], { encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}

function asJs(v: unknown, key = ""): unknown {
  if (v !== null && typeof v === "object" && "$int" in v) {
    const d = (v as { $int: string }).$int;
    return key === "timestamp" ? BigInt(d) : Number(d);
  }
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJs(x, k)]));
  return v;
}

test("fast common reads Retis's samples as Python does", (t) => {
  if (!haveSamples(t)) return;
  let taken = 0;
  for (const f of FILES) {
    const path = sample(f);
    const expected = pythonCommons(path).map((c) => asJs(c));
    // Events of a sorted file sit inside arrays: each element starts with {"common":.
    const events = readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .flatMap((l) => (l.startsWith("[") ? l.slice(1).split(/,(?=\{"common":)/) : [l]));
    assert.equal(events.length, expected.length);
    events.forEach((line, i) => {
      const got = fastCommon(line);
      if (got === undefined) return;
      taken++;
      assert.deepEqual(got, expected[i], `${f} event ${i + 1}`);
    });
  }
  // Sorted files list keys alphabetically: those events take the general path.
  assert.ok(taken > 50, `fast path took ${taken} events`);
});

const GOOD = '{"common":{"timestamp":30419169061793,"smp_id":6,"task":{"pid":11330,"tgid":11330,"comm":"ping"}},"kernel":{}}';

test("fast common takes the usual shape", () => {
  assert.deepEqual(fastCommon(GOOD), { timestamp: 30419169061793n, smp_id: 6, task: { pid: 11330, tgid: 11330, comm: "ping" } });
  assert.deepEqual(fastCommon('{"common":{"timestamp":18446744073709551615}}'), { timestamp: 18446744073709551615n });
  assert.deepEqual(fastCommon('{"common":{"timestamp":0,"smp_id":4294967295},"x":1}'), { timestamp: 0n, smp_id: 4294967295 });
});

test("fast common leaves everything else to the general path", () => {
  const cases: [string, string][] = [
    ["leading zero", GOOD.replace(":30419169061793", ":030419169061793")],
    ["leading zero in smp_id", GOOD.replace('"smp_id":6', '"smp_id":06')],
    ["leading zero in pid", GOOD.replace('"pid":11330', '"pid":011330')],
    ["2^64", '{"common":{"timestamp":18446744073709551616}}'],
    ["21 digits", '{"common":{"timestamp":100000000000000000000}}'],
    ["2^32 in smp_id", GOOD.replace('"smp_id":6', '"smp_id":4294967296')],
    ["2^31 in pid", GOOD.replace('"pid":11330', '"pid":2147483648')],
    ["negative pid", GOOD.replace('"pid":11330', '"pid":-1')],
    ["float", GOOD.replace('"smp_id":6', '"smp_id":6.0')],
    ["exponent", GOOD.replace('"smp_id":6', '"smp_id":6e0')],
    ["escape in comm", GOOD.replace('"ping"', '"pi\\u0000ng"')],
    ["control character in comm", GOOD.replace('"ping"', '"pi\u0001ng"')],
    ["lone surrogate in comm", GOOD.replace('"ping"', '"pi\ud800ng"')],
    ["comm not closed", '{"common":{"timestamp":1,"smp_id":6,"task":{"pid":1,"tgid":1,"comm":"ping'],
    ["task not closed", GOOD.replace('"ping"}}', '"ping"},')],
    ["nothing after common", GOOD.slice(0, GOOD.indexOf(',"kernel"'))],
    ["garbage after common", GOOD.replace(',"kernel"', ' "kernel"')],
    ["white space", GOOD.replace('"smp_id":6', '"smp_id": 6')],
    ["string timestamp", '{"common":{"timestamp":"1"}}'],
    ["other key", GOOD.replace('"tgid"', '"tgidx"')],
    ["extra key", GOOD.replace('"ping"', '"ping","x":1')],
    ["no digits", '{"common":{"timestamp":}}'],
  ];
  for (const [what, line] of cases) assert.equal(fastCommon(line), undefined, what);
});
