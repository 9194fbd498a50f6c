import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DissectedPacket } from "../../typings/packet-layers.js";
import { haveSamples } from "../../test/samples.js";
import { dissect, formatPacketLine } from "./index.js";
import { distinctRealPackets, type RealPacket } from "./oracle.test.helper.js";

const TRUNCATED = "... (truncated or incomplete packet)";
const ENDING = /\.\.\. \((truncated or incomplete packet|[^()]+ not supported, use 'retis pcap')\)$/;

/**
 * Bytes Retis reads to print each real frame's full line, from the header sizes it parses (pnet's fixed sizes):
 * shorter captures end with the truncated marker, longer ones print the same line. For the TCP one, `options`
 * is where its options end: in between, Retis prints the options it got and no marker.
 */
function headerBytes(p: RealPacket): { needed: number; options?: number } {
  switch (p.name) {
    case "icmp_in_geneve":
      return { needed: 14 + 20 + 8 + 8 + 14 + 20 + 4 };
    case "tcp6_in_vlan":
      return { needed: 14 + 40 + 20, options: 14 + 40 + 40 };
    case "sctp_init":
      // The common header, then the INIT chunk header and its 16 fixed bytes; its parameters are not printed.
      return { needed: 14 + 20 + 12 + 4 + 16 };
    default:
      // The ping through OVS: Ethernet, IPv4, and the 4 bytes of ICMP type, code and checksum.
      return { needed: 14 + 20 + 4 };
  }
}

/** `a.1 > b.2` as `a > b`: without its transport header Retis cannot print the ports. */
function withoutPorts(line: string): string {
  return line.replace(/^(\S+)\.\d+ > (\S+)\.\d+/, "$1 > $2");
}

function assertWellFormed(p: DissectedPacket, line: string, what: string): void {
  assert.equal(typeof line, "string", what);
  const marker = line.indexOf("... (");
  if (marker !== -1) assert.match(line.slice(marker), ENDING, what);
  let previous = -1;
  for (const layer of p.layers) {
    assert.ok(layer.offset > previous, `${what}: ${layer.layer} at ${layer.offset} after ${previous}`);
    assert.ok(layer.length >= 0 && layer.offset + layer.length <= p.data.length, `${what}: ${layer.layer} overruns the data`);
    previous = layer.offset;
  }
  assert.ok(p.payload.length <= p.data.length, what);
}

function check(data: Uint8Array, what: string): void {
  const p = dissect(data);
  assertWellFormed(p, formatPacketLine(data, { linkLayer: false }), what);
  assertWellFormed(p, formatPacketLine(data, { linkLayer: true }), `${what} (-e)`);
}

/** Deterministic so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("bad bytes never throw", () => {
  test("empty data: no layer, truncated at the Ethernet header", () => {
    const p = dissect(new Uint8Array(0));
    assert.deepEqual(p.layers, []);
    assert.equal(p.truncated?.layer, "ethernet");
    assert.equal(formatPacketLine(new Uint8Array(0), { linkLayer: false }), TRUNCATED);
    assert.equal(formatPacketLine(new Uint8Array(0), { linkLayer: true }), TRUNCATED);
  });

  test("a plain array of numbers from JavaScript is taken as bytes", () => {
    const p = dissect([1, 2, 3] as unknown as Uint8Array);
    assert.deepEqual([...p.data], [1, 2, 3]);
    assert.equal(p.truncated?.layer, "ethernet");
  });

  test("every prefix of every real packet ends like Retis's line for it", (t) => {
    if (!haveSamples(t)) return;
    const packets = distinctRealPackets();
    assert.ok(packets.length >= 6, `only ${packets.length} distinct real packets`);
    for (const real of packets) {
      const full = formatPacketLine(real.data, { linkLayer: false });
      const { needed, options } = headerBytes(real);
      for (let size = 0; size <= real.data.length; size++) {
        const prefix = real.data.subarray(0, size);
        const what = `${real.name} cut at ${size}`;
        check(prefix, what);
        const line = formatPacketLine(prefix, { linkLayer: false });
        if (size < needed) {
          assert.ok(line.endsWith(TRUNCATED), `${what}: ${line}`);
          const printed = line.slice(0, -TRUNCATED.length);
          assert.ok(full.startsWith(printed) || withoutPorts(full).startsWith(printed), `${what}: ${line}`);
          assert.ok(dissect(prefix).truncated !== undefined, `${what}: dissection not marked truncated`);
        } else if (options !== undefined && size < options) {
          assert.ok(!line.includes("... ("), `${what}: ${line}`);
          assert.ok(line.startsWith(full.slice(0, full.indexOf("[mss"))), `${what}: ${line}`);
        } else {
          assert.equal(line, full, what);
        }
      }
    }
  });

  test("random byte mutations of real packets", (t) => {
    if (!haveSamples(t)) return;
    const next = random(0x5eed);
    const pick = (n: number): number => Math.floor(next() * n);
    for (const real of distinctRealPackets()) {
      for (let round = 0; round < 400; round++) {
        const data = Uint8Array.from(real.data);
        const flips = 1 + pick(6);
        for (let i = 0; i < flips; i++) data[pick(data.length)] = pick(256);
        const size = pick(4) === 0 ? pick(data.length + 1) : data.length;
        check(data.subarray(0, size), `${real.name} mutation ${round}`);
      }
    }
  });

  test("real packets with every EtherType and IP protocol of interest, then mutated", (t) => {
    if (!haveSamples(t)) return;
    const next = random(42);
    const pick = (n: number): number => Math.floor(next() * n);
    const ethertypes = [0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x88e5, 0x6558, 0x88cc, 0x88f7, 0x0000];
    for (const real of distinctRealPackets()) {
      for (const ethertype of ethertypes) {
        for (let protocol = 0; protocol < 256; protocol++) {
          const data = Uint8Array.from(real.data);
          data[12] = ethertype >> 8;
          data[13] = ethertype & 0xff;
          // Where IPv4's protocol and IPv6's next header would be.
          data[14 + 9] = protocol;
          data[14 + 6] = protocol;
          check(data, `${real.name} ethertype ${ethertype} protocol ${protocol}`);
          data[pick(data.length)] = pick(256);
          data[14 + pick(40)] = pick(256);
          check(data.subarray(0, pick(data.length + 1)), `${real.name} ethertype ${ethertype} protocol ${protocol}, mutated`);
        }
      }
    }
  });

  test("deep nesting does not exhaust the stack: 200,000 VLAN tags, 1,300 VXLAN levels", () => {
    const tags = 200_000;
    const stacked = new Uint8Array(14 + 4 * tags);
    stacked.set([0x81, 0x00], 12);
    for (let i = 0; i < tags; i++) stacked.set([0x00, 0x01, 0x81, 0x00], 14 + 4 * i);
    assert.equal(dissect(stacked).findAll("vlan").length, tags);
    assert.equal(formatPacketLine(stacked, { linkLayer: false }), TRUNCATED);
    assert.ok(formatPacketLine(stacked, { linkLayer: true }).endsWith(" vlan 1 p 0 ethertype 802.1Q (0x8100)... (truncated or incomplete packet)"));
    // Ethernet, IPv4 (total length 65535), UDP to 4789, VXLAN: again and again.
    const level = [...new Uint8Array(12), 0x08, 0x00, 0x45, 0, 0xff, 0xff, 0, 0, 0, 0, 64, 17, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    level.push(0x12, 0x34, 0x12, 0xb5, 0, 8, 0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0);
    const nested = Uint8Array.from({ length: level.length * 20_000 }, (_, i) => level[i % level.length]!);
    const p = dissect(nested);
    assert.ok(p.findAll("vxlan").length > 1_000);
    check(nested, "nested VXLAN");
  });

  test("random garbage of every length up to 300 bytes", () => {
    const next = random(7);
    for (let size = 0; size <= 300; size++) {
      for (let round = 0; round < 5; round++) {
        const data = Uint8Array.from({ length: size }, () => Math.floor(next() * 256));
        check(data, `garbage of ${size} bytes, round ${round}`);
      }
    }
  });
});
