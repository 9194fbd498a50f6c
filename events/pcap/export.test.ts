// `retis pcap`'s output against the pcapng Retis itself wrote from the same capture (its
// test_events_packets.pcap, all probes): every block but Retis's JSON-Schema block, byte for byte.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { haveSamples, sample } from "../../test/samples.js";
import { EventFile, eventFromLine } from "../index.js";
import { PcapExport } from "./export.js";

/** The blocks of a little-endian pcapng file: type and whole bytes. */
function blocks(b: Buffer): { type: number; bytes: Buffer }[] {
  const out: { type: number; bytes: Buffer }[] = [];
  for (let at = 0; at < b.length; ) {
    const len = b.readUInt32LE(at + 4);
    out.push({ type: b.readUInt32LE(at), bytes: b.subarray(at, at + len) });
    at += len;
  }
  return out;
}

function exportAll(path: string): { out: Buffer; exporter: PcapExport } {
  const exporter = new PcapExport();
  const parts: Buffer[] = [];
  for (const e of new EventFile(path).events()) {
    if (e.startup !== undefined) exporter.offset = e.startup.clock_monotonic_offset;
    else if (e.kernel) parts.push(...exporter.blocks(e));
  }
  return { out: Buffer.concat(parts), exporter };
}

test("every block is Retis's own, byte for byte (its schema block aside)", (t) => {
  if (!haveSamples(t)) return;
  const retis = blocks(readFileSync(sample("retis/test_data/test_events_packets.pcap")));
  const { out, exporter } = exportAll(sample("retis/test_data/test_events_packets.json"));
  const ours = blocks(out);
  // Retis: section header, its schema (custom block 0xBAD, PEN 70000), then 6 interfaces and 26 packets
  assert.equal(retis[1]!.type, 0xbad);
  const expected = [retis[0]!, ...retis.slice(2)];
  assert.equal(ours.length, expected.length);
  assert.deepEqual(ours.map((b) => b.type), expected.map((b) => b.type));
  ours.forEach((b, i) => assert.ok(b.bytes.equals(expected[i]!.bytes), `block ${i} (type ${b.type}) differs from Retis's`));
  assert.deepEqual(exporter.stats, { processed: 26, missingPacket: 0 });
});

test("an event without a packet is counted, not written", () => {
  const exporter = new PcapExport();
  const ev = eventFromLine('{"common":{"timestamp":5},"kernel":{"symbol":"net:netif_receive_skb","probe_type":"raw_tracepoint"}}');
  assert.deepEqual(exporter.blocks(ev), []);
  assert.deepEqual(exporter.stats, { processed: 1, missingPacket: 1 });
});
