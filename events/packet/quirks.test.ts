// Retis's rendering rules read from its source (retis-events/src/packet.rs and its pnet fork), checked on real
// frames edited in one place: the expected line is the real line with the change the edit makes in Retis's
// output. There is no real ARP or MACsec frame: those two are written from the source alone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { haveSamples } from "../../test/samples.js";
import { dissect, formatPacketLine } from "./index.js";
import { eventPacketRenderings, inserted, packetTestRenderings, patched, type RealPacket } from "./oracle.test.helper.js";

function ping(): RealPacket {
  // test_events_packets.json line 2: 192.168.125.10 > 192.168.125.11, ICMP echo request, DF.
  return eventPacketRenderings()[0]!;
}

function named(name: string): RealPacket {
  return packetTestRenderings().find((c) => c.name === name)!;
}

const line = (data: Uint8Array, linkLayer = false): string => formatPacketLine(data, { linkLayer });
const IPV4 = 14;

describe("Retis's packet line quirks, on edited real frames", () => {
  test("IPv4 flags in pnet's bit order: MF prints rsvd, the reserved bit prints +", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    assert.ok(real.line.includes(" off 0 [DF] len 84"));
    // Offset 8 makes it a non-first fragment: no ICMP header to print (a deliberate difference, see differences.test.ts).
    assert.equal(
      line(patched(real.data, IPV4 + 6, [0x20, 0x01])),
      real.line.replace(" off 0 [DF]", " off 8 [rsvd]").replace(" type 8 code 0", " (non-first fragment)"),
    );
    assert.equal(line(patched(real.data, IPV4 + 6, [0x20, 0x00])), real.line.replace(" off 0 [DF]", " off 0 [rsvd]"));
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

  test("Geneve options, critical flags and Linux's GRO hint", (t) => {
    if (!haveSamples(t)) return;
    const geneve = named("icmp_in_geneve");
    // 8 more option bytes: total length 142, UDP length 122, option length 2 words, C flag.
    let data = inserted(geneve.data, 50, [0x01, 0x02, 0x80, 0x01, 1, 2, 3, 4]);
    data = patched(data, IPV4 + 2, [0, 142]);
    data = patched(data, 38, [0, 122]);
    data = patched(data, 42, [0x02, 0x40]);
    assert.equal(
      line(data),
      geneve.line.replace("len 134", "len 142").replace("len 106 geneve [] vni 0x1 ", "len 114 geneve [C] vni 0x1 [class 0x102 type 0x80(C) len 4] "),
    );
    const option = dissect(data).find("geneve")!.options[0]!;
    assert.deepEqual([option.class, option.type, option.critical, option.dataLength, [...option.data]], [0x102, 0x80, true, 4, [1, 2, 3, 4]]);
    // The GRO hint (class 0x100, type 1): proto id 2 and the IPv6 bit in the low bits of its first byte.
    const hinted = patched(data, 50, [0x01, 0x00, 0x01, 0x01, 0x06, 14, 54, 62]);
    assert.ok(line(hinted).includes(" [class 0x100 type 0x1 len 4 (proto 2 v6 nh 14 tp 54 hlen 62)] "));
  });

  test("AH: SPI, sequence, ICV, then what it protects", (t) => {
    if (!haveSamples(t)) return;
    const real = ping();
    // Next header ICMP, payload length 2 (16 bytes: 12 fixed and a 4-byte ICV), total length 100.
    let data = inserted(real.data, 34, [1, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);
    data = patched(data, IPV4 + 2, [0, 100]);
    data = patched(data, IPV4 + 9, [51]);
    assert.equal(line(data), real.line.replace(" len 84 proto ICMP (1)", " len 100 proto AH (51) spi 0x00000100 seq 0x3 icv 0xdeadbeef proto ICMP (1)"));
    const ah = dissect(data).find("ah")!;
    assert.deepEqual([ah.nextHeader, ah.spi, ah.sequence, [...ah.icv]], [1, 0x100, 3, [0xde, 0xad, 0xbe, 0xef]]);
  });

  test("TCP: SACK blocks, Fast Open cookie, echo, the ACK flag and a sequence range", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = named("tcp6_in_vlan");
    const options = [5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 34, 4, 0xab, 0xcd, 6, 6, 0, 0, 0, 42];
    let data = patched(tcp6.data, 74, options);
    data = patched(data, 54 + 13, [0x12]);
    // Ten bytes of data: IPv6 payload length 50.
    data = Uint8Array.from([...data, ...new Uint8Array(10)]);
    data = patched(data, 18, [0, 50]);
    assert.equal(
      line(data, true),
      tcp6.line
        .replace(" len 40 ", " len 50 ")
        .replace("flags [S] seq 2987508160 win", "flags [S.] seq 2987508160:2987508170 ack 0 win")
        .replace(/\[mss .*\]$/, "[sack 1 {1:2},tfo cookie 0xab0xcd,echo 42]"),
    );
    const tcp = dissect(data).find("tcp")!;
    assert.deepEqual(tcp.options.map((o) => o.kind), ["sack", "tfo", "other"]);
    const sack = tcp.options[0]!;
    assert.ok(sack.kind === "sack");
    assert.deepEqual(sack.blocks, [{ left: 1, right: 2 }]);
    assert.equal(tcp.flags.ack, true);
  });

  test("IPv6 fragment header, and no next header", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = named("tcp6_in_vlan");
    // The first fragment (offset 0, M set) still carries the TCP header. Later ones: differences.test.ts.
    let data = inserted(tcp6.data, 54, [6, 0, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78]);
    data = patched(data, 18, [0, 48, 44]);
    assert.ok(line(data).startsWith("1111::1 > 1111::2 ttl 64 label 0x6f48a len 48 exts [Ipv6Frag] proto TCP (6) flags [S]"));
    const fragment = dissect(data).find("ipv6-fragment")!;
    assert.deepEqual([fragment.fragmentOffset, fragment.moreFragments, fragment.identification], [0, true, 0x12345678]);
    // Next header 59 right after IPv6: nothing follows the length. After an extension header: unsupported.
    assert.equal(line(patched(tcp6.data, 20, [59])), "1111::1 > 1111::2 ttl 64 label 0x6f48a len 40");
    assert.equal(
      line(patched(data, 54, [59])),
      "1111::1 > 1111::2 ttl 64 label 0x6f48a len 48 exts [Ipv6Frag] proto (59)... (protocol 0x3b not supported, use 'retis pcap')",
    );
  });

  test("an IPv6 extension header cut to under 2 bytes is printed as the protocol", (t) => {
    if (!haveSamples(t)) return;
    const hopByHop = patched(named("tcp6_in_vlan").data, 20, [0]).subarray(0, 55);
    assert.equal(line(hopByHop), "1111::1 > 1111::2 ttl 64 label 0x6f48a len 40 proto (0)... (protocol 0x0 not supported, use 'retis pcap')");
    assert.equal(dissect(hopByHop).truncated?.layer, "ipv6-hop-by-hop");
  });

  test("SCTP DATA and SACK chunks", (t) => {
    if (!haveSamples(t)) return;
    const sctp = named("sctp_init");
    // The 36-byte INIT becomes a 20-byte DATA chunk (flags B and E) and a 16-byte SACK.
    const chunks = [
      [0, 0x03, 0, 20, 0, 0, 0, 7, 0, 1, 0, 2, 0, 0, 0, 0x33, 1, 2, 3, 4],
      [3, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0x03, 0xe8, 0, 0, 0, 0],
    ].flat();
    const data = patched(sctp.data, 46, chunks);
    assert.equal(
      line(data),
      sctp.line.replace(/ \[INIT .*\]$/, " [DATA (BE) TSN 7 SID 1 SSEQ 2 PPID 0x33] [SACK cum_ack 5 a_rwnd 1000 #gap_acks 0 #dup_tsns 0]"),
    );
    const [dataChunk, sack] = dissect(data).find("sctp")!.chunks;
    assert.ok(dataChunk?.chunk === "DATA" && sack?.chunk === "SACK");
    assert.deepEqual([dataChunk.tsn, dataChunk.streamId, dataChunk.ppid, [...dataChunk.value.subarray(12)]], [7, 1, 0x33, [1, 2, 3, 4]]);
    assert.equal(sack.advertisedWindow, 1000);
  });

  test("802.1ad then 802.1Q tags are both walked", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = named("tcp6_in_vlan");
    const tagged = inserted(tcp6.data, 12, [0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0x0a]);
    assert.equal(
      line(tagged, true),
      tcp6.line.replace(
        " ethertype IPv6 (0x86dd) ",
        " ethertype 802.1Q-QinQ (0x88a8) vlan 100 p 0 ethertype 802.1Q (0x8100) vlan 10 p 0 ethertype IPv6 (0x86dd) ",
      ),
    );
    assert.deepEqual(dissect(tagged).findAll("vlan").map((v) => [v.tpid, v.vid]), [[0x88a8, 100], [0x8100, 10]]);
  });
});
