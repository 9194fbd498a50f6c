import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ipv6At, macAt, u32 } from "./bytes.js";

function ipv6(text: string): Uint8Array {
  // Fully written groups only: the inputs below spell all 8.
  const groups = text.split(":").map((g) => parseInt(g, 16));
  assert.equal(groups.length, 8);
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

describe("address text", () => {
  test("IPv6 as Rust's Ipv6Addr prints it (RFC 5952)", () => {
    const cases: [string, string][] = [
      ["0:0:0:0:0:0:0:0", "::"],
      ["0:0:0:0:0:0:0:1", "::1"],
      ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
      // A single zero group is not compressed.
      ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
      // The longest run wins; between equal runs, the first.
      ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
      ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["fe80:0:0:0:a8bb:ccff:fedd:eeff", "fe80::a8bb:ccff:fedd:eeff"],
      ["0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1"],
      ["1111:0:0:0:0:0:0:0", "1111::"],
    ];
    for (const [groups, text] of cases) assert.equal(ipv6At(ipv6(groups), 0), text, groups);
  });

  test("MAC addresses lowercase, colon separated, at an offset", () => {
    assert.equal(macAt(Uint8Array.from([0xff, 0x9e, 0x1d, 0x3d, 0x31, 0x9e, 0x3b]), 1), "9e:1d:3d:31:9e:3b");
  });

  test("u32 above 2^31 stays positive", () => {
    assert.equal(u32(Uint8Array.from([0xc5, 0x8b, 0x33, 0x2e]), 0), 0xc58b332e);
  });
});
