import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Signer } from "./hmac.js";
import { SeenSignatures } from "./replay.js";
import { decode, encode, newHeader } from "./wire.js";

const signer = new Signer("key");
const message = () => encode({ header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: { code: "1" } }, signer);

describe("SeenSignatures", () => {
  it("decode refuses the same signed frames the second time", () => {
    const seen = new SeenSignatures();
    const frames = message();
    assert.ok(decode(frames, signer, seen).ok);
    const again = decode(frames, signer, seen);
    assert.ok(!again.ok && again.forged && /replayed/.test(again.reason));
    assert.ok(decode(message(), signer, seen).ok, "a new message (new msg_id) is accepted");
  });

  it("does not remember forged signatures (they cannot push real ones out)", () => {
    const seen = new SeenSignatures();
    const forged = encode({ header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: {} }, new Signer("other"));
    assert.equal(decode(forged, signer, seen).ok, false);
    assert.equal(seen.size, 0);
  });

  it("keeps a bounded window, forgetting the oldest first", () => {
    const seen = new SeenSignatures(2);
    assert.ok(seen.add("a") && seen.add("b") && seen.add("c"));
    assert.equal(seen.size, 2);
    assert.equal(seen.add("c"), false);
    assert.equal(seen.add("a"), true, "the oldest was forgotten");
  });

  it("with authentication off (empty key), nothing is remembered: every signature is empty", () => {
    const open = new Signer("");
    const seen = new SeenSignatures();
    const frames = encode({ header: newHeader("kernel_info_request", "s"), parent_header: {}, metadata: {}, content: {} }, open);
    assert.ok(decode(frames, open, seen).ok && decode(frames, open, seen).ok);
  });
});
