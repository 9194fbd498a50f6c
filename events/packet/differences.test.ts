// Where this dissector deliberately differs from Retis because Retis is wrong and the RFCs (and Scapy) are right:
// non-first fragments carry no transport header, and Destination Options may follow AH in IPv6. Frames are
// Retis's real ones edited in one place; the scapy differential test (scapy.test.ts) checks the same on
// generated frames against Scapy's own dissection.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { haveSamples } from "../../test/samples.js";
import { dissect, formatPacketLine } from "./index.js";
import { eventPacketRenderings, inserted, packetTestRenderings, patched } from "./oracle.test.helper.js";

const line = (data: Uint8Array): string => formatPacketLine(data, { linkLayer: false });

describe("non-first fragments carry no transport header (RFC 791, RFC 8200 §4.5)", () => {
  test("IPv4 offset > 0: no ICMP layer, the data is payload, the line shows the fragment", (t) => {
    if (!haveSamples(t)) return;
    // test_events_packets.json line 2, an ICMP echo request, made the fragment at offset 8 (MF clear).
    const ping = eventPacketRenderings()[0]!;
    const fragment = patched(ping.data, 14 + 6, [0x00, 0x01]);
    const p = dissect(fragment);
    assert.deepEqual(p.layers.map((l) => l.layer), ["ethernet", "ipv4"]);
    assert.equal(p.find("ipv4")!.fragmentOffset, 8);
    // Everything after the IPv4 header, up to its total length (84 - 20), is the fragment's data.
    assert.equal(p.payload.length, 64);
    assert.equal(p.payload[0], 0x08, "the payload starts where Retis reads an ICMP type");
    assert.equal(p.truncated, undefined);
    assert.equal(p.unsupported, undefined);
    const upToProto = ping.line.slice(0, ping.line.indexOf(" type 8 code 0"));
    assert.equal(line(fragment), upToProto.replace(" off 0 [DF]", " off 8") + " (non-first fragment)");
  });

  test("IPv4 TCP fragment: no ports, no flags", (t) => {
    if (!haveSamples(t)) return;
    // The SCTP INIT frame's datagram relabelled TCP and moved to offset 1480: Retis printed ports 34124 > 5060.
    const sctp = packetTestRenderings().find((c) => c.name === "sctp_init")!;
    const fragment = patched(patched(sctp.data, 14 + 6, [0x00, 185]), 14 + 9, [6]);
    assert.equal(dissect(fragment).find("tcp"), undefined);
    assert.equal(
      line(fragment),
      "10.0.42.1 > 10.0.42.2 tos 0x0 ECT(0) ttl 64 id 0 off 1480 len 68 proto TCP (6) (non-first fragment)",
    );
  });

  test("IPv6 fragment header with offset > 0: no TCP layer, the line shows the fragment and its offset", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = packetTestRenderings().find((c) => c.name === "tcp6_in_vlan")!;
    // A fragment header (next header TCP, offset 8, M set) in front of the TCP bytes; payload length 40 + 8.
    let data = inserted(tcp6.data, 54, [6, 0, 0x00, 0x09, 0x12, 0x34, 0x56, 0x78]);
    data = patched(data, 18, [0, 48, 44]);
    const p = dissect(data);
    assert.deepEqual(p.layers.map((l) => l.layer), ["ethernet", "ipv6", "ipv6-fragment"]);
    assert.equal(p.payload.length, 40);
    assert.equal(line(data), "1111::1 > 1111::2 ttl 64 label 0x6f48a len 48 exts [Ipv6Frag] proto TCP (6) (non-first fragment, off 8)");
    // A later fragment whose header announces another extension header: that header is not in it either.
    const announcingOptions = patched(data, 54, [60]);
    assert.deepEqual(dissect(announcingOptions).layers.map((l) => l.layer), ["ethernet", "ipv6", "ipv6-fragment"]);
    assert.equal(line(announcingOptions), "1111::1 > 1111::2 ttl 64 label 0x6f48a len 48 exts [Ipv6Frag] proto (60) (non-first fragment, off 8)");
  });
});

describe("Destination Options after AH in IPv6 (RFC 8200 §4.1)", () => {
  test("IPv6 / AH / Destination Options / TCP: every header walked", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = packetTestRenderings().find((c) => c.name === "tcp6_in_vlan")!;
    // AH (next header 60, length 4: 24 bytes, 12 of ICV) then an 8-byte Destination Options header (PadN),
    // in front of the TCP header; the IPv6 next header becomes 51 and the payload length 40 + 32.
    const ah = [60, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 7, ...new Array<number>(12).fill(0xaa)];
    const destinationOptions = [6, 0, 1, 4, 0, 0, 0, 0];
    let data = inserted(tcp6.data, 54, [...ah, ...destinationOptions]);
    data = patched(data, 18, [0, 72, 51]);
    const p = dissect(data);
    assert.deepEqual(p.layers.map((l) => l.layer), ["ethernet", "ipv6", "ah", "ipv6-destination-options", "tcp"]);
    assert.equal(p.find("tcp")!.sourcePort, 56164);
    assert.equal(p.find("ipv6-destination-options")!.nextHeader, 6);
    assert.equal(p.unsupported, undefined);
    const rest = tcp6.line.slice(tcp6.line.indexOf(" flags [S]"));
    assert.equal(
      line(data),
      `1111::1 > 1111::2 ttl 64 label 0x6f48a len 72 proto AH (51) spi 0x00001001 seq 0x7 icv 0x${"aa".repeat(12)} exts [Ipv6Opts] proto TCP (6)${rest}`,
    );
  });
});
