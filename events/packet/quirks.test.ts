// Retis's rendering rules read from its source (retis-events/src/packet.rs), checked on real frames edited in
// one place. The expected lines are the real lines with the one change the edit makes in Retis's output.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { haveSamples } from "../../test/samples.js";
import { dissect, formatPacketLine } from "./index.js";
import { eventPacketRenderings, packetTestRenderings, type RealPacket } from "./oracle.test.helper.js";

function ping(): RealPacket {
  // test_events_packets.json line 2: 192.168.125.10 > 192.168.125.11, ICMP echo request, DF.
  return eventPacketRenderings()[0]!;
}

function named(name: string): RealPacket {
  return packetTestRenderings().find((c) => c.name === name)!;
}

/** A copy of `data` with `bytes` written at `at`. */
function patched(data: Uint8Array, at: number, bytes: number[]): Uint8Array {
  const copy = Uint8Array.from(data);
  copy.set(bytes, at);
  return copy;
}

/** A copy of `data` with `bytes` inserted at `at`. */
function inserted(data: Uint8Array, at: number, bytes: number[]): Uint8Array {
  return Uint8Array.from([...data.subarray(0, at), ...bytes, ...data.subarray(at)]);
}

const line = (data: Uint8Array, linkLayer = false): string => formatPacketLine(data, { linkLayer });
const IPV4 = 14;

describe("Retis's packet line quirks, on edited real frames", () => {
  test("IPv4 flags in pnet's bit order: MF prints rsvd, the reserved bit prints +", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    assert.ok(real.line.includes(" off 0 [DF] len 84"));
    assert.equal(line(patched(real.data, IPV4 + 6, [0x20, 0x01])), real.line.replace(" off 0 [DF]", " off 8 [rsvd]"));
    assert.equal(line(patched(real.data, IPV4 + 6, [0xe0, 0x00])), real.line.replace(" [DF]", " [+,DF,rsvd]"));
    const p = dissect(patched(real.data, IPV4 + 6, [0x20, 0x01]));
    assert.equal(p.find("ipv4")!.moreFragments, true);
    assert.equal(p.find("ipv4")!.fragmentOffset, 8);
  });

  test("ECN after the DSCP", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    assert.equal(line(patched(real.data, IPV4 + 1, [0xb8 | 3])), real.line.replace(" tos 0x0 ", " tos 0x2e CE "));
    assert.equal(line(patched(real.data, IPV4 + 1, [1])), real.line.replace(" tos 0x0 ", " tos 0x0 ECT(1) "));
  });

  test("an EtherType Retis cannot name: nothing but the marker, even with -e", (t) => {
    if (!haveSamples(t)) return;
    const lldp = patched(ping().data, 12, [0x88, 0xcc]);
    const expected = "... (ethertype 0x88cc not supported, use 'retis pcap')";
    assert.equal(line(lldp), expected);
    assert.equal(line(lldp, true), expected);
    assert.deepEqual(dissect(lldp).unsupported, { what: "ethertype 0x88cc", offset: 14 });
  });

  test("a named EtherType Retis does not parse: the link layer, then the marker", (t) => {
    if (!haveSamples(t)) return;
    const ptp = patched(ping().data, 12, [0x88, 0xf7]);
    assert.equal(line(ptp), "... (ethertype 0x88f7 not supported, use 'retis pcap')");
    assert.equal(
      line(ptp, true),
      "a6:c2:11:71:59:45 > fa:5c:bd:8e:cc:01 ethertype PTP (0x88f7) ... (ethertype 0x88f7 not supported, use 'retis pcap')",
    );
  });

  test("an IP protocol Retis does not parse: its name, then the marker", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    const gre = patched(real.data, IPV4 + 9, [47]);
    const upToProto = real.line.slice(0, real.line.indexOf(" proto "));
    assert.equal(line(gre), `${upToProto} proto GRE (47)... (protocol 0x2f not supported, use 'retis pcap')`);
    assert.equal(line(patched(real.data, IPV4 + 9, [200])), `${upToProto} proto (200)... (protocol 0xc8 not supported, use 'retis pcap')`);
    assert.equal(dissect(gre).unsupported?.what, "protocol 0x2f");
  });

  test("IPv4 options are listed by pnet's Debug name", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    // Router alert (0x94, 4 bytes): IHL 6, total length 88.
    let data = inserted(real.data, IPV4 + 20, [0x94, 0x04, 0x00, 0x00]);
    data = patched(data, IPV4, [0x46, 0x00, 0x00, 88]);
    assert.equal(line(data), real.line.replace(" len 84 proto", " len 88 opts [Ipv4OptionNumber(20)] proto"));
    const options = dissect(data).find("ipv4")!.options;
    assert.deepEqual(options.map((o) => [o.copied, o.number, o.optionLength]), [[true, 20, 4]]);
  });

  test("ESP: SPI and sequence, then nothing", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    const esp = patched(real.data, IPV4 + 9, [50]);
    esp.set([0, 0, 0x12, 0x34, 0, 0, 0, 5], IPV4 + 20);
    const upToProto = real.line.slice(0, real.line.indexOf(" proto "));
    assert.equal(line(esp), `${upToProto} proto ESP (50) spi 0x00001234 seq 0x5`);
    assert.deepEqual(dissect(esp).find("esp"), { layer: "esp", offset: 34, length: 8, spi: 0x1234, sequence: 5 });
  });

  test("VXLAN on port 4789 in place of Geneve: flags, VNI, the inner frame", (t) => {
    if (!haveSamples(t)) return;
    const geneve = named("icmp_in_geneve");
    // UDP destination port at 36; the 8-byte Geneve header at 42 becomes a VXLAN header with the I flag.
    const vxlan = patched(geneve.data, 36, [0x12, 0xb5]);
    vxlan.set([0x08, 0, 0, 0, 0, 0, 0x2a, 0], 42);
    assert.equal(
      line(vxlan),
      geneve.line.replace(".6081 ", ".4789 ").replace(" geneve [] vni 0x1 ", " vxlan [I] vni 0x2a "),
    );
    assert.equal(dissect(vxlan).find("vxlan")!.vni, 0x2a);
  });

  test("Geneve with -e names the protocol, and the inner frame's link layer", (t) => {
    if (!haveSamples(t)) return;
    const geneve = named("icmp_in_geneve");
    assert.equal(
      line(geneve.data, true),
      "ce:29:18:b9:fb:2f > ba:4a:22:1c:a3:8e ethertype IPv4 (0x0800) " +
        geneve.line.replace(
          " vni 0x1 ",
          " vni 0x1 proto TEB (0x6558) d6:f7:db:68:cd:18 > 0e:da:62:d1:cc:17 ethertype IPv4 (0x0800) ",
        ),
    );
  });

  test("a VLAN tag is walked; -e prints it", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = named("tcp6_in_vlan");
    const tagged = inserted(tcp6.data, 12, [0x81, 0x00, 0x70, 0x2a]);
    assert.equal(
      line(tagged, true),
      tcp6.line.replace(" ethertype IPv6 (0x86dd) ", " ethertype 802.1Q (0x8100) vlan 42 p 3 DEI ethertype IPv6 (0x86dd) "),
    );
    assert.equal(line(tagged), line(tcp6.data));
    assert.deepEqual(dissect(tagged).find("vlan"), { layer: "vlan", offset: 14, length: 4, tpid: 0x8100, pcp: 3, dei: true, vid: 42, ethertype: 0x86dd });
  });

  test("IPv6 extension headers are listed, and the ports are no longer printed", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = named("tcp6_in_vlan");
    // Hop-by-hop header (next header TCP, PadN) between IPv6 and TCP: payload length 48, next header 0.
    let data = inserted(tcp6.data, 54, [6, 0, 1, 4, 0, 0, 0, 0]);
    data = patched(data, 18, [0, 48, 0]);
    const expected = tcp6.line
      .replace("1111::1.56164 > 1111::2.80", "1111::1 > 1111::2")
      .replace(" len 40 proto TCP", " len 48 exts [Hopopt] proto TCP");
    assert.equal(line(data, true), expected);
    const hop = dissect(data).find("ipv6-hop-by-hop")!;
    assert.equal(hop.nextHeader, 6);
    assert.equal(hop.headerLength, 8);
    assert.deepEqual(hop.options.map((o) => [o.type, o.data.length]), [[1, 4]]);
  });

  test("SCTP cut inside its INIT chunk is truncated after the verification tag", (t) => {
    if (!haveSamples(t)) return;
    const sctp = named("sctp_init");
    const cut = sctp.data.subarray(0, 60);
    assert.equal(line(cut), `${sctp.line.slice(0, sctp.line.indexOf(" [INIT"))}... (truncated or incomplete packet)`);
    const chunk = dissect(cut).find("sctp")!.chunks[0]!;
    assert.ok(chunk.chunk === "INIT");
    assert.equal(chunk.initiateTag, undefined);
  });

  test("ARP request and reply", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    const arp = [0, 1, 8, 0, 6, 4, 0, 1, 0xa6, 0xc2, 0x11, 0x71, 0x59, 0x45, 192, 168, 125, 10, 0, 0, 0, 0, 0, 0, 192, 168, 125, 11];
    const request = patched(real.data, 12, [0x08, 0x06, ...arp]);
    assert.equal(line(request), "request who-has 192.168.125.11 tell 192.168.125.10");
    const reply = patched(request, IPV4 + 7, [2]);
    assert.equal(line(reply, true), "a6:c2:11:71:59:45 > fa:5c:bd:8e:cc:01 ethertype ARP (0x0806) reply 192.168.125.10 is-at a6:c2:11:71:59:45");
    assert.equal(line(patched(request, IPV4 + 7, [9])), "... (ARP operation 9 not supported, use 'retis pcap')");
    const parsed = dissect(request).find("arp")!;
    assert.equal(parsed.operation, 1);
    assert.equal(parsed.senderMac, "a6:c2:11:71:59:45");
    assert.equal(parsed.targetIp, "192.168.125.11");
  });

  test("encrypted MACsec: a hint without -e", (t) => {
    if (!haveSamples(t)) return;
    // TCI with E and C set (0b000011), AN 3, short length 0, PN 7.
    const macsec = patched(ping().data, 12, [0x88, 0xe5, 0x0f, 0x00, 0, 0, 0, 7]);
    assert.equal(line(macsec), "802.1AE MACsec frame");
    assert.equal(
      line(macsec, true),
      "a6:c2:11:71:59:45 > fa:5c:bd:8e:cc:01 ethertype 802.1AE MACsec (0x88e5) an 3 pn 7 flags [EC]",
    );
    const layer = dissect(macsec).find("macsec")!;
    assert.equal(layer.encrypted, true);
    assert.equal(layer.ethertype, undefined);
  });
});
