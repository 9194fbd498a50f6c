// typings/ against Retis's own JSON Schema (the one Retis embeds in its pcap files): every field Retis
// declares exists, is optional exactly when Retis's is, and is a bigint exactly when Retis's is a u64.
// Also: the runtime shapes generated from typings/ are current.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DEFS, SECTIONS } from "./generated/schema.js";
import type { TypeSpec } from "./validate.js";
import { haveSamples, repoRoot, sample } from "../test/samples.js";

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  const?: string;
  enum?: string[];
}

function ours(spec: TypeSpec): TypeSpec {
  while (typeof spec === "object" && "ref" in spec) spec = DEFS[spec.ref]!;
  return spec;
}

/** Retis 1.7 renamed or added these after the schema in the sample pcap was written. */
const RENAMED: Record<string, string> = { tcp_state: "proto_state" };

function compare(theirs: JsonSchema, spec: TypeSpec, defs: Record<string, JsonSchema>, path: string, problems: string[]): void {
  while (theirs.$ref) theirs = defs[theirs.$ref.replace("#/$defs/", "")]!;
  const anyOf = theirs.anyOf?.filter((s) => s.type !== "null");
  if (anyOf && anyOf.length === 1) return compare(anyOf[0]!, spec, defs, path, problems);
  const mine = ours(spec);
  if (theirs.format === "uint64") {
    if (mine !== "u64") problems.push(`${path}: Retis has a u64, typings have ${JSON.stringify(mine)}`);
    return;
  }
  // Each integer kind is checked on read with its range: it must be the one Retis declares.
  const kinds: Record<string, string> = { uint8: "u8", uint16: "u16", uint32: "u32", int32: "i32", int64: "i64", uint: "u53" };
  if (theirs.format && /int/.test(theirs.format) && mine !== kinds[theirs.format]) problems.push(`${path}: Retis has ${theirs.format}, typings have ${JSON.stringify(mine)}`);
  if (theirs.properties) {
    if (typeof mine !== "object" || !("object" in mine)) {
      if (typeof mine === "object" && "union" in mine) return; // flattened unions (ovs) are checked by the sample data
      problems.push(`${path}: Retis has an object, typings have ${JSON.stringify(mine)}`);
      return;
    }
    for (const [key, sub] of Object.entries(theirs.properties)) {
      const name = RENAMED[key] ?? key;
      const field = mine.object[name];
      if (!field) {
        problems.push(`${path}.${key}: missing from typings`);
        continue;
      }
      const required = theirs.required?.includes(key) ?? false;
      if (field.optional === required) problems.push(`${path}.${key}: Retis ${required ? "requires" : "makes optional"} it, typings disagree`);
      compare(sub, field.type, defs, `${path}.${key}`, problems);
    }
  }
}

test("typings agree with Retis's JSON Schema on every field, optionality and u64", (t) => {
  if (!haveSamples(t)) return;
  const schema = JSON.parse(readFileSync(sample("derived/retis_event_schema.from_test_events_packets_pcap.json"), "utf8")) as JsonSchema & { $defs: Record<string, JsonSchema> };
  const problems: string[] = [];
  for (const [key, sub] of Object.entries(schema.properties!)) {
    const spec = SECTIONS[key];
    if (!spec) {
      problems.push(`section ${key}: missing from typings`);
      continue;
    }
    compare(sub, spec, schema.$defs, key, problems);
  }
  assert.deepEqual(problems, []);
  // And the other way: no section invented here.
  assert.deepEqual(Object.keys(SECTIONS).sort(), Object.keys(schema.properties!).sort());
});

test("events/generated/schema.ts is current with typings/", () => {
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts/gen-schema.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
