// `retis lsp --stdio` as an editor runs it: a real process, JSON-RPC over its stdin/stdout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after as afterAll, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { MarkupKind, type MarkupContent } from "vscode-languageserver/node.js";
import { repoRoot } from "../samples.js";
import { after, labels, spawnServer, type ServerProcess } from "./client.js";

const SECTIONS = ["common", "kernel", "skb_tracking", "skb_drop", "skb", "packet", "ct", "ovs", "dev", "netns"];
const SKB_TRACKING = ["orig_head", "timestamp", "skb", "trackingId", "match", "strictMatch"];

const SCRIPT = `// drops.ts
for (const event of reader.events()) {
  const drop = event.skb_drop?.drop_reason;
  if (!drop) continue;
  const id = event.skb_tracking?.trackingId();
  console.log(id, drop, event.get("skb-drop"));
}
`;

function uri(name: string): string {
  return pathToFileURL(`${repoRoot}/test/lsp/${name}`).href;
}

describe("retis lsp --stdio", () => {
  let server: ServerProcess;
  before(async () => {
    server = spawnServer();
    const init = await server.client.initialize(pathToFileURL(repoRoot).href);
    assert.equal(init.serverInfo?.name, "retis-lsp");
    assert.equal(init.capabilities.completionProvider?.resolveProvider, true);
  });
  afterAll(async () => {
    const code = await server.stop();
    assert.equal(code, 0, `exit status after shutdown/exit; stderr:\n${server.stderr()}`);
  });

  test("`event.` lists every section", async () => {
    const u = uri("sections.ts");
    const text = "for (const event of reader.events()) {\n  event.\n}\n";
    await server.client.open(u, text);
    const names = labels(await server.client.completion(u, after(text, "event.")));
    for (const section of SECTIONS) assert.ok(names.includes(section), `${section} missing from ${names.join(", ")}`);
    assert.ok(!names.includes("Array"), "member completion must not list globals");
  });

  test("`event.skb_tracking.` lists its fields and helpers, documented after resolve", async () => {
    const u = uri("tracking.ts");
    const text = "for (const event of reader.events()) {\n  event.skb_tracking.\n}\n";
    await server.client.open(u, text);
    const list = await server.client.completion(u, after(text, "skb_tracking."));
    const names = labels(list);
    for (const member of SKB_TRACKING) assert.ok(names.includes(member), `${member} missing from ${names.join(", ")}`);

    const origHead = list!.items.find((i) => i.label === "orig_head")!;
    assert.equal(origHead.documentation, undefined, "docs come with resolve, not in the list");
    // skb_tracking is optional: TypeScript inserts `?.orig_head` in place of the typed dot.
    assert.deepEqual(origHead.textEdit, {
      range: { start: { line: 1, character: 20 }, end: { line: 1, character: 21 } },
      newText: "?.orig_head",
    });
    const resolved = await server.client.resolve(origHead);
    assert.match(resolved.detail ?? "", /orig_head: bigint/);
    assert.equal((resolved.documentation as MarkupContent).kind, MarkupKind.Markdown);
    assert.match((resolved.documentation as MarkupContent).value, /skb->head/);

    const trackingId = await server.client.resolve(list!.items.find((i) => i.label === "trackingId")!);
    assert.match(trackingId.detail ?? "", /trackingId\(\): bigint/);
    assert.match((trackingId.documentation as MarkupContent).value, /tracking_id\(\)/);
  });

  test("hover on `drop_reason` shows its type and doc comment", async () => {
    const u = uri("drops.ts");
    await server.client.open(u, SCRIPT);
    const at = after(SCRIPT, "drop_r", "first");
    const hover = await server.client.hover(u, at);
    assert.ok(hover, "no hover");
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    // Read through `?.`, so TypeScript shows the value's type there: `string | undefined`.
    assert.match(contents.value, /```typescript\n\(property\) SkbDropFields\.drop_reason: string \| undefined\n```/);
    assert.match(contents.value, /enum skb_drop_reason/);
    const line = SCRIPT.split("\n")[2]!;
    assert.deepEqual(hover.range, {
      start: { line: 2, character: line.indexOf("drop_reason") },
      end: { line: 2, character: line.indexOf("drop_reason") + "drop_reason".length },
    });
  });

  test("signature help inside `event.get(`", async () => {
    const u = uri("drops.ts");
    const help = await server.client.signatureHelp(u, after(SCRIPT, 'event.get("'));
    assert.ok(help && help.signatures.length >= 1, "no signature help");
    const signature = help.signatures[help.activeSignature ?? 0]!;
    assert.match(signature.label, /get/);
    const [start, end] = signature.parameters![0]!.label as [number, number];
    assert.match(signature.label.slice(start, end), /^name/);
  });

  test("`event.get(\"` lists the section names Retis uses", async () => {
    const u = uri("get.ts");
    const text = 'for (const event of reader.events()) {\n  event.get("\n}\n';
    await server.client.open(u, text);
    const names = labels(await server.client.completion(u, after(text, 'get("')));
    for (const section of ["skb-tracking", "skb-drop", "packet", "kernel"]) assert.ok(names.includes(section), `${section} missing from ${names.join(", ")}`);
  });

  test("a typo is flagged with TypeScript's 'did you mean', and cleared when fixed (incremental edit)", async () => {
    const u = uri("typo.ts");
    const text = "for (const event of reader.events()) {\n  console.log(event.skb_trakcing);\n}\n";
    await server.client.open(u, text);
    const flagged = await server.client.diagnosticsWhen(u, (d) => d.length > 0, "the typo is flagged");
    assert.equal(flagged.length, 1, JSON.stringify(flagged));
    assert.equal(flagged[0]!.code, 2551);
    assert.match(flagged[0]!.message, /Property 'skb_trakcing' does not exist on type 'Event'\. Did you mean 'skb_tracking'\?/);
    const column = "  console.log(event.".length;
    assert.deepEqual(flagged[0]!.range, { start: { line: 1, character: column }, end: { line: 1, character: column + "skb_trakcing".length } });

    // Replace "trakcing" by "tracking": a ranged edit, as editors send.
    const start = column + "skb_".length;
    await server.client.change(u, [{ range: { start: { line: 1, character: start }, end: { line: 1, character: start + 8 } }, text: "tracking" }]);
    await server.client.diagnosticsWhen(u, (d) => d.length === 0, "the fix cleared them");
    // Completion sees the edited text too.
    const names = labels(await server.client.completion(u, { line: 1, character: start + 1 }));
    assert.ok(names.includes("skb_tracking"), names.join(", "));
  });

  test("an .ipynb document (jupyterlab-lsp's joined cells) completes in its last cell", async () => {
    const u = pathToFileURL(`${repoRoot}/notebooks/analysis.ipynb`).href;
    // jupyterlab-lsp joins code cells, each followed by two blank lines; a later cell may redeclare a name.
    const cells = [
      "const events = [...reader.events()];",
      "const drops = events.filter((e) => e.has(\"skb-drop\"));\ndrops.length",
      "const events = drops;",
      "const first = drops[0]!;\nfirst.skb_tracking?.",
    ];
    const text = cells.join("\n\n\n") + "\n\n\n";
    await server.client.open(u, text);
    const list = await server.client.completion(u, after(text, "first.skb_tracking?."));
    const names = labels(list);
    for (const member of SKB_TRACKING) assert.ok(names.includes(member), `${member} missing from ${names.join(", ")}`);
    // `events` redeclared across cells is not an error in a notebook; only the unfinished last line is.
    const diagnostics = await server.client.diagnosticsWhen(u, (d) => d.length > 0, "the last cell's syntax error");
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      [1003],
      JSON.stringify(diagnostics),
    );
  });

  test("an LSP 3.17 notebook: a cell sees the cells above it", async () => {
    const notebook = "file:///work/demo.ipynb";
    const cell = (n: number) => `vscode-notebook-cell:/work/demo.ipynb#cell${n}`;
    const texts = ["const events = [...reader.events()];", "# Drops", "const first = events[0]!;\nfirst."];
    await server.client.connection.sendNotification("notebookDocument/didOpen", {
      notebookDocument: {
        uri: notebook,
        notebookType: "jupyter-notebook",
        version: 1,
        cells: [
          { kind: 2, document: cell(1) },
          { kind: 1, document: cell(2) },
          { kind: 2, document: cell(3) },
        ],
      },
      cellTextDocuments: texts.map((text, i) => ({ uri: cell(i + 1), languageId: i === 1 ? "markdown" : "typescript", version: 1, text })),
    });
    const names = labels(await server.client.completion(cell(3), after(texts[2]!, "first.")));
    for (const section of SECTIONS) assert.ok(names.includes(section), `${section} missing from ${names.join(", ")}`);

    // Edit cell 1 so that `events` holds numbers: cell 3 now completes a number's members.
    await server.client.connection.sendNotification("notebookDocument/didChange", {
      notebookDocument: { uri: notebook, version: 2 },
      change: {
        cells: {
          textContent: [
            {
              document: { uri: cell(1), version: 2 },
              changes: [{ range: { start: { line: 0, character: 15 }, end: { line: 0, character: 36 } }, text: "[1, 2];" }],
            },
          ],
        },
      },
    });
    const after2 = labels(await server.client.completion(cell(3), after(texts[2]!, "first.")));
    assert.ok(after2.includes("toFixed"), after2.join(", "));
    assert.ok(!after2.includes("skb_tracking"), after2.join(", "));

    // Insert a code cell between the markdown cell and cell 3: cell 3 sees its declaration.
    const inserted = "const drops = [...reader.events()].filter((e) => e.skb_drop);";
    await server.client.connection.sendNotification("notebookDocument/didChange", {
      notebookDocument: { uri: notebook, version: 3 },
      change: {
        cells: {
          structure: {
            array: { start: 2, deleteCount: 0, cells: [{ kind: 2, document: cell(4) }] },
            didOpen: [{ uri: cell(4), languageId: "typescript", version: 1, text: inserted }],
          },
          textContent: [
            { document: { uri: cell(3), version: 2 }, changes: [{ text: "drops[0]!.skb_drop." }] },
          ],
        },
      },
    });
    const dropMembers = labels(await server.client.completion(cell(3), { line: 0, character: "drops[0]!.skb_drop.".length }));
    assert.ok(dropMembers.includes("drop_reason"), dropMembers.join(", "));
    await server.client.connection.sendNotification("notebookDocument/didClose", {
      notebookDocument: { uri: notebook },
      cellTextDocuments: [1, 2, 4, 3].map((n) => ({ uri: cell(n) })),
    });
    assert.equal(await server.client.completion(cell(3), { line: 0, character: 0 }), null);
  });

  test("requests about documents never opened answer null", async () => {
    assert.equal(await server.client.hover("file:///nowhere.ts", { line: 0, character: 0 }), null);
    assert.equal(await server.client.completion("file:///nowhere.ts", { line: 0, character: 0 }), null);
  });
});

describe("retis lsp arguments", () => {
  const cli = join(repoRoot, "dist/cli/main.js");
  test("--stdio is required, unknown options are refused, with the usage", () => {
    for (const args of [[], ["--socket=4000"]]) {
      const out = spawnSync(process.execPath, [cli, "lsp", ...args], { encoding: "utf8", timeout: 30_000 });
      assert.equal(out.status, 2, out.stderr);
      assert.equal(out.stdout, "");
      assert.match(out.stderr, args.length === 0 ? /--stdio is required/ : /unknown option '--socket=4000'/);
    }
  });
  test("--help prints the usage on stdout", () => {
    const out = spawnSync(process.execPath, [cli, "lsp", "--help"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(out.status, 0);
    assert.match(out.stdout, /usage: retis lsp --stdio/);
  });
});

describe("retis lsp lifetime", () => {
  test("a workspace other than the server's directory gets its own engine, which answers", async () => {
    const server = spawnServer(repoRoot);
    try {
      await server.client.initialize(pathToFileURL(join(repoRoot, "typings")).href);
      const text = "reader.";
      await server.client.open("untitled:elsewhere.ts", text);
      assert.ok(labels(await server.client.completion("untitled:elsewhere.ts", after(text, "."))).includes("events"));
    } finally {
      assert.equal(await server.stop(), 0, server.stderr());
    }
  });

  test("the server ends when the editor closes its stdin (no orphan after a crash)", async () => {
    const server = spawnServer();
    await server.client.initialize(null);
    const text = "reader.";
    await server.client.open("untitled:orphan.ts", text);
    // The engine (and its evaluation thread) is up: it must not keep the process alive.
    assert.ok(labels(await server.client.completion("untitled:orphan.ts", after(text, "."))).includes("events"));
    const exited = new Promise<number | null>((resolve) => server.process.on("exit", (code) => resolve(code)));
    server.process.stdin!.end();
    // Without shutdown first, LSP says the exit status is 1.
    assert.equal(await exited, 1, server.stderr());
    server.client.connection.dispose();
  });
});
