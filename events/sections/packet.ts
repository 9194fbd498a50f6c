import type { PacketEvent, PacketFields } from "../../typings/packet.js";
import type { DissectedPacket } from "../../typings/packet-layers.js";
import type { DisplayOptions, Formatter } from "../format/formatter.js";
import { dissect, formatPacketLine } from "../packet/index.js";
import { SectionBase } from "./base.js";

export class PacketSection extends SectionBase<PacketFields> implements PacketEvent {
  declare readonly len: number;
  declare readonly capture_len: number;
  #bytes: Uint8Array | undefined;

  constructor(dict: PacketFields) {
    // The base64 text stays in toDict(); `data` is the decoded bytes, decoded once on first use.
    const { data: _base64, ...fields } = dict;
    super(dict, fields);
  }

  get data(): Uint8Array {
    if (this.#bytes === undefined) {
      const buf = Buffer.from(this.json().data, "base64");
      this.#bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.#bytes;
  }

  dissect(): DissectedPacket {
    return dissect(this.data);
  }

  fmt(f: Formatter, o: DisplayOptions): void {
    f.write(formatPacketLine(this.data, { linkLayer: o.linkLayer }));
  }
}
