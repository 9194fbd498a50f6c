// Rendering against Retis's own output: the 26 multi-line texts Retis wrote into its pcap comments, and
// the startup rendering of a 1.6 file after fix-ups.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { EventFile } from "./index.js";
import { haveSamples, sample } from "../test/samples.js";

interface Rendering {
  source_line: number;
  rendered_multiline: string;
}

test("every event renders exactly as Retis rendered it (26 pcap comments)", (t) => {
  if (!haveSamples(t)) return;
  const renderings = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8")) as Rendering[];
  assert.equal(renderings.length, 26);
  const events = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
  for (const r of renderings) {
    const e = events[r.source_line - 1]!;
    assert.equal(e.source?.line, r.source_line);
    assert.equal(e.toString(), r.rendered_multiline, `line ${r.source_line}`);
  }
});

test("the startup event of a 1.6 file renders with the 1.7 fix-ups", (t) => {
  if (!haveSamples(t)) return;
  const [startup] = new EventFile(sample("retis-events/test_data/test_events.json")).events();
  assert.equal(
    startup!.toString(),
    "23868643385852\n  collected with Retis v1.6.0\n  on machine unknown unknown unknown\n  cmdline unknown",
  );
});

test("--utc shows wall-clock time from the startup offset", (t) => {
  if (!haveSamples(t)) return;
  const events = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
  const line = events[1]!.format({ utc: true }).split("\n")[0]!;
  assert.ok(line.startsWith("2025-03-18 23:12:45.860103 (6) [ping] 11330 [tp] net:net_dev_start_xmit"), line);
});

test("single-line rendering puts all sections on one line", (t) => {
  if (!haveSamples(t)) return;
  const events = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
  const text = events[1]!.format({ format: "single-line" });
  assert.equal(text.includes("\n"), false);
  assert.equal(
    text,
    "30419169061793 (6) [ping] 11330 [tp] net:net_dev_start_xmit #1baa83c42ba1ffff8e95c3b67c00 (skb ffff8e95d3009100) " +
      "192.168.125.10 > 192.168.125.11 tos 0x0 ttl 64 id 41977 off 0 [DF] len 84 proto ICMP (1) type 8 code 0 " +
      "ns 0x3/4026532741 if 11 (veth-ns01) skb [csum none len 98 priority 0 users 1 dataref 1] " +
      "ct_state NEW status 0x8 icmp orig [192.168.125.10 > 192.168.125.11 type 8 code 0 id 29004] reply [192.168.125.11 > 192.168.125.10 type 0 code 0 id 29004] zone 0 mark 0",
  );
});
