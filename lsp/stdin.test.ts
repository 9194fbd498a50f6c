// stdin.ts over a real pipe (a FIFO read by libuv, as stdin is), joined to the real server and engine. The
// case: an edit that is already waiting in the pipe when a check starts. libuv has not read it yet, so only the
// check's own look at the pipe finds it; the check must then stop and let the edit go first. Before, the two
// counts were read in the order that always made them equal: the check ran on the replaced text and published
// diagnostics of a version the editor no longer had.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { test } from "node:test";
import { createEngine } from "../engine/index.js";
import { streamClient } from "../test/lsp/client.js";
import { listen } from "./connection.js";
import { pipeConnection } from "./reader.js";
import { watchPipe } from "./stdin.js";

const frame = (message: unknown) => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

test("an edit waiting in the pipe when a check starts goes first: no diagnostics of the replaced text", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "retis-lsp-stdin-"));
  const fifo = join(dir, "in");
  assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(fifo, constants.O_WRONLY);
  const source = new Socket({ fd: readFd, readable: true, writable: false });
  const watched = watchPipe(readFd, source);
  const uri = "untitled:waiting.ts";
  const edited = { jsonrpc: "2.0", method: "textDocument/didChange", params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: "const b: string = 2;\n" }] } };
  let planted = false;
  const down = new PassThrough();
  const { connection, input } = pipeConnection(watched, down, () => undefined);
  listen(connection, {
    input,
    diagnosticsDelay: 0,
    createEngine: async (cwd) => {
      const engine = await createEngine({ cwd, languageOnly: true });
      const set = engine.documents.set.bind(engine.documents);
      // The engine gets version 1 as the diagnostics round starts. The round then waits two setImmediate turns
      // (diagnostics.ts) so that messages already read are handled first; the editor's next edit lands in the
      // pipe in the last of those turns, just before the check, with no poll phase in which libuv could read it:
      // only the check's own look at the pipe can find it.
      engine.documents.set = (u, text, options) => {
        set(u, text, options);
        if (u === uri && !planted) {
          planted = true;
          setImmediate(() => setImmediate(() => writeSync(writeFd, frame(edited))));
        }
      };
      return engine;
    },
  });
  const up = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writeSync(writeFd, chunk);
      done();
    },
  });
  const client = streamClient(down, up);
  const versions: (number | undefined)[] = [];
  client.onDiagnostics.push((p) => p.uri === uri && versions.push(p.version));
  t.after(() => {
    client.connection.dispose();
    connection.dispose();
    source.destroy();
    closeSync(writeFd);
    rmSync(dir, { recursive: true, force: true });
  });
  await client.initialize();
  await client.open(uri, "const a: number = 'one';\n");
  await client.diagnosticsWhen(uri, (d) => d.some((x) => /'number' is not assignable to type 'string'/.test(x.message)), "version 2's error");
  assert.ok(planted, "the edit was planted during the first check");
  assert.deepEqual(versions, [2], "only the current version's diagnostics were published");
  await client.shutdown();
});
