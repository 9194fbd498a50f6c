// Events behave like plain data to ordinary JavaScript (issue F): `in`, Object.keys, spreading, for…in and
// JSON.stringify see exactly what the file holds. The oracle is the file itself, read by Python's json module
// with every integer kept as its digits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { EventFile, SeriesReader, type Event } from "./index.js";
import { haveSamples, sample } from "../test/samples.js";

const PACKETS = "retis/test_data/test_events_packets.json";
const SORTED = "retis-events/test_data/test_events_sorted.json";
const SECTION_NAMES = ["common", "kernel", "userspace", "tracking", "skb_tracking", "skb_drop", "packet", "skb", "netns", "dev", "ovs", "ovs_detrace", "nft", "ct", "startup"];

/** Each line of `path` as Python's json reads it, integers marked as {"$int": digits}. */
function pythonLines(path: string): unknown[] {
  const code = `import json, sys
out = [json.loads(l, parse_int=lambda t: {"$int": t}) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", code, path], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}

/**
 * Checks that `written` (JSON.parse of what JSON.stringify wrote) holds `file` (Python's reading) exactly: every
 * integer either as the same safe number or as a string of its very digits; every other value equal. Returns
 * how many integers came out as strings.
 */
function sameData(written: unknown, file: unknown, where: string): number {
  if (file !== null && typeof file === "object" && "$int" in file) {
    const digits = (file as { $int: string }).$int;
    if (typeof written === "string") {
      assert.equal(written, digits, where);
      return 1;
    }
    assert.equal(typeof written, "number", where);
    assert.ok(Number.isSafeInteger(written), `${where}: ${digits} written as an unsafe number`);
    assert.equal(String(written), digits, where);
    return 0;
  }
  if (Array.isArray(file)) {
    assert.ok(Array.isArray(written), where);
    assert.equal(written.length, file.length, where);
    return file.reduce((n: number, v, i) => n + sameData(written[i], v, `${where}[${i}]`), 0);
  }
  if (file !== null && typeof file === "object") {
    assert.ok(written !== null && typeof written === "object" && !Array.isArray(written), where);
    assert.deepEqual(Object.keys(written).sort(), Object.keys(file).sort(), where);
    let n = 0;
    for (const [k, v] of Object.entries(file)) n += sameData((written as Record<string, unknown>)[k], v, `${where}.${k}`);
    return n;
  }
  assert.equal(written, file, where);
  return 0;
}

/** A current-format capture: lines whose JSON is what the file says (no compat fix-ups to account for). */
function currentCapture(): string {
  const dir = mkdtempSync(join(tmpdir(), "retis-plain-"));
  const path = join(dir, "retis.data");
  const lines = [
    '{"common":{"timestamp":23868643385852},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect","clock_monotonic_offset":{"sec":1742309146,"nsec":691042000},"machine":{"kernel_release":"6.14.0","kernel_version":"#1 SMP","hardware_name":"x86_64"}}}',
    '{"common":{"timestamp":30419169061793,"smp_id":6,"task":{"pid":11330,"tgid":11330,"comm":"ping"}},"kernel":{"symbol":"net:net_dev_start_xmit","probe_type":"raw_tracepoint"},"skb-tracking":{"orig_head":18446619372617628672,"timestamp":30419169061793,"skb":18446744073709551615},"x-notes":{"big":123456789012345678901,"s":"a\\"b"},"ct":{"state":"new","zone_id":0,"zone_dir":"Default","orig":{"ip":{"src":"1.1.1.1","dst":"2.2.2.2","version":"v4"},"proto":{"tcp":{"sport":1,"dport":2}}},"reply":{"ip":{"src":"2.2.2.2","dst":"1.1.1.1","version":"v4"},"proto":{"tcp":{"sport":2,"dport":1}}},"proto_state":"ESTABLISHED","labels":{"hi":18446744073709551615,"lo":1},"ct_status":18446744073709551614}}',
    '{"common":{"timestamp":30419169070000},"kernel":{"symbol":"skb:kfree_skb","probe_type":"raw_tracepoint"},"skb-drop":{"drop_reason":"NO_SOCKET"}}',
  ];
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
  return path;
}

test('"section" in e is true only for the sections the event has; keys, spread and for…in list them', (t) => {
  if (!haveSamples(t)) return;
  const file = pythonLines(sample(PACKETS)) as Record<string, unknown>[];
  const events = [...new EventFile(sample(PACKETS)).events()];
  assert.equal(events.length, file.length);
  let drops = 0;
  events.forEach((e, i) => {
    const present = Object.keys(file[i]!).filter((k) => file[i]![k] !== null).map((k) => k.replace("-", "_"));
    for (const name of SECTION_NAMES) assert.equal(name in e, present.includes(name), `line ${i + 1}: "${name}" in e`);
    assert.deepEqual(Object.keys(e), present, `line ${i + 1}: Object.keys`);
    const spread: Record<string, unknown> = { ...e };
    assert.deepEqual(Object.keys(spread), present);
    for (const name of present) assert.equal(spread[name], (e as unknown as Record<string, unknown>)[name]);
    const forIn: string[] = [];
    for (const k in e) forIn.push(k);
    assert.deepEqual(forIn, present);
    if ("skb_drop" in e) drops++;
  });
  assert.equal(drops, file.filter((l) => "skb-drop" in l).length);
  assert.ok(drops > 0 && drops < events.length);
  // Sections still read as properties, absent ones as undefined.
  const drop = events.find((e) => "skb_drop" in e)!;
  assert.equal(typeof drop.skb_drop?.drop_reason, "string");
  assert.equal(events[0]!.skb_drop, undefined);
});

test("JSON.stringify(e), JSON.stringify(e.toDict()) and JSON.stringify(series) lose nothing; u64 as decimal strings", (t) => {
  if (!haveSamples(t)) return;
  const path = currentCapture();
  const file = pythonLines(path);
  const events = [...new EventFile(path).events()];
  let asStrings = 0;
  events.forEach((e, i) => {
    asStrings += sameData(JSON.parse(JSON.stringify(e)), file[i], `line ${i + 1}`);
    assert.equal(JSON.stringify(e.toDict()), JSON.stringify(e), `line ${i + 1}: toDict`);
    // The Retis line itself stays byte for byte.
    assert.equal(e.toJSONLine(), readFileSync(path, "utf8").split("\n")[i]);
  });
  assert.ok(asStrings >= 6, `only ${asStrings} integers written as strings`);
  const e = JSON.parse(JSON.stringify(events[1])) as { "skb-tracking": { orig_head: unknown }; "x-notes": { big: unknown } };
  assert.equal(e["skb-tracking"].orig_head, "18446619372617628672");
  assert.equal(e["x-notes"].big, "123456789012345678901");
  assert.equal(BigInt(e["skb-tracking"].orig_head as string), events[1]!.skb_tracking!.orig_head);
  // Any part of toDict(), too.
  assert.equal(JSON.stringify(events[1]!.toDict().ct?.labels), '{"hi":"18446744073709551615","lo":"1"}');
  assert.deepEqual(events[1]!.toDict().ct?.labels, { hi: 18446744073709551615n, lo: 1n });
  // A section alone, too.
  assert.deepEqual(JSON.parse(JSON.stringify(events[1]!.skb_tracking)), { orig_head: "18446619372617628672", timestamp: "30419169061793", skb: "18446744073709551615" });
  // Sorted files: a series is its events' JSON.
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const sortedPath = `${path}.sorted`;
  writeFileSync(sortedPath, `[${lines[0]}]\n[${lines[1]},${lines[2]}]\n`);
  const sortedFile = pythonLines(sortedPath);
  const series = [...new SeriesReader(sortedPath)];
  assert.equal(series.length, 2);
  series.forEach((s, i) => sameData(JSON.parse(JSON.stringify(s)), sortedFile[i], `series ${i + 1}`));
  // Retis's own sorted sample (1.6, fixed up as read) stringifies without loss of events.
  for (const s of new SeriesReader(sample(SORTED))) assert.equal((JSON.parse(JSON.stringify(s)) as unknown[]).length, s.length);
  // Every event of Retis's packets sample stringifies too (1.6 file: compared after its fix-ups, by key set).
  for (const ev of new EventFile(sample(PACKETS)).events()) assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(ev))), Object.keys(ev.toDict()));
});

test("console.log(e) and util.inspect(e) print Retis's text; a section prints its own line", (t) => {
  if (!haveSamples(t)) return;
  const events: Event[] = [...new EventFile(sample(PACKETS)).events()];
  const e = events.find((x) => x.skb_drop)!;
  assert.equal(inspect(e), e.toString());
  assert.equal(inspect(e.skb_drop), String(e.skb_drop));
  assert.match(inspect(e.skb_drop), /^drop \(reason /);
  assert.equal(inspect(e.dev), String(e.dev));
  assert.equal(inspect([e.common]), `[ ${String(e.common)} ]`);
});
