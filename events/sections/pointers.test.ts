// Pointer-like u64 values read in hex, the way Retis's own text prints them (its rendering of
// test_events_packets.json is the oracle: `(skb ffff8e95d3009100)`).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { haveSamples, sample } from "../../test/samples.js";
import { displayValue, isPointerField, pointerText } from "./pointers.js";

test("skb and orig_head show as the hex Retis prints; other u64 stay decimal", (t) => {
  if (!haveSamples(t)) return;
  const lines = readFileSync(sample("retis/test_data/test_events_packets.json"), "utf8").split("\n");
  const rendered = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8")) as {
    source_line: number;
    rendered_multiline: string;
  }[];
  let checked = 0;
  for (const r of rendered) {
    // Exact u64: JSON.parse would round these addresses.
    const skb = /"skb":(\d+)/.exec(lines[r.source_line - 1]!.slice(lines[r.source_line - 1]!.indexOf('"skb-tracking"')));
    if (skb === null) continue;
    const value = BigInt(skb[1]!);
    const shown = displayValue("skb-tracking", "skb", value);
    assert.equal(`(skb ${shown.slice(2)})`, /\(skb [0-9a-f]+\)/.exec(r.rendered_multiline)![0], `line ${r.source_line}`);
    checked++;
  }
  assert.ok(checked > 10, `only ${checked} events with skb-tracking`);
  assert.equal(displayValue("skb-tracking", "orig_head", 18446619372617628672n), "0xffff8e95c3b67c00");
  assert.equal(displayValue("tracking", "skb.orig_head", 255n), "0xff");
  assert.equal(displayValue("skb-tracking", "timestamp", 30419169061793n), "30419169061793");
  assert.equal(displayValue("ct", "ct_status", 8n), "8");
  assert.equal(isPointerField("ovs", "flow"), true);
  assert.equal(pointerText(0n), "0x0");
});
