// Packet data must be canonical padded standard base64, as Retis writes it. The oracle is Node's own base64
// codec: text is canonical when decoding and encoding it again gives it back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { conform } from "./validate.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .";

function oracle(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, "base64").toString("base64") === s;
}

function accepted(s: string): boolean {
  try {
    conform(s, "base64");
    return true;
  } catch {
    return false;
  }
}

test("base64 fields take exactly the canonical padded text", () => {
  let canonical = 0;
  for (const a of ALPHABET)
    for (const b of ALPHABET)
      for (const s of [`QU${a}${b}`, `Q${a}${b}=`, `${a}${b}==`, `QUJD${a}${b}==`, `${a}===`, `${a}${b}`]) {
        assert.equal(accepted(s), oracle(s), JSON.stringify(s));
        if (oracle(s)) canonical++;
      }
  assert.ok(canonical > 1000);
  for (let n = 0; n < 40; n++) {
    const text = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)).toString("base64");
    assert.ok(accepted(text), text);
  }
});
