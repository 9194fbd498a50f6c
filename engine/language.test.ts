// LanguageService queries over the real typings: what a notebook, an editor and the shell ask for.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { createEngine, type Engine } from "./index.js";

const SKB_TRACKING_MEMBERS = ["orig_head", "timestamp", "skb", "trackingId", "match", "strictMatch"];

describe("language queries", () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ input: null, ambient: ["declare const reader: import('retis').EventFile;"] });
  });
  after(() => engine.close());

  test("`event.` lists the sections, with their doc comments", () => {
    const code = "for (const event of reader.events()) {\n  event.";
    const found = engine.completions({ code }, code.length);
    assert.ok(found.isMemberCompletion);
    const names = found.items.map((i) => i.name);
    for (const section of ["common", "kernel", "skb_tracking", "skb_drop", "packet", "skb", "ct", "ovs", "dev", "netns", "get", "has", "sections"]) {
      assert.ok(names.includes(section), `${section} missing from ${names.join(", ")}`);
    }
    const item = found.items.find((i) => i.name === "skb_tracking")!;
    const details = engine.completionDetails({ code }, code.length, item)!;
    assert.match(details.detail, /skb_tracking\?: SkbTrackingEvent/);
    assert.match(details.documentation, /Identity of the packet across the stack/);
  });

  test("`event.skb_tracking.` lists its fields and helpers", () => {
    const code = "const e = [...reader.events()][0]!\nif (e.skb_tracking) e.skb_tracking.";
    const found = engine.completions({ code }, code.length);
    const names = found.items.map((i) => i.name);
    for (const member of SKB_TRACKING_MEMBERS) assert.ok(names.includes(member), `${member} missing from ${names.join(", ")}`);
    assert.equal(found.start, code.length);
    const details = engine.completionDetails({ code }, code.length, found.items.find((i) => i.name === "orig_head")!)!;
    assert.match(details.detail, /orig_head: bigint/);
    assert.match(details.documentation, /skb->head/);
  });

  test("after an optional section, items insert `?.` over the typed dot", () => {
    const code = "const e = [...reader.events()][0]!\ne.skb_tracking.";
    const found = engine.completions({ code }, code.length);
    const item = found.items.find((i) => i.name === "orig_head")!;
    assert.equal(item.insertText, "?.orig_head");
    assert.equal(item.replaceStart, code.length - 1);
    assert.equal(item.replaceEnd, code.length);
  });

  test("the span to replace covers the identifier being typed", () => {
    const code = "reader.eve";
    const found = engine.completions({ code }, code.length);
    assert.equal(found.start, "reader.".length);
    assert.equal(found.end, code.length);
    assert.ok(found.items.some((i) => i.name === "events"));
  });

  test("quick info shows the type and the doc comment", () => {
    const code = "const n = reader.sorted()";
    const info = engine.quickInfo({ code }, code.indexOf("sorted") + 2)!;
    assert.match(info.detail, /sorted\(\): boolean/);
    assert.match(info.documentation, /sorted file/);
    assert.equal(info.start, code.indexOf("sorted"));
    assert.equal(info.end, code.indexOf("sorted") + "sorted".length);
  });

  test("the standard library is ES2022's, with its doc comments", () => {
    assert.deepEqual(engine.diagnostics({ code: "const last: number | undefined = [1, 2].at(-1)\nObject.hasOwn({}, 'a')" }), []);
    assert.deepEqual(engine.diagnostics({ code: "[1].findLast(() => true)" }).map((d) => d.code), [2550], "ES2023 is not there");
    const code = "Math.max(1, 2)";
    const info = engine.quickInfo({ code }, 6)!;
    assert.match(info.detail, /max\(\.\.\.values: number\[\]\): number/);
    assert.match(info.documentation, /Returns the larger of a set of supplied numeric expressions/);
  });

  test("signature help inside a call", () => {
    const code = "const e = [...reader.events()][0]!\ne.get(";
    const help = engine.signatureHelp({ code }, code.length)!;
    assert.equal(help.signatures.length, 1);
    const signature = help.signatures[0]!;
    assert.match(signature.label, /^get\(name: /);
    assert.equal(help.activeParameter, 0);
    const parameter = signature.parameters[0]!;
    assert.equal(signature.label.slice(parameter.labelStart, parameter.labelEnd), parameter.label);
    assert.match(parameter.label, /^name: /);
    assert.match(signature.documentation, /The section named/);
  });

  test("diagnostics of a document, on the user's lines", () => {
    engine.documents.set("file:///tmp/retis-lang/a.ts", "const s: string = 1\nreader.nope()\n");
    const found = engine.diagnostics("file:///tmp/retis-lang/a.ts");
    assert.deepEqual(
      found.map((d) => [d.code, d.line, d.column, d.range.start.line, d.range.start.character]),
      [
        [2322, 1, 7, 0, 6],
        [2339, 2, 8, 1, 7],
      ],
    );
    engine.documents.set("file:///tmp/retis-lang/a.ts", "const s: string = 'fixed'\n");
    assert.deepEqual(engine.diagnostics("file:///tmp/retis-lang/a.ts"), []);
    engine.documents.close("file:///tmp/retis-lang/a.ts");
    assert.deepEqual(engine.diagnostics("file:///tmp/retis-lang/a.ts"), []);
    assert.equal(engine.documents.get("file:///tmp/retis-lang/a.ts"), undefined);
  });

  test("a diagnostics check stops when its cancellation asks, and a later check is whole", () => {
    const uri = "file:///tmp/retis-lang/cancelled.ts";
    const functions = Array.from({ length: 20 }, (_, i) => `function f${i}(): number {\n  return reader.sorted() ? ${i} : 0\n}`);
    engine.documents.set(uri, `${functions.join("\n")}\nconst late: string = 1\n`);
    let asked = 0;
    // Yes from the third question on: the check has started and is stopped partway through the functions.
    assert.equal(engine.diagnostics(uri, undefined, { isCancellationRequested: () => ++asked > 2 }), undefined);
    assert.ok(asked > 2, `asked ${asked} times`);
    const never = { isCancellationRequested: () => false };
    const whole = engine.diagnostics(uri, undefined, never);
    assert.deepEqual(whole?.map((d) => [d.code, d.line]), [[2322, 61]]);
    assert.deepEqual(engine.diagnostics(uri), whole);
    // Queries after a stopped check answer as usual (TypeScript made a new checker).
    assert.match(engine.quickInfo(uri, `function f0(): number {\n  return reader.so`.length)?.detail ?? "", /sorted\(\): boolean/);
    engine.documents.close(uri);
  });

  test("positions in code points (Jupyter) and in line/character (LSP)", () => {
    const code = "const label = '🐧🐧'; reader.";
    const points = [...code].length;
    const byPoints = engine.completions({ code }, points, "code-point");
    assert.ok(byPoints.items.some((i) => i.name === "events"));
    assert.equal(byPoints.start, points);
    engine.documents.set("untitled:Untitled-1", "// 🐧\nreader.sor");
    const byLine = engine.completions("untitled:Untitled-1", { line: 1, character: 10 });
    assert.ok(byLine.items.some((i) => i.name === "sorted"));
    assert.equal(byLine.start, "// 🐧\nreader.".length);
    const info = engine.quickInfo("untitled:Untitled-1", { line: 1, character: 8 }, "code-point")!;
    assert.equal(info.start, "// 🐧\nreader.".length - 1, "code-point offsets count the penguin once");
  });

  test("a joined notebook (jupyterlab-lsp) may redeclare in a later cell", () => {
    const text = "const s = 1\n\n\nconst s = 'two'\nconst bad: number = 'x'\n";
    engine.documents.set("file:///tmp/retis-lang/n.ipynb", text, { kind: "notebook" });
    assert.deepEqual(engine.diagnostics("file:///tmp/retis-lang/n.ipynb").map((d) => d.code), [2322]);
    engine.documents.set("file:///tmp/retis-lang/plain.ts", text);
    assert.ok(engine.diagnostics("file:///tmp/retis-lang/plain.ts").some((d) => d.code === 2451));
  });

  test("a notebook of cell documents: each cell sees the cells before it", () => {
    engine.documents.setNotebook("nb:1", [
      { uri: "nb:1#a", text: "let total = 0\nclass Point { constructor(readonly x: number) {} }" },
      { uri: "nb:1#b", text: "total += new Point(2).x\nconst total2: string = total" },
      { uri: "nb:1#c", text: "const total = 'redeclared'\ntotal.toUpperCase()\nnew Point(1)." },
    ]);
    assert.deepEqual(engine.diagnostics("nb:1#a"), []);
    assert.deepEqual(engine.diagnostics("nb:1#b").map((d) => [d.code, d.line]), [[2322, 2]]);
    assert.deepEqual(engine.diagnostics("nb:1#c").filter((d) => d.code !== 1003).map((d) => d.code), []);
    const text = engine.documents.get("nb:1#c")!;
    assert.ok(engine.completions("nb:1#c", text.length).items.some((i) => i.name === "x"));
    // Editing the first cell changes what later cells see.
    engine.documents.setNotebook("nb:1", [
      { uri: "nb:1#a", text: "let total = 'now a string'" },
      { uri: "nb:1#b", text: "const total2: string = total" },
    ]);
    assert.deepEqual(engine.diagnostics("nb:1#b"), []);
    assert.equal(engine.documents.get("nb:1#c"), undefined, "a cell no longer listed is closed");
    engine.documents.close("nb:1");
    assert.equal(engine.documents.get("nb:1#a"), undefined);
  });

  test("the session's next cell sees the executed cells; generated names stay hidden", async () => {
    const out = await engine.execute("const myCapture = { packets: 3 }\nlet seen = 0");
    assert.equal(out.status, "ok");
    const found = engine.completions({ code: "my" }, 2);
    assert.ok(found.items.some((i) => i.name === "myCapture"));
    assert.ok(engine.completions({ code: "" }, 0).items.some((i) => i.name === "myCapture"), "nothing typed: every name");
    assert.ok(!engine.completions({ code: "zz" }, 2).items.some((i) => i.name === "myCapture"));
    assert.ok(!found.items.some((i) => i.name.startsWith("__retis")));
    const members = engine.completions({ code: "myCapture." }, 10);
    assert.deepEqual(members.items.map((i) => i.name), ["packets"]);
    assert.deepEqual(engine.diagnostics({ code: "seen = 'x'" }).map((d) => d.code), [2322]);
  });
});

test("a workspace with its own node_modules/@types/node gets Node's declarations once (each overload listed once)", async () => {
  const types = dirname(createRequire(import.meta.url).resolve("@types/node/package.json"));
  // The oracle: readFileSync's overloads as @types/node declares them.
  const overloads = readFileSync(join(types, "fs.d.ts"), "utf8").split("export function readFileSync(").length - 1;
  assert.ok(overloads >= 2, "@types/node declares several readFileSync overloads");
  const workspace = mkdtempSync(join(tmpdir(), "retis-types-"));
  mkdirSync(join(workspace, "node_modules", "@types"), { recursive: true });
  symlinkSync(types, join(workspace, "node_modules", "@types", "node"));
  const engine = await createEngine({ cwd: workspace, languageOnly: true });
  try {
    const uri = pathToFileURL(join(workspace, "read.ts")).href;
    const text = 'import { readFileSync } from "node:fs";\nreadFileSync(';
    engine.documents.set(uri, text);
    const help = engine.signatureHelp(uri, text.length)!;
    assert.equal(help.signatures.length, overloads, help.signatures.map((s) => s.label).join("\n"));
  } finally {
    await engine.close();
    rmSync(workspace, { recursive: true, force: true });
  }
});
