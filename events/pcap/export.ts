// Events → pcapng as `retis pcap` writes it (Retis process/cli/pcap.rs): one fake interface per probe
// (`raw_tracepoint/net:netif_receive_skb`, described as "Fake interface for probe …", nanosecond
// timestamps), one enhanced packet block per event carrying a packet, stamped with the event's wall-clock
// time (its monotonic timestamp + the capture's clock offset), its original length, its multi-line text as
// the comment and its JSON without the packet as a custom option under Retis's PEN.
// Retis also writes its events' JSON Schema in a custom block first; this package does not carry that
// schema, so that block is left out (readers skip unknown custom blocks).
import type { Event } from "../../typings/index.js";
import type { TimeSpec } from "../../typings/index.js";
import { splitObject } from "../json/split.js";
import {
  customUtf8Option,
  enhancedPacket,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSRESOL,
  interfaceDescription,
  LINKTYPE_ETHERNET,
  OPT_COMMENT,
  sectionHeader,
  textOption,
} from "./pcapng.js";

/** Retis's Private Enterprise Number for its pcapng custom blocks and options. */
export const RETIS_PEN = 70000;

export interface PcapExportStats {
  /** Events of the selected probe(s). */
  processed: number;
  /** Of those, events without a packet section (skipped). */
  missingPacket: number;
}

/** The event's JSON line without its packet member, member texts kept as they are (u64s stay exact). */
function jsonWithoutPacket(line: string): string {
  const members = splitObject(line);
  members.delete("packet");
  return `{${[...members].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
}

export class PcapExport {
  readonly stats: PcapExportStats = { processed: 0, missingPacket: 0 };
  #interfaces = new Map<string, number>();
  #offset: TimeSpec | undefined;
  #started = false;

  /** The capture's clock offset (from its startup event), for wall-clock packet times. */
  set offset(offset: TimeSpec | undefined) {
    this.#offset = offset;
  }

  /** The blocks for one event of a selected probe: nothing when it has no packet. */
  blocks(event: Event): Buffer[] {
    const kernel = event.kernel;
    if (!kernel) throw new Error("only events with a kernel section can be exported");
    this.stats.processed++;
    const packet = event.packet;
    if (!packet) {
      this.stats.missingPacket++;
      return [];
    }
    const out: Buffer[] = [];
    if (!this.#started) {
      out.push(sectionHeader());
      this.#started = true;
    }
    const iface = `${kernel.probe_type}/${kernel.symbol}`;
    let id = this.#interfaces.get(iface);
    if (id === undefined) {
      id = this.#interfaces.size;
      this.#interfaces.set(iface, id);
      out.push(
        interfaceDescription(LINKTYPE_ETHERNET, 0xffff, [
          textOption(IF_NAME, iface),
          textOption(IF_DESCRIPTION, `Fake interface for probe ${iface}`),
          { code: IF_TSRESOL, value: Uint8Array.of(9) },
        ]),
      );
    }
    const off = this.#offset;
    const ts = event.common.timestamp + (off ? BigInt(off.sec) * 1_000_000_000n + BigInt(off.nsec) : 0n);
    const comment = event.format({ format: "multi-line" });
    out.push(
      enhancedPacket(id, ts, packet.data, packet.len, [
        textOption(OPT_COMMENT, comment),
        customUtf8Option(RETIS_PEN, jsonWithoutPacket(event.toJSONLine())),
      ]),
    );
    return out;
  }
}
