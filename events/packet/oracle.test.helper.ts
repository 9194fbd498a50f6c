// Retis's real packets and the packet lines it printed for them, read from the shared samples (never copied here).
import { readFileSync } from "node:fs";
import { sample } from "../../test/samples.js";

export interface RealPacket {
  /** Where it comes from: a `packet.rs` test name or `test_events_packets.json:<line>`. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Printed with `-e`. */
  readonly linkLayer: boolean;
  /** The packet line Retis printed. */
  readonly line: string;
}

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(sample(relative), "utf8"));
}

/** The 3 packet tests of retis-events/src/packet.rs (Geneve, TCP over IPv6, SCTP INIT). */
export function packetTestRenderings(): RealPacket[] {
  const entries = readJson("derived/packet-renderings.json") as { name: string; link_layer: boolean; data: string; rendered: string }[];
  return entries.map((e) => ({ name: e.name, data: Buffer.from(e.data, "base64"), linkLayer: e.link_layer, line: e.rendered }));
}

/**
 * The 26 events of test_events_packets.json with the packet line of their rendering in the pcap comments:
 * the second line of the multi-line form, after its two spaces of indent.
 */
export function eventPacketRenderings(): RealPacket[] {
  const lines = readFileSync(sample("retis/test_data/test_events_packets.json"), "utf8").split("\n");
  const rendered = readJson("derived/test_events_packets.rendered.json") as { source_line: number; rendered_multiline: string }[];
  return rendered.map((r) => {
    const event = JSON.parse(lines[r.source_line - 1]!) as { packet: { data: string } };
    const packetLine = r.rendered_multiline.split("\n")[1]!;
    if (!packetLine.startsWith("  ")) throw new Error(`line ${r.source_line}: no indented packet line in its rendering`);
    return {
      name: `test_events_packets.json:${r.source_line}`,
      data: Buffer.from(event.packet.data, "base64"),
      linkLayer: false,
      line: packetLine.slice(2),
    };
  });
}

/** Every real packet, once per distinct frame. */
export function distinctRealPackets(): RealPacket[] {
  const seen = new Set<string>();
  return [...packetTestRenderings(), ...eventPacketRenderings()].filter((p) => {
    const key = Buffer.from(p.data).toString("base64");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A copy of `data` with `bytes` written at `at`. */
export function patched(data: Uint8Array, at: number, bytes: number[]): Uint8Array {
  const copy = Uint8Array.from(data);
  copy.set(bytes, at);
  return copy;
}

/** A copy of `data` with `bytes` inserted at `at`. */
export function inserted(data: Uint8Array, at: number, bytes: number[]): Uint8Array {
  return Uint8Array.from([...data.subarray(0, at), ...bytes, ...data.subarray(at)]);
}
