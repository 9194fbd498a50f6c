import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { haveSamples } from "../../test/samples.js";
import { dissect, formatPacketLine } from "./index.js";
import { eventPacketRenderings, packetTestRenderings } from "./oracle.test.helper.js";

describe("formatPacketLine against Retis's own output", () => {
  test("the 3 packet tests of retis-events/src/packet.rs", (t) => {
    if (!haveSamples(t)) return;
    const cases = packetTestRenderings();
    assert.equal(cases.length, 3);
    for (const c of cases) {
      assert.equal(formatPacketLine(c.data, { linkLayer: c.linkLayer }), c.line, c.name);
    }
  });

  test("the packet line of the 26 rendered events of test_events_packets.json", (t) => {
    if (!haveSamples(t)) return;
    const cases = eventPacketRenderings();
    assert.equal(cases.length, 26);
    for (const c of cases) {
      assert.equal(formatPacketLine(c.data, { linkLayer: false }), c.line, c.name);
    }
  });

  test("toString() of a dissection is the same line", (t) => {
    if (!haveSamples(t)) return;
    for (const c of packetTestRenderings()) {
      assert.equal(dissect(c.data).toString({ linkLayer: c.linkLayer }), c.line, c.name);
    }
  });

  test("-e only adds the link layer in front", (t) => {
    if (!haveSamples(t)) return;
    // Retis's print_tcp6_in_vlan test is the one printed with -e; without it the line starts at the addresses.
    const tcp6 = packetTestRenderings().find((c) => c.name === "tcp6_in_vlan")!;
    const withoutLinkLayer = tcp6.line.replace("9e:1d:3d:31:9e:3b > ae:b0:4a:6a:bf:af ethertype IPv6 (0x86dd) ", "");
    assert.notEqual(withoutLinkLayer, tcp6.line);
    assert.equal(formatPacketLine(tcp6.data, { linkLayer: false }), withoutLinkLayer);
  });
});
