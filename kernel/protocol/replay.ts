// Signatures already accepted, so that a captured message sent again is refused. The HMAC proves who wrote a
// message, not that it is new: without this, anyone who can read the traffic (the ports are on the network
// when the connection file says so) can re-send an execute_request and run its cell again. jupyter_client's
// Session does the same with its digest_history.

/** How many signatures are remembered (jupyter_client keeps 2^16 too). */
export const REMEMBERED = 1 << 16;

export class SeenSignatures {
  /** Insertion-ordered: when full, the oldest signatures are forgotten first. */
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = REMEMBERED) {}

  /** Records a verified signature; false when it was seen before (a replay). */
  add(signature: string): boolean {
    if (this.seen.has(signature)) return false;
    this.seen.add(signature);
    if (this.seen.size > this.capacity) {
      // A replay older than the window is let through, as in jupyter_client: each message header carries a
      // fresh random msg_id, so an honest client never repeats a signature, and memory stays bounded.
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
