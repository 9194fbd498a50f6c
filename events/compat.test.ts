// Files from Retis 1.5 are brought to the current format as Retis's compat table says (retis-events
// compat/compat.rs): skb's packet, dev and ns move to top-level sections, ct gains ct_status, startup gains
// machine and cmdline. The event below is a real 1.6 line from Retis's sample, put back into its 1.5 shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile } from "./index.js";
import { parseVersion, needsCompat, sectionLocal } from "./compat.js";
import { haveSamples, sample } from "../test/samples.js";

test("version parsing as Retis: leading v dropped, anything after - or + ignored", () => {
  assert.deepEqual(parseVersion("v1.7.0+v1.6.4-abc-dirty"), { major: 1, minor: 7, patch: 0, text: "v1.7.0+v1.6.4-abc-dirty" });
  assert.equal(parseVersion("v1.6.0-31584d349ace")?.minor, 6);
  assert.equal(parseVersion("unspec"), undefined);
  assert.equal(needsCompat(parseVersion("v1.7.0")!), false);
  assert.equal(sectionLocal(parseVersion("v1.6.3")!), true);
  assert.equal(sectionLocal(parseVersion("v1.5.2")!), false);
});

test("a 1.5 event reads and renders as its 1.6 original", (t) => {
  if (!haveSamples(t)) return;
  const lines = readFileSync(sample("retis/test_data/test_events_packets.json"), "utf8").split("\n");
  const v16 = JSON.parse(lines[1]!) as Record<string, any>;
  const v15 = structuredClone(v16);
  v15.skb = { ...v16.skb, packet: { len: v16.packet.len, capture_len: v16.packet.capture_len, packet: v16.packet.data }, dev: v16.dev, ns: { netns: v16.netns.inum } };
  delete v15.packet;
  delete v15.dev;
  delete v15.netns;
  delete v15.ct.ct_status;
  // 1.5 had no netns cookie: the line renders `ns <inum>`.
  const startup = lines[0]!.replace("v1.6.0", "v1.5.1");
  const dir = mkdtempSync(join(tmpdir(), "retis-compat-"));
  const path = join(dir, "old.json");
  // Key order as a 1.5 writer had it matters not: the line is re-serialised in the current format.
  writeFileSync(path, `${startup}\n${JSON.stringify(v15).replace(/"orig_head":\d+/, `"orig_head":18446619372617628672`).replace(/"skb":\d+/, `"skb":18446619372874141952`)}\n`);
  const [first, e] = [...new EventFile(path).events()];
  assert.equal(first!.startup?.cmdline, "unknown");
  assert.equal(e!.packet?.len, 98);
  assert.equal(e!.dev?.name, "veth-ns01");
  assert.equal(e!.netns?.inum, 4026532741);
  assert.equal(e!.netns?.cookie, undefined);
  assert.equal(e!.ct?.ct_status, 0n);
  assert.equal(e!.skb?.meta?.len, 98);
  assert.equal(e!.skb_tracking?.orig_head, 18446619372617628672n);
  const rendered = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8"))[0].rendered_multiline as string;
  assert.equal(String(e), rendered.replace("ns 0x3/4026532741", "ns 4026532741").replace("status 0x8", "status 0x0"));
  assert.deepEqual(e!.sections(), ["common", "ct", "dev", "kernel", "netns", "packet", "skb", "skb_tracking"]);
});
