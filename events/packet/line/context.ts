// The state of one packet line being written: the text so far and a cursor over the dissected layers.
import type { LayerName, LayerOf, PacketLayer, PacketTruncation } from "../../../typings/packet-layers.js";

/** How a Retis packet line ends early: ran out of bytes, or met something it does not print. */
export type Stop = { readonly stop: "truncated" } | { readonly stop: "unsupported"; readonly what: string };

/**
 * `undefined` means the line ended normally. A continuation is the rest of the line still to write: returning it
 * instead of calling it keeps the stack flat however deep tunnels and VLAN tags nest.
 */
export type Outcome = Stop | undefined | Continuation;

export interface Continuation {
  (): Outcome;
}

export const TRUNCATED: Stop = { stop: "truncated" };

export function unsupported(what: string): Stop {
  return { stop: "unsupported", what };
}

export class Line {
  text = "";
  private index = 0;

  constructor(
    private readonly layers: readonly PacketLayer[],
    readonly linkLayer: boolean,
    /** Where the dissector ran out of bytes, if it did. */
    readonly truncation: PacketTruncation | undefined,
  ) {}

  write(part: string): void {
    this.text += part;
  }

  /** The next layer if it is a `name`, consumed; undefined (Retis's "truncated") otherwise. */
  take<N extends LayerName>(name: N): LayerOf<N> | undefined {
    const layer = this.layers[this.index];
    if (layer?.layer !== name) return undefined;
    this.index++;
    return layer as LayerOf<N>;
  }

  /** Formats the next layer with `format` when it is a `name`; Retis's "truncated" when the dissector found none. */
  expect<N extends LayerName>(name: N, format: (layer: LayerOf<N>) => Outcome): Outcome {
    const layer = this.take(name);
    return layer === undefined ? TRUNCATED : () => format(layer);
  }

  /** The next layer without consuming it. */
  peek(): PacketLayer | undefined {
    return this.layers[this.index];
  }

  /** Appends Retis's ending for an early stop. */
  finish(start: Outcome): string {
    let outcome = start;
    while (typeof outcome === "function") outcome = outcome();
    if (outcome?.stop === "truncated") this.text += "... (truncated or incomplete packet)";
    else if (outcome?.stop === "unsupported") this.text += `... (${outcome.what} not supported, use 'retis pcap')`;
    return this.text;
  }
}

/** `0x0800`: an EtherType as Rust's `{:#06x}` prints it. */
export function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, "0")}`;
}

/** `0x1f`: Rust's `{:#x}`. */
export function hexNumber(n: number): string {
  return `0x${n.toString(16)}`;
}
