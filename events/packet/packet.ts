// The result of a dissection, with the lookups a notebook wants.
import type {
  DissectedPacket,
  LayerName,
  LayerOf,
  PacketLayer,
  PacketTruncation,
  PacketUnsupported,
} from "../../typings/packet-layers.js";
import { dissectInto } from "./dissect.js";
import { packetBundle } from "../display/packet.js";
import { Dissection } from "./dissection.js";
import { packetLine } from "./line/index.js";
import { packetShow } from "./show.js";
import { packetSummary } from "./summary.js";

export class Packet implements DissectedPacket {
  readonly layers: readonly PacketLayer[];
  readonly payload: Uint8Array;
  readonly truncated: PacketTruncation | undefined;
  readonly unsupported: PacketUnsupported | undefined;

  readonly data: Uint8Array;
  /** Captured bytes past where the IP length fields end (Ethernet padding): Scapy's `Padding`. */
  readonly #trailing: number;

  constructor(data: Uint8Array) {
    // JavaScript callers may hand over a plain array of numbers: take it as bytes rather than fail.
    this.data = ArrayBuffer.isView(data) ? data : Uint8Array.from(data as ArrayLike<number>);
    // A plain view: slices of a Node Buffer are Buffers, several times dearer to make.
    const bytes = new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    const d = new Dissection(bytes);
    dissectInto(d);
    this.layers = d.layers;
    this.payload = bytes.subarray(d.payloadStart, Math.max(d.payloadStart, d.payloadEnd));
    this.truncated = d.truncated;
    this.unsupported = d.unsupported;
    this.#trailing = d.unsupported === undefined && d.truncated === undefined ? bytes.length - Math.max(d.payloadStart, d.payloadEnd) : 0;
  }

  find<N extends LayerName>(name: N): LayerOf<N> | undefined {
    return this.layers.find((l): l is LayerOf<N> => l.layer === name);
  }

  get<N extends LayerName>(name: N): LayerOf<N> | undefined {
    return this.find(name);
  }

  findLast<N extends LayerName>(name: N): LayerOf<N> | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      if (layer.layer === name) return layer as LayerOf<N>;
    }
    return undefined;
  }

  findAll<N extends LayerName>(name: N): LayerOf<N>[] {
    return this.layers.filter((l): l is LayerOf<N> => l.layer === name);
  }

  has(name: LayerName): boolean {
    return this.layers.some((l) => l.layer === name);
  }

  toString(options: { linkLayer?: boolean } = {}): string {
    return packetLine(this, options.linkLayer ?? false);
  }

  summary(): string {
    return packetSummary(this, this.#trailing);
  }

  show(): void;
  show(options: { dump: true }): string;
  show(options?: { dump?: boolean }): string | void {
    const text = packetShow(this);
    if (options?.dump === true) return text;
    console.log(text);
  }

  /** Rich display in a notebook: Retis's line, the layers as a tree and the bytes (events/display/). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return packetBundle(this);
  }
}
