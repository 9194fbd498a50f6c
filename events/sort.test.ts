// Sorting Retis's hand-made events gives the series Retis wrote for them (test_events_sorted.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, Sorter, eventFromLine, sortEvents } from "./index.js";
import { haveSamples, sample } from "../test/samples.js";

test("sorting test_events.json gives the series of test_events_sorted.json", (t) => {
  if (!haveSamples(t)) return;
  const ours = [...sortEvents(new EventFile(sample("retis-events/test_data/test_events.json")).events())];
  const retis = [...new EventFile(sample("retis-events/test_data/test_events_sorted.json")).series()];
  assert.equal(ours.length, retis.length);
  ours.forEach((series, i) => {
    assert.equal(series.length, retis[i]!.length, `series ${i}`);
    series.forEach((e, j) => {
      const [a, b] = [e.toDict(), retis[i]![j]!.toDict()];
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `series ${i} event ${j}`);
      // Retis drops the legacy flat fields of the hand-made `skb` objects when it writes; we keep unknown
      // keys, so `skb` is compared on its known parts only.
      for (const key of Object.keys(b)) {
        if (key === "skb") for (const part of ["meta", "data_ref", "gso", "vlan_accel"] as const) assert.deepEqual(a.skb?.[part], b.skb?.[part]);
        else assert.deepEqual(a[key], b[key], `series ${i} event ${j} section ${key}`);
      }
    });
    assert.equal(series.format(), retis[i]!.format());
  });
});

test("a packet's events through OVS form one series, in capture order, with idx counting", (t) => {
  if (!haveSamples(t)) return;
  const series = [...sortEvents(new EventFile(sample("retis/test_data/test_events_packets.json")).events())];
  const total = series.reduce((n, s) => n + s.length, 0);
  assert.equal(total, 27);
  for (const s of series) {
    s.forEach((e, i) => {
      if (e.tracking) assert.equal(e.tracking.idx, i);
    });
    const ts = s.map((e) => e.common.timestamp);
    assert.deepEqual(ts, [...ts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  // Without USDT events (no queue_id), the copy ovs-vswitchd re-injects after an upcall is a new packet:
  // startup; request up to the upcall; its re-injection; reply up to the upcall; its re-injection (dropped);
  // then the two later pings handled by the installed flow.
  assert.deepEqual(series.map((s) => s.length), [1, 4, 3, 4, 4, 5, 6]);
  const first = series[1]!;
  assert.deepEqual(first.map((e) => e.ovs?.event_type), [undefined, undefined, "upcall", "upcall_return"]);
  assert.ok(first.every((e) => e.tracking!.skb.orig_head === first[0]!.tracking!.skb.orig_head));
});

test("--max-buffer bounds what is held in memory and still gives every event", (t) => {
  if (!haveSamples(t)) return;
  const events = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
  const sorter = new Sorter({ maxBuffer: 4 });
  let out = 0;
  let peak = 0;
  for (const e of events) {
    out += sorter.add(e).reduce((n, s) => n + s.length, 0);
    peak = Math.max(peak, sorter.size);
  }
  for (const s of sorter.drain()) out += s.length;
  assert.equal(out, events.length);
  assert.ok(peak < 4, `peak ${peak}`);
});

test("sortEvents takes what reader.events() is typed as (the typings' Event), as cells see it", (t) => {
  if (!haveSamples(t)) return;
  const reader: import("../typings/index.js").EventFile = new EventFile(sample("retis-events/test_data/test_events.json"));
  const series = [...sortEvents(reader.events())];
  assert.deepEqual(series.map((s) => s.length), [1, 1, 2, 1]);
  assert.throws(() => new Sorter().add({} as never), /Sorter.add takes events read by this library/);
});

test("a flow lookup enriched by sort keeps one ovs section, even when it came after a later-ranked section", () => {
  // Retis writes sections in its order, but a line may hold them in any order: the enriched `ovs` must
  // replace the old one, not be written beside it (a duplicate key no reader accepts).
  const ufid = "[1,2,3,4]";
  const lines = [
    `{"common":{"timestamp":100},"ovs-detrace":{"ufid":${ufid},"flow":123,"sf_acts":456,"dpflow":"in_port(1)","ofpflows":["a"]}}`,
    `{"common":{"timestamp":200},"skb-tracking":{"orig_head":1,"timestamp":200,"skb":2},` +
      `"nft":{"table_name":"t","chain_name":"c","verdict":"accept","table_handle":1,"chain_handle":2,"policy":false},` +
      `"ovs":{"event_type":"flow_lookup","flow":123,"sf_acts":456,"ufid":${ufid},"n_mask_hit":1,"n_cache_hit":0,"dpflow":"","ofpflows":[]}}`,
  ];
  // As read (sections parsed one by one), and as commands read them (every section parsed first).
  for (const parsedFirst of [false, true]) {
    const events = lines.map((l) => eventFromLine(l));
    if (parsedFirst) for (const e of events) e.parseAll();
    const series = [...sortEvents(events)];
    const line = series[1]!.toJSONLine();
    assert.equal(line.split('"ovs":').length, 2, line);
    const reader = new EventFile(writeCapture(line)).series();
    reader.next();
    const [e] = reader.next().value!;
    assert.equal(e!.ovs?.event_type === "flow_lookup" && e!.ovs.dpflow, "in_port(1)");
    assert.deepEqual(Object.keys(e!), ["common", "tracking", "skb_tracking", "ovs", "nft"]);
  }
});

/** A sorted file holding `line` after a current-format startup line. */
function writeCapture(line: string): string {
  const dir = mkdtempSync(join(tmpdir(), "retis-sort-"));
  const path = join(dir, "sorted.data");
  writeFileSync(path, `[{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","clock_monotonic_offset":{"sec":0,"nsec":0},"machine":{"kernel_release":"x","kernel_version":"x","hardware_name":"x"},"cmdline":"x"}}]\n${line}\n`);
  return path;
}
