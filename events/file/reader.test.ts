// Reading Retis's own files: detection, the Python-like API, misuse errors worded as Retis, u64 exactness,
// byte-exact writing, split files and the async readers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, EventReader, RetisFormatError, RetisUsageError, SeriesReader } from "../index.js";
import { haveSamples, sample } from "../../test/samples.js";

const PACKETS = "retis/test_data/test_events_packets.json";
const SORTED = "retis-events/test_data/test_events_sorted.json";

test("an events file: startup first, every event, sections as properties", (t) => {
  if (!haveSamples(t)) return;
  const file = new EventFile(sample(PACKETS));
  assert.equal(file.sorted(), false);
  assert.equal(file.version, "v1.6.0");
  const events = [...file.events()];
  assert.equal(events.length, 27);
  assert.ok(events[0]!.startup);
  const e = events[1]!;
  assert.deepEqual(e.sections(), ["common", "ct", "dev", "kernel", "netns", "packet", "skb", "skb_tracking"]);
  assert.equal(e.kernel?.symbol, "net:net_dev_start_xmit");
  assert.equal(e.get("skb-tracking"), e.skb_tracking);
  assert.equal(e.get("skb_tracking"), e.skb_tracking);
  assert.equal(e.has("skb"), true);
  assert.equal(e.has("ovs"), false);
  assert.equal(e.ovs, undefined);
  assert.equal(e.dev?.name, "veth-ns01");
  assert.equal(e.ct?.state, "new");
  assert.equal(e.ct?.ct_status, 8n);
  assert.equal(e.netns?.cookie, 3n);
  // u64 above 2^53, exact.
  assert.equal(e.skb_tracking?.orig_head, 18446619372617628672n);
  assert.equal(e.skb_tracking?.skb, 18446619372874141952n);
  assert.equal(e.skb_tracking?.trackingId(), (30419169061793n << 64n) | 18446619372617628672n);
  assert.equal(e.common.timestamp, 30419169061793n);
  assert.equal(e.packet?.data.length, 98);
  assert.equal(e.packet?.toDict().data.slice(0, 8), "+ly9jswB");
});

test("skb_tracking.match and strictMatch tell packets and clones apart", (t) => {
  if (!haveSamples(t)) return;
  const events = [...new EventFile(sample(PACKETS)).events()].filter((e) => e.skb_tracking);
  const [a, b] = [events[0]!.skb_tracking!, events[1]!.skb_tracking!];
  assert.equal(a.match(b), true);
  assert.equal(a.strictMatch(b), a.skb === b.skb);
  const other = events.find((e) => !e.skb_tracking!.match(a))!.skb_tracking!;
  assert.equal(a.match(other), false);
  assert.equal(a.strictMatch({ ...a.toDict(), skb: a.skb + 1n }), false);
});

test("ovs sections narrow on event_type; ovs action fields are flattened", (t) => {
  if (!haveSamples(t)) return;
  const ovs = [...new EventFile(sample(PACKETS)).events()].flatMap((e) => (e.ovs ? [e.ovs] : []));
  const exec = ovs.find((o) => o.event_type === "action_execute");
  assert.ok(exec && exec.event_type === "action_execute" && exec.action === "output");
  assert.equal(exec.port, 4);
  const upcall = ovs.find((o) => o.event_type === "upcall");
  assert.ok(upcall && upcall.event_type === "upcall");
  assert.equal(upcall.cmd, 1);
});

test("a sorted file gives series; misuse fails with Retis's words", (t) => {
  if (!haveSamples(t)) return;
  const sorted = new EventFile(sample(SORTED));
  assert.equal(sorted.sorted(), true);
  const series = [...sorted.series()];
  assert.deepEqual(series.map((s) => s.length), [1, 1, 2, 1]);
  assert.equal(series[2]![1]!.tracking?.idx, 1);
  assert.equal(series[2]!.trackingId(), series[2]![0]!.skb_tracking!.trackingId());
  assert.throws(() => sorted.events(), (e: Error) => e instanceof RetisUsageError && e.message === "Cannot create a EventReader from a sorted file. Use an SeriesReader instead");
  assert.throws(() => new EventFile(sample(PACKETS)).series(), /^Error: Cannot create a SeriesReader from an unsorted file. Use an EventReader instead$|Cannot create a SeriesReader from an unsorted file/);
  assert.throws(() => new EventFile(`${sample(SORTED)}..`), /Cannot use rotation on event series/);
});

test("async iteration yields the same events as sync iteration", async (t) => {
  if (!haveSamples(t)) return;
  const file = new EventFile(sample(PACKETS));
  const sync = [...file.events()].map(String);
  const asyncTexts: string[] = [];
  for await (const e of file.events()) asyncTexts.push(String(e));
  assert.deepEqual(asyncTexts, sync);
  let n = 0;
  for await (const s of new EventFile(sample(SORTED)).series()) n += s.length;
  assert.equal(n, 5);
  // Leaving a loop early closes the reader; a new one starts from the first event again.
  for await (const e of file.events()) if (e.startup) break;
  const again: string[] = [];
  for await (const e of file.events()) again.push(String(e));
  assert.deepEqual(again, sync);
});

test("a current-format file is written back byte for byte, unknown keys kept", () => {
  const dir = mkdtempSync(join(tmpdir(), "retis-rt-"));
  const lines = [
    '{"common":{"timestamp":23868643385852},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect -o","clock_monotonic_offset":{"sec":1742309146,"nsec":691042000},"machine":{"kernel_release":"6.14.0","kernel_version":"#1 SMP PREEMPT_DYNAMIC","hardware_name":"x86_64"}}}',
    '{"common":{"timestamp":30419169061793,"smp_id":6,"task":{"pid":11330,"tgid":11330,"comm":"ping"}},"kernel":{"symbol":"net:net_dev_start_xmit","probe_type":"raw_tracepoint"},"skb-tracking":{"orig_head":18446619372617628672,"timestamp":30419169061793,"skb":18446744073709551615},"x-user-notes":{"big":123456789012345678901,"s":"a\\"b","tricky":"x:12345678901234567890,y","list":[12345678901234567890,-12345678901234567890]},"ct":{"state":"new","zone_id":0,"zone_dir":"Default","orig":{"ip":{"src":"1.1.1.1","dst":"2.2.2.2","version":"v4"},"proto":{"tcp":{"sport":1,"dport":2}}},"reply":{"ip":{"src":"2.2.2.2","dst":"1.1.1.1","version":"v4"},"proto":{"tcp":{"sport":2,"dport":1}}},"proto_state":"ESTABLISHED","labels":{"hi":18446744073709551615,"lo":1},"ct_status":18446744073709551614}}',
  ];
  const path = join(dir, "retis.data");
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
  const events = [...new EventFile(path).events()];
  assert.equal(events.map((e) => `${e.toJSONLine()}\n`).join(""), readFileSync(path, "utf8"));
  const e = events[1]!;
  assert.equal(e.skb_tracking?.skb, 18446744073709551615n);
  assert.equal(e.ct?.labels?.hi, 18446744073709551615n);
  assert.equal(e.ct?.ct_status, 18446744073709551614n);
  const dict = e.toDict();
  assert.deepEqual(dict["x-user-notes"], {
    big: 123456789012345678901n,
    s: 'a"b',
    tricky: "x:12345678901234567890,y",
    list: [12345678901234567890n, -12345678901234567890n],
  });
  assert.ok(String(e).includes("labels 0xffffffffffffffff0000000000000001"));
  assert.ok(String(e).includes("tcp (ESTABLISHED) orig [1.1.1.1.1 > 2.2.2.2.2]"));
});

test("split files: FILE.. follows retis.data.0, .1, …; FILE alone reads one", () => {
  const dir = mkdtempSync(join(tmpdir(), "retis-split-"));
  const startup = (id: number) =>
    `{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect --out-rotate 1MB","clock_monotonic_offset":{"sec":0,"nsec":0},"machine":{"kernel_release":"r","kernel_version":"v","hardware_name":"x86_64"},"split_file":{"id":${id},"policy":{"kind":"size","limit":1000000}}}}`;
  const ev = (ts: number) => `{"common":{"timestamp":${ts}},"kernel":{"symbol":"skb:kfree_skb","probe_type":"raw_tracepoint"}}`;
  for (let id = 0; id < 3; id++) writeFileSync(join(dir, `retis.data.${id}`), `${startup(id)}\n${ev(10 + id)}\n${ev(20 + id)}\n`);
  const all = [...new EventFile(`${join(dir, "retis.data.0")}..`).events()];
  assert.equal(all.length, 9);
  assert.deepEqual(all.filter((e) => !e.startup).map((e) => e.common.timestamp), [10n, 20n, 11n, 21n, 12n, 22n]);
  assert.equal([...new EventFile(join(dir, "retis.data.0")).events()].length, 3);
  assert.equal([...EventFile.withRotation(join(dir, "retis.data.1")).events()].length, 6);
  assert.equal(String(all[3]).split("\n")[3], "  file id 1");
  assert.equal(EventFile.defaultInput(dir), `${join(dir, "retis.data")}.0..`);
});

// Issue F: readers are built from a path, as Retis's Python `EventReader(path)` and `SeriesReader(path)`, and
// are iterators (`next(reader)`); what each yields is checked against the file's own lines.
const SORTED_EVENTS = "retis-events/test_data/test_events.json";

/** Timestamps of the events of a capture, read from its lines by JSON.parse (independent of the library). */
function fileTimestamps(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const v = JSON.parse(line.replace(/("timestamp":)(\d+)/g, '$1"$2"')) as { common: { timestamp: string } } | { common: { timestamp: string } }[];
      return Array.isArray(v) ? v.map((e) => e.common.timestamp) : [v.common.timestamp];
    });
}

test("new EventReader(path) and new SeriesReader(path) read the file, sync and async (Retis's Python constructors)", async (t) => {
  if (!haveSamples(t)) return;
  const expected = fileTimestamps(sample(PACKETS));
  const reader = new EventReader(sample(PACKETS));
  assert.equal(reader.path, sample(PACKETS));
  assert.deepEqual([...reader].map((e) => String(e.common.timestamp)), expected);
  const asyncStamps: string[] = [];
  for await (const e of new EventReader(sample(PACKETS))) asyncStamps.push(String(e.common.timestamp));
  assert.deepEqual(asyncStamps, expected);

  const sortedStamps = fileTimestamps(sample(SORTED));
  const series = [...new SeriesReader(sample(SORTED))];
  assert.deepEqual(series.flatMap((s) => s.map((e) => String(e.common.timestamp))), sortedStamps);
  const asyncSeries: string[] = [];
  for await (const s of new SeriesReader(sample(SORTED))) for (const e of s) asyncSeries.push(String(e.common.timestamp));
  assert.deepEqual(asyncSeries, sortedStamps);
  assert.ok(new EventReader(sample(PACKETS)) instanceof EventReader);
  assert.ok(new EventFile(sample(PACKETS)).events() instanceof EventReader);
  assert.ok(new EventFile(sample(SORTED)).series() instanceof SeriesReader);
});

test("a reader on the wrong kind of file fails with Retis's words and a RetisUsageError", (t) => {
  if (!haveSamples(t)) return;
  const usage = (message: string) => (e: unknown) => e instanceof RetisUsageError && e.message === message;
  assert.throws(() => new EventReader(sample(SORTED)), usage("Cannot create a EventReader from a sorted file. Use an SeriesReader instead"));
  assert.throws(() => new SeriesReader(sample(PACKETS)), usage("Cannot create a SeriesReader from an unsorted file. Use an EventReader instead"));
  assert.throws(() => EventReader.withRotation(sample(SORTED)), usage("Cannot create a EventReader from a sorted file. Use an SeriesReader instead"));
  assert.throws(() => new SeriesReader(`${sample(SORTED)}..`), usage("Cannot use rotation on event series"));
  assert.throws(() => new EventReader(sample("nope.json")), (e: unknown) => e instanceof RetisFormatError && /nope\.json: Could not open file: no such file/.test(e.message));
  // JavaScript callers without types: a path that is not a string is named as such, not a crash inside.
  const notAPath = { path: sample(PACKETS) } as unknown as string;
  assert.throws(() => new EventReader(notAPath), /^TypeError: a reader takes a file path \(string\), not object$/);
  assert.throws(() => new SeriesReader(notAPath), /^TypeError: a reader takes a file path \(string\), not object$/);
  assert.throws(() => new EventFile(notAPath), /^TypeError: EventFile takes a file path \(string\), not object$/);
});

test("EventReader.withRotation(path) follows the split files, as EventFile.withRotation", () => {
  const dir = mkdtempSync(join(tmpdir(), "retis-rot-"));
  const startup = (id: number) =>
    `{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"c","clock_monotonic_offset":{"sec":0,"nsec":0},"machine":{"kernel_release":"r","kernel_version":"v","hardware_name":"x86_64"},"split_file":{"id":${id},"policy":{"kind":"size","limit":1000}}}}`;
  for (let id = 0; id < 3; id++) writeFileSync(join(dir, `retis.data.${id}`), `${startup(id)}\n{"common":{"timestamp":${10 + id}}}\n`);
  const first = join(dir, "retis.data.0");
  assert.deepEqual([...EventReader.withRotation(first)].map((e) => e.common.timestamp), [1n, 10n, 1n, 11n, 1n, 12n]);
  assert.deepEqual([...new EventReader(first)].map((e) => e.common.timestamp), [1n, 10n]);
});

test("readers are iterators: next() steps, loops continue where they stopped; events() starts afresh", async (t) => {
  if (!haveSamples(t)) return;
  const expected = fileTimestamps(sample(PACKETS));
  const file = new EventFile(sample(PACKETS));
  const events = file.events();
  // Python: `startup = next(events)`, then `for e in events` goes on from the second event.
  const first = events.next();
  assert.equal(first.done, false);
  assert.ok(first.value?.startup);
  const seen: string[] = [];
  for (const e of events) {
    seen.push(String(e.common.timestamp));
    if (seen.length === 3) break;
  }
  assert.deepEqual(seen, expected.slice(1, 4));
  // Leaving a loop keeps the position, as in Python.
  assert.equal(String(events.next().value?.common.timestamp), expected[4]);
  const rest: string[] = [];
  for await (const e of events) rest.push(String(e.common.timestamp));
  assert.deepEqual(rest, expected.slice(5));
  assert.deepEqual(events.next(), { value: undefined, done: true });
  assert.deepEqual([...events], []);
  // events() is a new reader from the first event.
  assert.deepEqual([...file.events()].map((e) => String(e.common.timestamp)), expected);

  // Async first, then async again: the position is kept across loops.
  const async = new EventFile(sample(PACKETS)).events();
  const firstAsync: string[] = [];
  for await (const e of async) if (firstAsync.push(String(e.common.timestamp)) === 2) break;
  for await (const e of async) firstAsync.push(String(e.common.timestamp));
  assert.deepEqual(firstAsync, expected);

  const series = new SeriesReader(sample(SORTED));
  assert.equal(series.next().value?.length, 1);
  assert.deepEqual([...series].map((s) => s.length), [1, 2, 1]);
  assert.equal(series.next().done, true);
});

test("the 1.6 sample reads the same through EventReader as through EventFile", (t) => {
  if (!haveSamples(t)) return;
  assert.deepEqual([...new EventReader(sample(SORTED_EVENTS))].map(String), [...new EventFile(sample(SORTED_EVENTS)).events()].map(String));
});
