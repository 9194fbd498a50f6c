// summary(), show() and the package's dissect(): Scapy's conveniences on a dissection. The summaries expected
// here are Scapy 2.5's own `summary()` output for the same bytes (ports as numbers); the differential test
// (scapy.test.ts) compares hundreds more.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { haveSamples } from "../../test/samples.js";
import * as retis from "../index.js";
import { dissect } from "./index.js";
import { distinctRealPackets } from "./oracle.test.helper.js";

const frame = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, "hex"));

// Built and summarized by Scapy: Ether()/IP(src="1.1.1.1", dst="10.0.0.42")/TCP(sport=443, dport=12345, flags="A").
const TCP_ACK = frame("02fc0000000502fc000000010800450000280001000040066ea4010101010a00002a01bb303900000000000000005010200051b50000");

describe("summary(): Scapy's one-line form", () => {
  test("the issue's example, byte for byte as Scapy prints it", () => {
    assert.equal(dissect(TCP_ACK).summary(), "Ether / IP / TCP 1.1.1.1:443 > 10.0.0.42:12345 A");
  });

  test("payload, padding, fragments and ICMP as Scapy words them", () => {
    // Scapy: Ether()/IP()/TCP(flags=0)/b"xx"; Ether()/IP(frag=5, proto=6)/b"abc"; Ether()/IP()/ICMP(type=3, code=1);
    // Ether()/IP()/TCP()/Padding(b"zz"); Ether()/IPv6()/ICMPv6EchoRequest(id=5, seq=7).
    const cases: [string, string][] = [
      ["02fc0000000502fc0000000108004500002a0001000040067ccb7f0000017f00000100140050000000000000000050002000190400007878", "Ether / IP / TCP 127.0.0.1:20 > 127.0.0.1:80  / Raw"],
      ["02fc0000000502fc000000010800450000170001000540067cd97f0000017f000001616263", "Ether / 127.0.0.1 > 127.0.0.1 tcp frag:5 / Raw"],
      ["02fc0000000502fc0000000108004500001c0001000040017cde7f0000017f0000010301fcfe00000000", "Ether / IP / ICMP 127.0.0.1 > 127.0.0.1 dest-unreach host-unreachable"],
      ["02fc0000000502fc000000010800450000280001000040067ccd7f0000017f00000100140050000000000000000050022000917c00007a7a", "Ether / IP / TCP 127.0.0.1:20 > 127.0.0.1:80 S / Padding"],
      ["02fc0000000502fc0000000186dd6000000000083a40000000000000000000000000000000010000000000000000000000000000000180007faf00050007", "Ether / IPv6 / ICMPv6 Echo Request (id: 0x5 seq: 0x7)"],
    ];
    for (const [hex, expected] of cases) assert.equal(dissect(frame(hex)).summary(), expected, hex);
  });

  test("an ARP request padded to 60 bytes", () => {
    // Scapy: Ether(dst="ff:ff:ff:ff:ff:ff", src="02:fc:00:00:00:01")/ARP(op=1, psrc="10.0.0.1", pdst="10.0.0.2")/Padding(b"\0" * 18).
    const arp = frame("ffffffffffff02fc000000010806000108000604000102fc000000010a0000010000000000000a000002000000000000000000000000000000000000");
    assert.equal(dissect(arp).summary(), "Ether / ARP who has 10.0.0.2 says 10.0.0.1 / Padding");
  });
});

describe("show(): every field, layer by layer", () => {
  test("each layer has a title and a line per defined field, deeper layers indented further", (t) => {
    if (!haveSamples(t)) return;
    for (const real of distinctRealPackets()) {
      const p = dissect(real.data);
      const text = p.show({ dump: true });
      const blocks = text.split(/^###\[ /m).slice(1);
      assert.ok(blocks.length >= p.layers.length, real.name);
      p.layers.forEach((layer, i) => {
        const block = blocks[i]!;
        const indent = " ".repeat(2 + 3 * i);
        for (const [key, value] of Object.entries(layer)) {
          if (key === "layer" || value === undefined) continue;
          const named = block.includes(`\n${indent}${key} `) || block.includes(`\n${indent}\\${key}\\`);
          assert.ok(named, `${real.name}: ${layer.layer}.${key} missing from\n${block}`);
        }
      });
      if (p.payload.length > 0) assert.match(text, /###\[ Raw \]###\n +load +=/);
    }
  });

  test("values as people read them: hex checksums, named protocols, TCP flags by name", () => {
    const text = dissect(TCP_ACK).show({ dump: true });
    assert.match(text, /^###\[ Ethernet \]###$/m);
    assert.match(text, /^ {2}ethertype {7}= 0x0800 \(IPv4\)$/m);
    assert.match(text, /^ {5}protocol {8}= 6 \(TCP\)$/m);
    assert.match(text, /^ {5}checksum {8}= 0x6ea4$/m);
    assert.match(text, /^ {8}flags {11}= ACK$/m);
    assert.match(text, /^ {8}sourcePort {6}= 443$/m);
  });

  test("show() with no argument prints the tree", () => {
    const printed: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(...args);
    try {
      dissect(TCP_ACK).show();
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, [dissect(TCP_ACK).show({ dump: true })]);
  });
});

test("dissect() is an export of the package, for raw frames (Python's Ether(bytes(...)))", () => {
  assert.equal(typeof retis.dissect, "function");
  const p = retis.dissect(TCP_ACK);
  assert.equal(p.find("tcp")?.sourcePort, 443);
  assert.equal(p.summary(), "Ether / IP / TCP 1.1.1.1:443 > 10.0.0.42:12345 A");
});
