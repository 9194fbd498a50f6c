// Message signing: HMAC over header | parent_header | metadata | content, as the connection file asks.
// The kernel runs cells with the user's full rights, so a message whose signature does not verify is
// dropped before anything reads its content (Jupyter messaging, "The Wire Protocol").
import { createHmac, getHashes, timingSafeEqual } from "node:crypto";

/** Signs and verifies the four JSON frames of a message. */
export class Signer {
  private readonly algorithm: string | undefined;

  /**
   * @param key the connection file's `key`; an empty key turns authentication off, as the spec says
   *   ("signature is the empty string and authentication is disabled").
   * @param scheme the connection file's `signature_scheme`, `hmac-<digest>`; `hmac-sha256` when absent.
   */
  constructor(
    private readonly key: string,
    scheme = "hmac-sha256",
  ) {
    const m = /^hmac-([a-z0-9-]+)$/i.exec(scheme);
    const digest = m?.[1]?.toLowerCase();
    if (digest === undefined || !getHashes().includes(digest)) {
      throw new Error(`unsupported signature_scheme '${scheme}': expected hmac-<digest> such as hmac-sha256`);
    }
    this.algorithm = key === "" ? undefined : digest;
  }

  /** True when messages are signed (the key is not empty). */
  get enabled(): boolean {
    return this.algorithm !== undefined;
  }

  /** The hex signature of the frames, or "" when authentication is off. */
  sign(frames: readonly (Buffer | string)[]): string {
    if (this.algorithm === undefined) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest("hex");
  }

  /**
   * True when `signature` is the frames' signature. Compared in constant time so that timing does not leak
   * how many leading characters were right.
   */
  verify(signature: Buffer | string, frames: readonly (Buffer | string)[]): boolean {
    if (this.algorithm === undefined) return true;
    const expected = Buffer.from(this.sign(frames), "ascii");
    const given = typeof signature === "string" ? Buffer.from(signature, "ascii") : signature;
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
