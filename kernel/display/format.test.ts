// Display formatting on real events: Retis's own test capture, read by events/.
import { describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { EventFile, sortEvents, type Event } from "../../events/index.js";
import { haveSamples, sample } from "../../test/samples.js";
import { dropsByReason, eventsPerProbe, latency } from "./charts.js";
import { MAX_ROWS, probeName } from "../../events/display/index.js";
import { format } from "./format.js";

function events(t: TestContext): Event[] | undefined {
  if (!haveSamples(t)) return undefined;
  return [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
}

describe("format()", () => {
  it("shows an Event as its Retis text and a table of its sections", (t) => {
    const all = events(t);
    if (!all) return;
    const e = all.find((x) => x.has("skb"))!;
    const b = format(e)!;
    assert.equal(b["text/plain"], String(e));
    const html = b["text/html"] as string;
    for (const name of e.sections()) assert.match(html, new RegExp(`<th[^>]*>${name}</th>`), `section ${name} in the table`);
  });

  it("shows a series as Retis's text and a timeline starting at +0", (t) => {
    const all = events(t);
    if (!all) return;
    const series = [...sortEvents(all)].find((s) => s.length > 1)!;
    assert.ok(series, "the sample has a series of several events");
    const b = format(series)!;
    // Retis's sorted text, with what changed under each hop (`retis sort --changes`, events/changes.ts).
    assert.equal(b["text/plain"], series.format({ changes: true }));
    assert.equal((b["text/plain"] as string).split("\n").filter((l) => !l.startsWith("      changed ")).join("\n"), String(series));
    const html = b["text/html"] as string;
    assert.match(html, /<pre style="margin:0">\+0 ns<\/pre>/);
    assert.ok(html.includes(probeName(series[series.length - 1]!).replace(/[<>&]/g, "")), "last hop's probe shown");
    assert.equal((html.match(/<tr>/g) ?? []).length, series.length + 1);
  });

  it("shows an array of events as one row each, capped at MAX_ROWS", (t) => {
    const all = events(t);
    if (!all) return;
    const b = format(all.slice(0, 3))!;
    assert.match(b["text/plain"] as string, /^3 events\n#\s+timestamp/);
    const many = Array.from({ length: MAX_ROWS + 5 }, (_, i) => all[i % all.length]!);
    assert.match(format(many)!["text/plain"] as string, /… 5 more events \(205 in all\)$/);
  });

  it("uses Symbol.for('Jupyter.display') first, and leaves plain values to the engine", () => {
    const custom = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>" }) };
    assert.deepEqual(format(custom), { "text/html": "<b>x</b>" });
    assert.equal(format(42), undefined);
    assert.equal(format("text"), undefined);
    assert.equal(format([1, 2]), undefined);
    assert.equal(format([]), undefined);
    assert.equal(format(null), undefined);
  });
});

describe("charts on the sample", () => {
  it("dropsByReason counts each drop reason once per dropped event", (t) => {
    const all = events(t);
    if (!all) return;
    const expected = new Map<string, number>();
    for (const e of all) if (e.skb_drop) expected.set(e.skb_drop.drop_reason, (expected.get(e.skb_drop.drop_reason) ?? 0) + 1);
    const rows = (dropsByReason(all).toVegaLite().data as { values: { reason: string; drops: number }[] }).values;
    assert.deepEqual(new Map(rows.map((r) => [r.reason.split("/").pop()!, r.drops])), expected);
  });

  it("eventsPerProbe sums to the number of probe events", (t) => {
    const all = events(t);
    if (!all) return;
    const rows = (eventsPerProbe(all).toVegaLite().data as { values: { events: number }[] }).values;
    assert.equal(
      rows.reduce((n, r) => n + r.events, 0),
      all.filter((e) => e.kernel || e.userspace).length,
    );
  });

  it("latency gives one point per hop, the first at 0, the others the time since the previous hop", (t) => {
    const all = events(t);
    if (!all) return;
    const series = [...sortEvents(all)].find((s) => s.length > 1)!;
    const values = (latency(series).toVegaLite().data as { values: Record<string, number>[] }).values;
    assert.equal(values.length, series.length);
    assert.equal(values[0]!["µs since previous hop"], 0);
    const dt = Number(series[1]!.common.timestamp - series[0]!.common.timestamp) / 1000;
    assert.equal(values[1]!["µs since previous hop"], dt);
  });
});
