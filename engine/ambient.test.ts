// Retis's types by name in cells and scripts (issue F): `Retis.Event` never clashes with Node's or the DOM's
// `Event`, and `Retis.Event`, `import type { Event } from "retis"` and what `reader` yields are one type.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { haveSamples, sample } from "../test/samples.js";
import { createEngine, type Engine } from "./index.js";

describe("the Retis namespace", () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ input: sample("retis/test_data/test_events_packets.json") });
  });
  after(async () => {
    await engine.close();
  });

  test("a cell names Retis's types as Retis.Event, Retis.SkbDropEvent, … and runs", async (t) => {
    if (!haveSamples(t)) return;
    const code = [
      "function isDrop(e: Retis.Event): e is Retis.Event & { skb_drop: Retis.SkbDropEvent } { return e.skb_drop !== undefined }",
      "const reasons: string[] = [...reader.events()].filter(isDrop).map((e) => e.skb_drop.drop_reason)",
      "const series: Retis.EventSeries | undefined = undefined",
      "reasons.length",
    ].join("\n");
    assert.deepEqual(engine.diagnostics({ code }), []);
    const outcome = await engine.execute(code);
    assert.equal(outcome.status, "ok", JSON.stringify(outcome));
    assert.equal(outcome.status === "ok" && outcome.result?.["text/plain"], "2");
  });

  test('Retis.Event, import type { Event } from "retis" and reader\'s events are assignable both ways', () => {
    const code = [
      'import type { Event, EventSeries, SkbDropEvent } from "retis"',
      "const fromReader = reader.events().next().value!",
      "const a: Event = fromReader",
      "const b: Retis.Event = a",
      "const c: typeof fromReader = b",
      "const s: EventSeries | undefined = undefined as Retis.EventSeries | undefined",
      "const t: Retis.EventSeries | undefined = s",
      "const d: SkbDropEvent | undefined = c.skb_drop",
      "const r: Retis.EventReader = reader.events()",
      "export { t, d, r }",
    ].join("\n");
    assert.deepEqual(engine.diagnostics({ code }), []);
  });

  test("hover on Retis.Event shows typings' interface and its doc comment", () => {
    const code = "let e: Retis.Event | undefined";
    const info = engine.quickInfo({ code }, code.indexOf("Event") + 1)!;
    assert.match(info.detail, /interface Event/);
    assert.match(info.documentation, /One Retis event/);
  });

  test("in a cell, the global classes build readers from a path, typed by the same declarations", async (t) => {
    if (!haveSamples(t)) return;
    const path = JSON.stringify(sample("retis-events/test_data/test_events_sorted.json"));
    const code = [
      `const series: Retis.SeriesReader = new SeriesReader(${path})`,
      "const first: Retis.EventSeries | undefined = series.next().value",
      `const events: Retis.EventReader = EventReader.withRotation(${JSON.stringify(sample("retis/test_data/test_events_packets.json"))})`,
      "const file: Retis.EventFile = new EventFile(events.path);",
      "[first?.length, [...series].length, [...events].length, file.sorted()].join(' ')",
    ].join("\n");
    assert.deepEqual(engine.diagnostics({ code }), []);
    const outcome = await engine.execute(code);
    assert.equal(outcome.status, "ok", JSON.stringify(outcome));
    assert.equal(outcome.status === "ok" && outcome.result?.["text/plain"], "'1 3 27 false'");
  });

  test("a script module names them too, and the classes build readers from a path", async (t) => {
    if (!haveSamples(t)) return;
    const code = [
      'import { EventReader as Reader } from "retis"',
      `const events: Retis.EventReader = new Reader(${JSON.stringify(sample("retis/test_data/test_events_packets.json"))})`,
      "const first: Retis.Event | undefined = events.next().value",
      "console.log(first?.startup !== undefined, [...events].length)",
    ].join("\n");
    let stdout = "";
    const outcome = await engine.execute(code, { mode: "script", fileName: "named.ts", onStdout: (s) => (stdout += s) });
    assert.equal(outcome.status, "ok", JSON.stringify(outcome));
    assert.equal(stdout.trim(), "true 26");
  });
});
