/** A packet parsed into layers by `packet.dissect()`. */
export interface DissectedPacket {
  /** The layers from the outermost (Ethernet) inwards. */
  readonly layers: readonly unknown[];
}
