import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { haveSamples, sample } from "../../test/samples.js";
import { dissect } from "./index.js";
import { eventPacketRenderings, packetTestRenderings } from "./oracle.test.helper.js";

function real(name: string): Uint8Array {
  const found = packetTestRenderings().find((c) => c.name === name);
  assert.ok(found, `no real packet named ${name}`);
  return found.data;
}

describe("dissect() on Retis's real packets", () => {
  test("ICMP echo in Geneve: outer and inner headers, VNI", (t) => {
    if (!haveSamples(t)) return;
    const p = dissect(real("icmp_in_geneve"));
    assert.deepEqual(
      p.layers.map((l) => l.layer),
      ["ethernet", "ipv4", "udp", "geneve", "ethernet", "ipv4", "icmp"],
    );
    const outer = p.find("ipv4")!;
    assert.equal(outer.source, "10.0.42.1");
    assert.equal(outer.destination, "10.0.42.2");
    assert.equal(outer.ttl, 64);
    assert.equal(outer.identification, 14610);
    assert.equal(outer.totalLength, 134);
    assert.equal(outer.dontFragment, false);
    const udp = p.get("udp")!;
    assert.equal(udp.sourcePort, 17145);
    assert.equal(udp.destinationPort, 6081);
    assert.equal(udp.udpLength, 114);
    const geneve = p.find("geneve")!;
    assert.equal(geneve.vni, 1);
    assert.equal(geneve.protocol, 0x6558);
    assert.equal(geneve.optionsLength, 0);
    assert.deepEqual(geneve.options, []);
    assert.equal(p.findAll("ethernet")[1]!.source, "d6:f7:db:68:cd:18");
    const inner = p.findLast("ipv4")!;
    assert.equal(inner.source, "10.0.43.1");
    assert.equal(inner.destination, "10.0.43.2");
    assert.equal(inner.dontFragment, true);
    assert.equal(inner.offset, 64);
    const icmp = p.find("icmp")!;
    assert.equal(icmp.type, 8);
    assert.equal(icmp.code, 0);
    assert.equal(icmp.sequence, 1);
    // The echo data: 84 bytes of inner IPv4 datagram less its 20-byte header and the 8-byte ICMP header.
    assert.equal(p.payload.length, 56);
    assert.equal(p.truncated, undefined);
    assert.equal(p.unsupported, undefined);
  });

  test("TCP SYN over IPv6: addresses, flow label, decoded options", (t) => {
    if (!haveSamples(t)) return;
    const p = dissect(real("tcp6_in_vlan"));
    const eth = p.find("ethernet")!;
    assert.equal(eth.source, "9e:1d:3d:31:9e:3b");
    assert.equal(eth.destination, "ae:b0:4a:6a:bf:af");
    assert.equal(eth.ethertype, 0x86dd);
    const ip = p.find("ipv6")!;
    assert.equal(ip.source, "1111::1");
    assert.equal(ip.destination, "1111::2");
    assert.equal(ip.hopLimit, 64);
    assert.equal(ip.flowLabel, 0x6f48a);
    assert.equal(ip.payloadLength, 40);
    assert.equal(ip.nextHeader, 6);
    const tcp = p.find("tcp")!;
    assert.equal(tcp.sourcePort, 56164);
    assert.equal(tcp.destinationPort, 80);
    assert.equal(tcp.sequence, 2987508160);
    assert.equal(tcp.window, 64800);
    assert.equal(tcp.dataOffset, 10);
    assert.deepEqual(
      Object.entries(tcp.flags).filter(([, on]) => on).map(([flag]) => flag),
      ["syn"],
    );
    assert.deepEqual(
      tcp.options.map((o) => o.kind),
      ["mss", "sackOK", "timestamps", "nop", "wscale"],
    );
    const [mss, , ts, , wscale] = tcp.options;
    assert.equal(mss?.kind === "mss" && mss.mss, 1440);
    assert.ok(ts?.kind === "timestamps");
    assert.equal(ts.value, 1409097346);
    assert.equal(ts.echoReply, 0);
    assert.equal(wscale?.kind === "wscale" && wscale.shift, 7);
    assert.equal(p.payload.length, 0);
  });

  test("SCTP INIT: ports, verification tag, INIT fields, ECN", (t) => {
    if (!haveSamples(t)) return;
    const p = dissect(real("sctp_init"));
    const ip = p.find("ipv4")!;
    assert.equal(ip.ecn, 2);
    assert.equal(ip.protocol, 132);
    const sctp = p.find("sctp")!;
    assert.equal(sctp.sourcePort, 34124);
    assert.equal(sctp.destinationPort, 5060);
    assert.equal(sctp.verificationTag, 0);
    assert.equal(sctp.chunks.length, 1);
    const init = sctp.chunks[0]!;
    assert.ok(init.chunk === "INIT");
    assert.equal(init.chunkLength, 36);
    assert.equal(init.initiateTag, 0xc58b332e);
    assert.equal(init.advertisedWindow, 106496);
    assert.equal(init.outboundStreams, 10);
    assert.equal(init.inboundStreams, 65535);
    assert.equal(init.initialTsn, 4174528668);
    // 16 fixed bytes, then the INIT parameters.
    assert.equal(init.value.length, 32);
  });

  test("ping through OVS: ICMP identifier matches the ct section of the same event", (t) => {
    if (!haveSamples(t)) return;
    const lines = readFileSync(sample("retis/test_data/test_events_packets.json"), "utf8").split("\n");
    let compared = 0;
    for (const c of eventPacketRenderings()) {
      const event = JSON.parse(lines[Number(c.name.split(":")[1]) - 1]!) as {
        packet: { len: number; capture_len: number };
        ct?: { orig: { ip: { src: string; dst: string }; proto: { icmp?: { id: number } } } };
      };
      const p = dissect(c.data);
      assert.equal(c.data.length, event.packet.capture_len, c.name);
      const ip = p.find("ipv4")!;
      const icmp = p.find("icmp")!;
      assert.ok([ip.source, ip.destination].every((a) => a === "192.168.125.10" || a === "192.168.125.11"), c.name);
      assert.ok(icmp.type === 8 || icmp.type === 0, c.name);
      if (event.ct?.orig.proto.icmp === undefined) continue;
      assert.equal(icmp.identifier, event.ct.orig.proto.icmp.id, c.name);
      assert.ok([event.ct.orig.ip.src, event.ct.orig.ip.dst].includes(ip.source), c.name);
      compared++;
    }
    assert.ok(compared > 0, "no event with an ICMP ct section");
  });

  test("lookups: find/get the outermost, findLast the innermost, findAll every one, has", (t) => {
    if (!haveSamples(t)) return;
    const p = dissect(real("icmp_in_geneve"));
    assert.equal(p.get("ipv4"), p.find("ipv4"));
    assert.notEqual(p.find("ipv4"), p.findLast("ipv4"));
    assert.equal(p.findAll("ipv4").length, 2);
    assert.equal(p.findAll("tcp").length, 0);
    assert.equal(p.find("tcp"), undefined);
    assert.equal(p.has("geneve"), true);
    assert.equal(p.has("vxlan"), false);
  });
});

describe("notebook display", () => {
  test("Jupyter.display gives Retis's -e line and a layer (events/display/) per layer", (t) => {
    if (!haveSamples(t)) return;
    const tcp6 = packetTestRenderings().find((c) => c.name === "tcp6_in_vlan")!;
    const p = dissect(tcp6.data) as unknown as Record<symbol, () => Record<string, string>>;
    const bundle = p[Symbol.for("Jupyter.display")]!();
    assert.equal(bundle["text/plain"], tcp6.line);
    const html = bundle["text/html"]!;
    assert.equal(html.match(/<details class="retis-layer"/g)?.length, 3);
    assert.ok(html.includes("<b>tcp</b>"));
    assert.ok(html.includes("9e:1d:3d:31:9e:3b &gt; ae:b0:4a:6a:bf:af"));
    assert.ok(html.includes(`<code>Ether / IPv6 / TCP 1111::1:56164 &gt; 1111::2:80 S</code>`), "Scapy's summary");
  });
});
