// Sorting Retis's hand-made events gives the series Retis wrote for them (test_events_sorted.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventFile, Sorter, sortEvents } from "./index.js";
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
