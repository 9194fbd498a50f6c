import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { contentLength, FrameParser, type Frame } from "./framing.js";

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const bodies = (frames: Frame[]) => frames.map((f) => ("body" in f ? f.body.toString() : `skipped: ${f.skipped}`));

/** Feeds `input` one byte at a time: every split point between chunks. */
function byteByByte(input: string): string[] {
  const p = new FrameParser();
  return Buffer.from(input).reduce<string[]>((out, byte) => [...out, ...bodies(p.push(Buffer.from([byte])))], []);
}

describe("FrameParser", () => {
  test("reads messages whole however the input is cut, with other headers and any case", () => {
    const input = frame('{"a":1}') + `content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"b":2}` + frame('"é"');
    const whole = bodies(new FrameParser().push(Buffer.from(input)));
    assert.deepEqual(whole, ['{"a":1}', '{"b":2}', '"é"']);
    assert.deepEqual(byteByByte(input), whole);
  });

  test("skips a bad header to the next Content-Length, even one split across chunks", () => {
    const input = "Content-Length: abc\r\n\r\n{}" + frame("1") + "junk\r\n\r\nnot a message" + frame("2");
    const expected = ['skipped: bad header "Content-Length: abc": expected "Content-Length: <number of bytes>"; reading on at the next Content-Length header', "1"];
    expected.push('skipped: bad header line "junk": expected "Name: value"; reading on at the next Content-Length header', "2");
    assert.deepEqual(bodies(new FrameParser().push(Buffer.from(input))), expected);
    assert.deepEqual(byteByByte(input), expected);
  });

  test("a header that never ends is given up after 8 KiB", () => {
    const out = bodies(new FrameParser().push(Buffer.from("x".repeat(9000))));
    assert.match(out[0]!, /without the empty line that ends a header/);
  });
});

describe("contentLength()", () => {
  test("names what is wrong", () => {
    assert.equal(contentLength("Content-Length: 12"), 12);
    assert.match(String(contentLength("Content-Type: x")), /has no Content-Length line/);
    assert.match(String(contentLength("Content-Length: -1")), /expected "Content-Length: <number of bytes>"/);
    assert.match(String(contentLength("Content-Length: 999999999999")), /expected at most 268435456 bytes/);
  });
});
