// The whole protocol with no process: server and client joined by two in-memory streams
// (vscode-languageserver-node's textdocuments.test.ts shape), over the real engine.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after as afterAll, before, describe, test } from "node:test";
import { createConnection, StreamMessageReader, StreamMessageWriter, type Connection } from "vscode-languageserver/node.js";
import { createEngine } from "../engine/index.js";
import { after, labels, streamClient, type TestClient } from "../test/lsp/client.js";
import { listen } from "./connection.js";
import type { ServerOptions } from "./server.js";

/** A server and a client joined by two PassThrough streams; `events` records diagnostics as `uri vN`. */
function pair(input?: ServerOptions["input"]): { client: TestClient; connection: Connection; events: string[] } {
  const up = new PassThrough();
  const down = new PassThrough();
  // Message readers, not raw streams: with raw streams vscode-languageserver ends the process when they close.
  const connection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  // Quiet time 0: diagnostics are due at once, so only the scheduler keeps them behind requests.
  listen(connection, { createEngine: (cwd) => createEngine({ cwd, languageOnly: true }), diagnosticsDelay: 0, ...(input ? { input } : {}) });
  const client = streamClient(down, up);
  const events: string[] = [];
  client.onDiagnostics.push((p) => events.push(`${p.uri} v${p.version}`));
  return { client, connection, events };
}

async function stop(p: { client: TestClient; connection: Connection }): Promise<void> {
  await p.client.shutdown();
  p.client.connection.dispose();
  p.connection.dispose();
}

describe("LSP connection over in-memory streams", () => {
  let client: TestClient;
  let connection: Connection;
  let events: string[];

  before(async () => {
    ({ client, connection, events } = pair());
    const init = await client.initialize();
    assert.equal(init.capabilities.textDocumentSync && typeof init.capabilities.textDocumentSync === "object" && init.capabilities.textDocumentSync.change, 2);
  });
  afterAll(() => stop({ client, connection }));

  test("at cold start, a completion goes before the check that waited for the engine with it", async () => {
    // A fresh server: the document's check is due at once (quiet time 0) and waits for the engine, as does
    // the completion; when the engine is up, the completion must be answered first.
    const cold = pair();
    try {
      await cold.client.initialize();
      const uri = "untitled:cold.ts";
      const text = "for (const event of reader.events()) {\n  event.skb_trakcing;\n  event.\n}\n";
      await cold.client.open(uri, text);
      const list = await cold.client.completion(uri, after(text, "event."));
      cold.events.push("completion");
      assert.ok(labels(list).includes("skb_tracking"), labels(list).join(", "));
      await cold.client.diagnosticsWhen(uri, (d) => d.length > 0, "the typo is flagged");
      assert.deepEqual(cold.events, ["completion", `${uri} v1`]);
    } finally {
      await stop(cold);
    }
  });

  test("ranged edits and whole-text changes (jupyterlab-lsp's) are both applied", async () => {
    const uri = "untitled:edits.ts";
    await client.open(uri, "const n = 1;\n");
    // Two ranged edits in one notification, applied in order: append a line, then type into it.
    await client.change(uri, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "reader.\n" },
      { range: { start: { line: 1, character: 7 }, end: { line: 1, character: 7 } }, text: "sor" },
    ]);
    let names = labels(await client.completion(uri, { line: 1, character: 10 }));
    assert.ok(names.includes("sorted"), names.join(", "));
    // A change without a range replaces the whole text.
    const text = "for (const e of reader.events()) e.skb_drop?.";
    await client.change(uri, [{ text }]);
    names = labels(await client.completion(uri, after(text, "?.")));
    assert.ok(names.includes("drop_reason") && names.includes("subsys"), names.join(", "));
  });

  test("a completion asked right after an edit is answered before that edit's diagnostics", async () => {
    const uri = "untitled:order.ts";
    const text = "for (const event of reader.events()) event.skb_trakcing;\n";
    await client.open(uri, text);
    await client.diagnosticsWhen(uri, (d) => d.length === 1, "the typo is flagged");
    events.length = 0;
    await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "reader." }]);
    const list = await client.completion(uri, { line: 1, character: 7 });
    events.push("completion");
    assert.ok(labels(list).includes("events"));
    await client.diagnosticsWhen(uri, (d) => d.length === 2, "the new line's error joins the typo");
    assert.deepEqual(events, ["completion", `${uri} v2`]);
  });

  test("resolve of an item from a list long replaced returns it unchanged", async () => {
    const uri = "untitled:resolve.ts";
    const text = "reader.";
    await client.open(uri, text);
    const first = (await client.completion(uri, after(text, ".")))!.items.find((i) => i.label === "events")!;
    for (let i = 0; i < 5; i++) await client.completion(uri, after(text, "."));
    const resolved = await client.resolve(first);
    assert.deepEqual(resolved, first);
    const fresh = (await client.completion(uri, after(text, ".")))!.items.find((i) => i.label === "events")!;
    assert.match((await client.resolve(fresh)).detail ?? "", /events\(\)/);
  });

  test("a check stops while the client's input keeps arriving, and publishes once it pauses", async () => {
    // stdin.ts's counts, simulated: while `arriving`, each look at the count finds a new chunk, as if the editor
    // sent one during the check; the check must stop every time and publish nothing.
    let arriving = true;
    let chunks = 0;
    const busy = pair({ received: () => (arriving ? ++chunks : chunks), waiting: () => false });
    try {
      await busy.client.initialize();
      const uri = "untitled:busy.ts";
      const text = "function count(): number {\n  let n = 0\n  for (const e of reader.events()) if (e.skb_trakcing) n++\n  return n\n}\n";
      await busy.client.open(uri, text);
      // Wait (on counts, not time) for several checks to have started and stopped.
      while (chunks < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(busy.client.published(uri), undefined, "a stopped check publishes nothing");
      arriving = false;
      const found = await busy.client.diagnosticsWhen(uri, (d) => d.length === 1, "the typo is flagged once input pauses");
      assert.equal(found[0]!.code, 2551);
    } finally {
      await stop(busy);
    }
  });

  test("closing a document clears its diagnostics", async () => {
    const uri = "untitled:closed.ts";
    await client.open(uri, "const x: number = 'no';\n");
    const flagged = await client.diagnosticsWhen(uri, (d) => d.length === 1, "the type error is flagged");
    assert.equal(flagged[0]!.code, 2322);
    await client.close(uri);
    await client.diagnosticsWhen(uri, (d) => d.length === 0, "closing cleared them");
    assert.equal(await client.hover(uri, { line: 0, character: 6 }), null);
  });
});
