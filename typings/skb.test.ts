// The checksum fields' doc comments (what hover shows) say what the kernel means (include/linux/skbuff.h): with
// CHECKSUM_PARTIAL, `csum` holds the union's `csum_start` (low 16 bits on little-endian) and `csum_offset`
// (high 16 bits). Retis prints it that way (`partial (start {csum & 0xffff} off {csum >> 16})`), and so does
// this library; the comment used to say the reverse, `(start << 16) | offset`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { eventFromLine } from "../events/index.js";
import { repoRoot } from "../test/samples.js";

function docOf(interfaceName: string, field: string): string {
  const path = join(repoRoot, "typings/skb.ts");
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  let doc: string | undefined;
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== interfaceName) return;
    for (const member of node.members) {
      if (member.name !== undefined && ts.isIdentifier(member.name) && member.name.text === field) {
        doc = ts.getJSDocCommentsAndTags(member).map((d) => d.getText()).join("\n");
      }
    }
  });
  assert.ok(doc !== undefined, `no doc comment on ${interfaceName}.${field}`);
  return doc.replace(/\s*\n\s*\*\s*/g, " ");
}

test("skb.meta.csum: the doc's reading of a partial checksum is the one Retis prints", () => {
  const doc = docOf("SkbMetaFields", "csum");
  assert.doesNotMatch(doc, /\(start << 16\) \| offset/);
  assert.match(doc, /`csum & 0xffff` is `csum_start`/);
  assert.match(doc, /`csum >>> 16` is `csum_offset`/);
  assert.match(doc, /from `skb->head`/);
  // TCP over IPv4 behind Ethernet, headroom 64: csum_start = 64 + 14 + 20 = 98, csum_offset = 16.
  const csum = (16 << 16) | 98;
  const line = `{"common":{"timestamp":1},"skb":{"meta":{"len":60,"data_len":0,"hash":0,"ip_summed":3,"csum":${csum},"csum_level":0,"priority":0}}}`;
  const e = eventFromLine(line);
  assert.match(String(e.skb), /csum partial \(start 98 off 16\)/);
  assert.equal(csum & 0xffff, 98);
});

test("skb.meta.ip_summed names the kernel's four states and what each says about csum", () => {
  const doc = docOf("SkbMetaFields", "ip_summed");
  for (const state of ["CHECKSUM_NONE", "CHECKSUM_UNNECESSARY", "CHECKSUM_COMPLETE", "CHECKSUM_PARTIAL"]) assert.match(doc, new RegExp(state));
  assert.match(doc, /store the result at `csum_start \+ csum_offset`/);
});
