#!/usr/bin/env node
// Emits events/generated/schema.ts from typings/: the runtime shape of every section (which fields are
// u64, which are required, how unions are told apart), so the field lists live only in typings/.
// `npm run build` runs it; a test checks that the committed file is current. It walks types with the
// compiler's own checker (typescript is a dependency anyway); ts-morph would wrap the same calls, so it is not used.
import ts from "typescript";
import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const entry = join(root, "typings/event.ts");
const out = join(root, "events/generated/schema.ts");

const program = ts.createProgram([entry], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true });
const checker = program.getTypeChecker();
const sf = program.getSourceFile(entry);
let eventDict;
ts.forEachChild(sf, (n) => {
  if (ts.isInterfaceDeclaration(n) && n.name.text === "EventDict") eventDict = checker.getTypeAtLocation(n);
});
if (!eventDict) throw new Error("gen-schema: EventDict not found in typings/event.ts");

const defs = new Map(); // name -> spec, for named object types (keeps the output small)

// The integer kind of a number field (u8…u64, i32, i64, usize), as its doc comment names it ("JSON `pid` (i32)"),
// or the doc of its type alias (Ufid: "four u32"). Checked on read: Retis refuses -1 in a u32, 1.5, 2^32.
const INT_KIND = /\b(u8|u16|u32|u64|i8|i16|i32|i64|usize)\b/;
function docOf(node) {
  if (!node) return "";
  // The trivia before the declaration: its doc comment, even on the same line as the previous member.
  return node.getSourceFile().getFullText().slice(node.getFullStart(), node.getStart());
}
function intKind(prop, type) {
  // Strings documented as base64 (packet data) are checked as canonical, padded, standard base64.
  if (/\bbase64\b/.test(docOf(prop.valueDeclaration ?? prop.declarations?.[0])) && type.flags & ts.TypeFlags.String) return "base64";
  const m = INT_KIND.exec(docOf(prop.valueDeclaration ?? prop.declarations?.[0])) ?? INT_KIND.exec(docOf(type.aliasSymbol?.declarations?.[0]));
  return m?.[1];
}

function describe(type, where, kind) {
  if (type.flags & ts.TypeFlags.Never) return "absent";
  if (type.flags & ts.TypeFlags.BigInt) return "u64";
  if (type.flags & ts.TypeFlags.Number) {
    // Without a kind in its doc, a number is at least an integer a double holds exactly.
    if (!kind) return "int";
    return kind === "usize" || kind === "u64" ? "u53" : kind;
  }
  if (type.flags & ts.TypeFlags.String) return kind === "base64" ? "base64" : "string";
  if (type.flags & ts.TypeFlags.Boolean || type.flags & ts.TypeFlags.BooleanLiteral) return "boolean";
  if (type.flags & ts.TypeFlags.Unknown) return "unknown";
  if (type.isStringLiteral()) return { enum: [type.value] };
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
    if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return "boolean";
    // `"a" | "b" | (string & {})` is an open string: any string is fine.
    if (parts.some((t) => t.flags & ts.TypeFlags.String || (t.isIntersection() && t.types.some((u) => u.flags & ts.TypeFlags.String))))
      return "string";
    if (parts.every((t) => t.isStringLiteral())) return { enum: parts.map((t) => t.value) };
    if (parts.length === 1) return describe(parts[0], where, kind);
    return { union: parts.map((t, i) => describe(t, `${where}|${i}`, kind)) };
  }
  if (checker.isTupleType(type)) return { tuple: checker.getTypeArguments(type).map((t, i) => describe(t, `${where}[${i}]`, kind ?? INT_KIND.exec(docOf(type.aliasSymbol?.declarations?.[0]))?.[1])) };
  if (checker.isArrayType(type)) return { array: describe(checker.getTypeArguments(type)[0], `${where}[]`, kind) };
  if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
    const name = type.aliasSymbol?.name ?? (type.symbol && type.symbol.name !== "__type" && type.symbol.name !== "__object" ? type.symbol.name : undefined);
    if (name && defs.has(name)) return { ref: name };
    const fields = {};
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      if (propType.getCallSignatures().length > 0) continue;
      fields[prop.name] = { type: describe(optional ? checker.getNonNullableType(propType) : propType, `${where}.${prop.name}`, intKind(prop, propType)), optional };
    }
    const spec = { object: fields };
    if (name && !type.isIntersection()) {
      defs.set(name, spec);
      return { ref: name };
    }
    return spec;
  }
  throw new Error(`gen-schema: cannot describe ${checker.typeToString(type)} at ${where}`);
}

const sections = {};
for (const prop of checker.getPropertiesOfType(eventDict)) {
  const decl = prop.valueDeclaration;
  const t = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, decl));
  sections[prop.name] = describe(t, prop.name);
}

function compact(obj) {
  return `{\n${Object.entries(obj).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join("\n")}\n}`;
}

const text = `// Generated by scripts/gen-schema.mjs from typings/ — do not edit; run \`npm run build\`.
import type { TypeSpec } from "../validate.js";

export const DEFS: Record<string, TypeSpec> = ${compact(Object.fromEntries(defs))};

export const SECTIONS: Record<string, TypeSpec> = ${compact(sections)};
`;
mkdirSync(join(root, "events/generated"), { recursive: true });
let old = "";
try { old = readFileSync(out, "utf8"); } catch {}
if (process.argv.includes("--check")) {
  if (old !== text) { console.error("events/generated/schema.ts is out of date with typings/: run npm run build"); process.exit(1); }
} else if (old !== text) writeFileSync(out, text);
