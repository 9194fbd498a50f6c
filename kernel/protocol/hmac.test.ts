import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Signer } from "./hmac.js";

const frames = ['{"msg_id":"1"}', "{}", "{}", '{"code":"1"}'];

describe("Signer", () => {
  it("signs with HMAC-SHA256 over the four frames in order", () => {
    const expected = createHmac("sha256", "secret").update(frames.join("")).digest("hex");
    assert.equal(new Signer("secret").sign(frames), expected);
  });

  it("verifies its own signature and rejects a changed frame", () => {
    const s = new Signer("secret");
    const sig = s.sign(frames);
    assert.equal(s.verify(sig, frames), true);
    assert.equal(s.verify(Buffer.from(sig), frames), true);
    assert.equal(s.verify(sig, [...frames.slice(0, 3), '{"code":"2"}']), false);
  });

  it("rejects a signature made with another key, an empty one and a truncated one", () => {
    const s = new Signer("secret");
    assert.equal(s.verify(new Signer("other").sign(frames), frames), false);
    assert.equal(s.verify("", frames), false);
    assert.equal(s.verify(s.sign(frames).slice(0, 32), frames), false);
  });

  it("honours the scheme's digest", () => {
    const expected = createHmac("sha512", "k").update(frames.join("")).digest("hex");
    assert.equal(new Signer("k", "hmac-sha512").sign(frames), expected);
  });

  it("turns authentication off for an empty key, as the spec says", () => {
    const s = new Signer("");
    assert.equal(s.enabled, false);
    assert.equal(s.sign(frames), "");
    assert.equal(s.verify("anything", frames), true);
  });

  it("refuses an unknown scheme with a message naming it", () => {
    assert.throws(() => new Signer("k", "md99"), /unsupported signature_scheme 'md99'/);
    assert.throws(() => new Signer("k", "hmac-nosuchdigest"), /hmac-nosuchdigest/);
  });
});
