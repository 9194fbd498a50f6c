// The state one dissection builds up: layers so far, where the payload is, and why it stopped.
import type { LayerName, PacketLayer, PacketTruncation, PacketUnsupported } from "../../typings/packet-layers.js";

/** What to parse next, within the bytes `[at, end)` the enclosing headers allow. */
export type Next =
  | { readonly parse: "ethernet" | "vxlan" | "geneve"; readonly at: number; readonly end: number }
  | { readonly parse: "ethertype"; readonly type: number; readonly vlan: boolean; readonly at: number; readonly end: number }
  | {
      readonly parse: "protocol";
      readonly protocol: number;
      readonly extensions: boolean;
      readonly at: number;
      readonly end: number;
      /** Where the IP length fields say the payload ends, captured or not. */
      readonly declaredEnd: number;
    };

export class Dissection {
  readonly layers: PacketLayer[] = [];
  truncated: PacketTruncation | undefined;
  unsupported: PacketUnsupported | undefined;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(readonly data: Uint8Array) {
    this.payloadEnd = data.length;
  }

  /** Records a layer whose header ends at `headerEnd`; what is left up to `end` is the payload until a deeper layer claims it. */
  add(layer: PacketLayer, headerEnd: number, end: number): void {
    this.layers.push(layer);
    this.payloadStart = Math.min(headerEnd, end);
    this.payloadEnd = end;
  }

  /** Notes that the header of `layer` at `at` needs `needed` bytes but only `end - at` are there. Keeps the first cut. */
  cut(layer: LayerName, at: number, needed: number, end: number): undefined {
    this.truncated ??= { layer, offset: at, needed, available: Math.max(0, end - at) };
    return undefined;
  }

  /** Stops at a protocol that is not decoded; its bytes become the payload. */
  stop(what: string, at: number, end: number): undefined {
    this.unsupported = { what, offset: at };
    this.payloadStart = Math.min(at, end);
    this.payloadEnd = end;
    return undefined;
  }

  /** Bytes available from `at` to `end`, never negative. */
  available(at: number, end: number): number {
    return Math.max(0, end - at);
  }
}
