// `retis lsp --stdio` fed raw bytes, as a broken or hostile editor would send them: JSON-RPC's errors where the
// spec asks for them, bad params refused without a crash, bad framing skipped. Before, a request before
// initialize and one after shutdown were answered as usual, bad JSON got no answer, `text: null` in didOpen
// killed the process (TypeError in engine/node-types.js), and one bad header left a process that never
// answered again.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after as afterAll, describe, test } from "node:test";
import { StreamMessageReader } from "vscode-jsonrpc/node.js";
import { repoRoot } from "../samples.js";
import { WAIT_MS } from "./client.js";

interface Received {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: { message?: string; uri?: string };
}

/** A spawned server, written to byte by byte; its answers read by vscode-jsonrpc's own reader. */
function rawServer() {
  const child = spawn(process.execPath, [join(repoRoot, "dist/cli/main.js"), "lsp", "--stdio"], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const received: Received[] = [];
  const wakes: (() => void)[] = [];
  new StreamMessageReader(child.stdout).listen((m) => {
    received.push(m as Received);
    for (const wake of wakes.splice(0)) wake();
  });
  return {
    child,
    exited,
    stderr: () => stderr,
    write: (bytes: string | Buffer) => child.stdin.write(bytes),
    /** A correctly framed message. */
    send(message: unknown) {
      const body = Buffer.from(typeof message === "string" ? message : JSON.stringify(message));
      child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    },
    /** The first message received that `accept`s, waiting up to WAIT_MS (the process may die meanwhile). */
    async next(accept: (m: Received) => boolean, what: string): Promise<Received> {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const found = received.find(accept);
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before ${what}; stderr:\n${stderr}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} within ${WAIT_MS} ms; received ${JSON.stringify(received)}; stderr:\n${stderr}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          wakes.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

const hover = (id: number, uri = "file:///never-opened.ts") => ({ jsonrpc: "2.0", id, method: "textDocument/hover", params: { textDocument: { uri }, position: { line: 0, character: 0 } } });
const reply = (id: number) => (m: Received) => m.id === id && m.method === undefined;

describe("retis lsp --stdio with a broken client", () => {
  const server = rawServer();
  afterAll(() => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  test("a request before initialize gets ServerNotInitialized (-32002)", async () => {
    server.send(hover(1));
    const answer = await server.next(reply(1), "an answer to the early hover");
    assert.equal(answer.error?.code, -32002, JSON.stringify(answer));
  });

  test("initialize without capabilities gets InvalidParams naming the field; a good one then succeeds", async () => {
    server.send({ jsonrpc: "2.0", id: 11, method: "initialize", params: { processId: null, rootUri: null, capabilities: null } });
    const refused = await server.next(reply(11), "an answer to initialize with capabilities null");
    assert.equal(refused.error?.code, -32602, JSON.stringify(refused));
    assert.match(refused.error!.message, /params\.capabilities is null: expected an object/);
  });

  test("initialize, then a body that is not JSON gets Parse error (-32700) with id null, and the server answers on", async () => {
    server.send({ jsonrpc: "2.0", id: 2, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    assert.ok((await server.next(reply(2), "the initialize result")).result);
    server.send({ jsonrpc: "2.0", method: "initialized", params: {} });
    server.send('{"jsonrpc": "2.0", "id": 3, "method": ');
    const parseError = await server.next((m) => m.error?.code === -32700, "a Parse error");
    assert.equal(parseError.id, null);
    server.send(hover(4));
    assert.deepEqual((await server.next(reply(4), "the hover after bad JSON")).result, null);
  });

  test("something that is not a JSON-RPC message gets Invalid Request (-32600)", async () => {
    server.send("[1, 2]");
    server.send('{"id": 5, "method": "textDocument/hover"}');
    const invalid = await server.next((m) => m.error?.code === -32600 && m.id === 5, "Invalid Request for id 5");
    assert.match(invalid.error!.message, /jsonrpc/);
  });

  test("a bad Content-Length is skipped, the next message is read, and stderr says why", async () => {
    server.write("Content-Length: abc\r\n\r\n{}");
    server.send(hover(6));
    assert.deepEqual((await server.next(reply(6), "the hover after a bad Content-Length")).result, null);
    assert.match(server.stderr(), /"Content-Length: abc": expected "Content-Length: <number of bytes>"/);
  });

  test("a header line that is not `Name: value` is skipped the same way", async () => {
    server.write("garbage\r\n\r\n");
    server.send(hover(7));
    assert.deepEqual((await server.next(reply(7), "the hover after a garbage header")).result, null);
    assert.match(server.stderr(), /bad header line "garbage"/);
  });

  for (const [name, text, shown] of [["null", null, "null"], ["a number", 42, "a number (42)"], ["an object", { a: 1 }, "an object"]] as const) {
    test(`didOpen whose text is ${name} is refused with a log line naming the document and the field; the server lives on`, async () => {
      const uri = `file:///bad-${name.replace(/ /g, "-")}.ts`;
      server.send({ jsonrpc: "2.0", method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "typescript", version: 1, text } } });
      const log = await server.next((m) => m.method === "window/logMessage" && (m.params?.message ?? "").includes(uri), `a log line for text ${name}`);
      assert.match(log.params!.message!, new RegExp(`didOpen .* ignored: params\\.textDocument\\.text is ${shown.replace(/[()]/g, "\\$&")}: expected a string`));
      const id = 100 + name.length;
      server.send(hover(id, uri));
      assert.deepEqual((await server.next(reply(id), "a hover on the refused document")).result, null);
    });
  }

  test("a notebook whose cell text is a number is refused; a hover with a bad position gets InvalidParams", async () => {
    server.send({
      jsonrpc: "2.0",
      method: "notebookDocument/didOpen",
      params: {
        notebookDocument: { uri: "file:///bad.ipynb", notebookType: "jupyter-notebook", version: 1, cells: [{ kind: 2, document: "file:///bad.ipynb#c1" }] },
        cellTextDocuments: [{ uri: "file:///bad.ipynb#c1", languageId: "typescript", version: 1, text: 7 }],
      },
    });
    await server.next((m) => /notebookDocument\/didOpen for file:\/\/\/bad\.ipynb ignored: params\.cellTextDocuments\[0\]\.text is a number \(7\): expected a string/.test(m.params?.message ?? ""), "a log line for the notebook");
    server.send({ jsonrpc: "2.0", id: 8, method: "textDocument/hover", params: { textDocument: { uri: "file:///x.ts" }, position: { line: "one", character: 0 } } });
    const invalid = await server.next(reply(8), "an answer to the bad hover");
    assert.equal(invalid.error?.code, -32602, JSON.stringify(invalid));
    assert.match(invalid.error!.message, /position\.line is a string/);
  });

  test("after shutdown, requests get InvalidRequest (-32600); exit then ends the process with 0", async () => {
    server.send({ jsonrpc: "2.0", id: 9, method: "shutdown" });
    server.send(hover(10));
    assert.equal((await server.next(reply(10), "an answer to the hover after shutdown")).error?.code, -32600);
    assert.equal((await server.next(reply(9), "the shutdown result")).error, undefined);
    server.send({ jsonrpc: "2.0", method: "exit" });
    assert.equal(await server.exited, 0, server.stderr());
    assert.doesNotMatch(server.stderr(), /TypeError/);
  });
});
