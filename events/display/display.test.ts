// How events look in a notebook, on Retis's own capture and packets. Oracles: Retis's text (the events'
// rendering is checked against Retis elsewhere), the sections' own u64 values, and tshark for the packet's
// layers and bytes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { EventFile, sortEvents, type Event } from "../index.js";
import { changeText } from "../changes.js";
import { dissect } from "../packet/index.js";
import { packetTestRenderings } from "../packet/oracle.test.helper.js";
import { haveSamples, sample } from "../../test/samples.js";
import { formatDuration } from "./html.js";
import { eventsBundle, hexDump, MAX_ROWS } from "./index.js";

const DISPLAY = Symbol.for("Jupyter.display");
const show = (x: unknown) => (x as Record<symbol, () => Record<string, string>>)[DISPLAY]!();

function events(t: TestContext): Event[] | undefined {
  if (!haveSamples(t)) return undefined;
  return [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()];
}

/** The bytes as a one-packet pcap (Ethernet link type) for tshark. */
function pcap(data: Uint8Array): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const record = Buffer.alloc(16);
  record.writeUInt32LE(data.length, 8);
  record.writeUInt32LE(data.length, 12);
  return Buffer.concat([head, record, data]);
}

function tshark(data: Uint8Array, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "retis-display-"));
  try {
    const file = join(dir, "p.pcap");
    writeFileSync(file, pcap(data));
    return execFileSync("tshark", ["-r", file, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("an Event in a notebook", () => {
  it("is Retis's text, then one row per section, kernel addresses in hex, the packet id as Retis prints it", (t) => {
    const all = events(t);
    if (!all) return;
    const e = all.find((x) => x.skb_tracking && x.packet)!;
    const b = show(e);
    assert.equal(b["text/plain"], String(e));
    const html = b["text/html"]!;
    for (const name of e.sections()) assert.match(html, new RegExp(`<th[^>]*>${name}</th>`), `section ${name}`);
    assert.ok(html.includes(`<code>0x${e.skb_tracking!.orig_head.toString(16)}</code>`), "orig_head in hex");
    assert.ok(html.includes(`<code>0x${e.skb_tracking!.skb.toString(16)}</code>`), "skb in hex");
    const id = `#${e.skb_tracking!.trackingId().toString(16)}`;
    assert.ok(String(e).includes(id) && html.includes(id), "the tracking id as Retis prints it");
    assert.ok(html.includes(`<code>${e.common.timestamp}</code>`), "timestamps stay decimal");
    assert.match(html, /<details class="retis-layer"/, "the packet as a layer tree");
  });
});

describe("an EventSeries in a notebook", () => {
  it("is Retis's sorted text and a timeline: time since the first hop, delta to the previous, probe, device, netns", (t) => {
    const all = events(t);
    if (!all) return;
    const series = [...sortEvents(all)].find((s) => s.length > 2)!;
    const b = show(series);
    // Retis's sorted text, with a `changed` line under the hops that changed (`retis sort --changes`).
    assert.equal(b["text/plain"], series.format({ changes: true }));
    assert.equal(b["text/plain"]!.split("\n").filter((l) => !l.startsWith("      changed ")).join("\n"), String(series));
    const html = b["text/html"]!;
    // Cells may hold several lines (the changes at a hop): [\s\S] spans them.
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((r) => [...r[1]!.matchAll(/<pre style="margin:0">([\s\S]*?)<\/pre>/g)].map((c) => c[1]));
    assert.equal(rows.length, series.length);
    assert.equal(rows[0]![1], "+0 ns");
    for (let i = 1; i < series.length; i++) {
      assert.equal(rows[i]![2], `+${formatDuration(series[i]!.common.timestamp - series[i - 1]!.common.timestamp)}`);
      const dev = series[i]!.dev;
      if (dev?.name) assert.equal(rows[i]![4], `${dev.name} (${dev.ifindex})`);
      if (series[i]!.netns) assert.equal(rows[i]![5], String(series[i]!.netns!.inum));
      // The last column: what changed at this hop, one change per line; a new namespace shows as Retis numbers it.
      assert.equal(rows[i]![7], series.changes()[i - 1]!.changes.map(changeText).join("\n"));
      const before = series[i - 1]!.netns?.inum;
      const now = series[i]!.netns?.inum;
      if (before !== undefined && now !== undefined && before !== now) assert.ok(rows[i]![7]!.includes(`ns ${before} → ${now}`), rows[i]![7]);
    }
    assert.equal(rows[0]![7], "");
    assert.ok(rows.some((r) => r[7] !== ""), "some hop changed");
    assert.ok(html.includes(`packet #${series.trackingId()!.toString(16)}`));
  });
});

describe("a list of events", () => {
  it("is one row per event, capped at MAX_ROWS with a count", (t) => {
    const all = events(t);
    if (!all) return;
    assert.match(eventsBundle(all.slice(0, 3))["text/plain"]!, /^3 events\n#\s+timestamp/);
    const many = Array.from({ length: MAX_ROWS + 5 }, (_, i) => all[i % all.length]!);
    assert.match(eventsBundle(many)["text/plain"]!, /… 5 more events \(205 in all\)$/);
  });
});

describe("a packet in a notebook", () => {
  it("has tshark's layers, in order, as a tree, and tshark's bytes in its hex dump", (t) => {
    if (!haveSamples(t)) return;
    for (const name of ["tcp6_in_vlan", "sctp"]) {
      const given = packetTestRenderings().find((c) => c.name.includes(name));
      if (!given) continue;
      const p = dissect(given.data);
      const html = show(p)["text/html"]!;
      const ours = [...html.matchAll(/<details class="retis-layer"[^>]*><summary><b>([a-z0-9]+)<\/b>/g)].map((m) => m[1]);
      // tshark: "eth:ethertype:vlan:ethertype:ipv6:tcp"; its pseudo-layers (ethertype, data) are not headers.
      const names: Record<string, string> = { eth: "ethernet", ip: "ipv4" };
      const theirs = tshark(given.data, ["-T", "fields", "-e", "frame.protocols"]).trim().split(":").filter((l) => !["ethertype", "data", "payload"].includes(l)).map((l) => names[l] ?? l);
      assert.deepEqual(ours, theirs.slice(0, ours.length), `${name}: ${html}`);
      // tshark -x: "0000  ae b0 4a …  ..Jj" lines; the offsets and hex bytes must match ours.
      const bytes = (dump: string) => dump.split("\n").filter((l) => /^[0-9a-f]{4}  /.test(l)).map((l) => l.slice(0, 54).replace(/\s+/g, " ").trim());
      assert.deepEqual(bytes(hexDump(p.data)), bytes(tshark(given.data, ["-x"])));
    }
  });
});
