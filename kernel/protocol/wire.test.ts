import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Signer } from "./hmac.js";
import { DELIMITER, decode, encode, newHeader, toJSON } from "./wire.js";

const signer = new Signer("key");

describe("encode/decode", () => {
  it("round-trips a message with routing identities and buffers", () => {
    const header = newHeader("execute_request", "sess");
    const ids = [Buffer.from("client-1")];
    const frames = encode({ header, parent_header: {}, metadata: { a: 1 }, content: { code: "1+1" }, buffers: [Buffer.from([1, 2])] }, signer, ids);
    assert.deepEqual(frames[0], ids[0]);
    assert.deepEqual(frames[1], DELIMITER);
    const d = decode(frames, signer);
    assert.ok(d.ok);
    assert.deepEqual(d.identities, ids);
    assert.deepEqual(d.message.header, header);
    assert.deepEqual(d.message.parent_header, {});
    assert.deepEqual(d.message.metadata, { a: 1 });
    assert.deepEqual(d.message.content, { code: "1+1" });
    assert.deepEqual(d.message.buffers, [Buffer.from([1, 2])]);
  });

  it("rejects a forged message before parsing it", () => {
    const frames = encode({ header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: { code: "x" } }, new Signer("wrong"));
    const d = decode(frames, signer);
    assert.equal(d.ok, false);
    assert.ok(!d.ok && d.forged && /signature does not match/.test(d.reason));
  });

  it("rejects an unsigned message when a key is set", () => {
    const frames = encode({ header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: {} }, new Signer(""));
    const d = decode(frames, signer);
    assert.ok(!d.ok && d.forged && d.reason === "unsigned message");
  });

  it("rejects a message whose content was changed after signing", () => {
    const frames = encode({ header: newHeader("execute_request", "s"), parent_header: {}, metadata: {}, content: { code: "1" } }, signer);
    frames[frames.length - 1] = Buffer.from('{"code":"rm -rf"}');
    const d = decode(frames, signer);
    assert.ok(!d.ok && d.forged);
  });

  it("reports malformed frames as such (not forged)", () => {
    const noDelim = decode([Buffer.from("a"), Buffer.from("b")], signer);
    assert.ok(!noDelim.ok && !noDelim.forged && /delimiter/.test(noDelim.reason));
    const short = decode([DELIMITER, Buffer.from("sig"), Buffer.from("{}")], signer);
    assert.ok(!short.ok && !short.forged && /expected at least 5/.test(short.reason));
    const parts = ["not json", "{}", "{}", "{}"].map((s) => Buffer.from(s));
    const badJson = decode([DELIMITER, Buffer.from(signer.sign(parts)), ...parts], signer);
    assert.ok(!badJson.ok && !badJson.forged && /header is not JSON/.test(badJson.reason));
  });

  it("writes bigint values as exact decimal strings", () => {
    assert.equal(toJSON({ skb: 18446744073709551615n }), '{"skb":"18446744073709551615"}');
  });

  it("gives headers a protocol version, an ISO date and a unique id", () => {
    const a = newHeader("status", "s");
    const b = newHeader("status", "s");
    assert.equal(a.version, "5.3");
    assert.ok(!Number.isNaN(Date.parse(a.date)) && a.date.endsWith("Z"));
    assert.notEqual(a.msg_id, b.msg_id);
  });
});
