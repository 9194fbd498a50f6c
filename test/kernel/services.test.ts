// The kernel behind a real `jupyter server` (Debian's jupyter-server), driven by @jupyterlab/services —
// the same client code JupyterLab runs — over HTTP and WebSocket: list the spec, start, execute, check
// is_complete, interrupt, shut down.
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../samples.js";
import { KERNEL_NAME, havePython, kernelEnv } from "./harness.js";

const require = createRequire(import.meta.url);
// CommonJS packages: loaded with require so their own module format does not matter here.
const services = require("@jupyterlab/services") as typeof import("@jupyterlab/services");
const WebSocketImpl = require("ws") as unknown;

const SERVER = "/usr/bin/jupyter-server";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`jupyter server did not answer ${url} in ${ms} ms: ${last}`);
}

describe("@jupyterlab/services through jupyter server", () => {
  let server: ChildProcess | undefined;
  let log = "";
  const disposables: { dispose(): void }[] = [];
  after(async () => {
    // The managers poll the server on timers until disposed; the server must be gone before the file ends.
    for (const d of disposables) d.dispose();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
  });

  it("starts the kernel, runs a cell that reads the capture, interrupts and shuts down", { timeout: 120_000 }, async (t) => {
    if (!havePython(t, ["jupyter_server"])) return;
    if (!existsSync(SERVER)) {
      if (process.env.CI === "true") throw new Error(`${SERVER} is missing`);
      console.error(`\n*** SKIPPED: ${SERVER} is missing (apt-get install jupyter-server) ***\n`);
      t.skip(`${SERVER} missing`);
      return;
    }
    const port = await freePort();
    const token = "retis-test-token";
    const env = kernelEnv({ JUPYTER_CONFIG_DIR: mkdtempSync(join(tmpdir(), "retis-jupyter-config-")) });
    server = spawn(SERVER, ["--allow-root", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--ServerApp.token=${token}`, `--ServerApp.root_dir=${join(repoRoot, "notebooks")}`], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitFor(`${baseUrl}api/status?token=${token}`, 30_000);

    const settings = services.ServerConnection.makeSettings({
      baseUrl,
      wsUrl: `ws://127.0.0.1:${port}/`,
      token,
      WebSocket: WebSocketImpl as typeof settingsWs,
      fetch: fetch as never,
    });
    // The REST functions and a KernelConnection, not the managers: the managers' polls (@lumino/polling)
    // leave a 61 s timer behind after dispose(), which would hold this test process open.
    const specs = await services.KernelSpecAPI.getSpecs(settings);
    const spec = specs.kernelspecs[KERNEL_NAME];
    assert.ok(spec, `kernelspec ${KERNEL_NAME} listed by the server\n${log}`);
    assert.equal(spec.language, "typescript");

    const model = await services.KernelAPI.startNew({ name: KERNEL_NAME }, settings);
    const kernel = new services.KernelConnection({ model, serverSettings: settings });
    disposables.push(kernel);
    try {
      const info = await kernel.info;
      assert.equal(info.language_info.name, "typescript");

      const outputs: { type: string; content: Record<string, unknown> }[] = [];
      const future = kernel.requestExecute({ code: 'let n = 0;\nfor (const e of reader.events()) n++;\nconsole.log("events:", n);\nn > 0' });
      future.onIOPub = (msg) => {
        outputs.push({ type: msg.header.msg_type, content: msg.content as Record<string, unknown> });
      };
      const reply = await future.done;
      assert.equal(reply.content.status, "ok", JSON.stringify(reply.content));
      const stream = outputs.find((o) => o.type === "stream");
      assert.match(String(stream?.content.text), /^events: \d+\n$/);
      const result = outputs.find((o) => o.type === "execute_result");
      assert.deepEqual((result?.content.data as Record<string, unknown>)["text/plain"], "true");

      const complete = await kernel.requestIsComplete({ code: "function f() {" });
      assert.equal(complete.content.status, "incomplete");

      // Interrupt through the server's REST API: it sends interrupt_request on control (interrupt_mode "message").
      const busy = kernel.requestExecute({ code: "while (true) {}" });
      await new Promise((r) => setTimeout(r, 1000));
      await kernel.interrupt();
      const interrupted = await busy.done.catch((err: unknown) => (err as { content: unknown }));
      assert.equal((interrupted as { content: { status: string } }).content.status, "error");
      const after = kernel.requestExecute({ code: "n > 0" });
      assert.equal((await after.done).content.status, "ok");
    } finally {
      await kernel.shutdown();
    }
    const running = await fetch(`${baseUrl}api/kernels?token=${token}`).then((r) => r.json() as Promise<unknown[]>);
    assert.deepEqual(running, []);
  });
});

declare const settingsWs: ReturnType<typeof services.ServerConnection.makeSettings>["WebSocket"];
