// The Jupyter kernel: start to kernel_info_reply, a tiny type-checked cell's round trip, completion and
// inspection — each beside a baseline from the same run: node's own start-up, and a bare zeromq echo
// process (bind a ROUTER, answer every message) for both start-up and round trip.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as zmq from "zeromq";
import { KernelClient } from "../kernel/protocol/client.js";
import { repoRoot } from "../test/samples.js";
import { connectionFile, freePorts, testCapture } from "../test/kernel/harness.js";

const cli = join(repoRoot, "dist", "cli", "main.js");
const STARTS = 7;
const CELLS = 200;
const COMPLETES = 200;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
}

/** Spawn → first reply on shell. The request is queued before the kernel binds; zeromq delivers it on connect. */
async function startToKernelInfo(): Promise<number> {
  const { path, info } = await connectionFile();
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, "kernel", "run", "-f", path], { stdio: "ignore", env: { ...process.env, RETIS_FILE: testCapture() } });
  const client = new KernelClient(info);
  await client.request("kernel_info_request", {});
  const t = performance.now() - t0;
  await client.request("shutdown_request", { restart: false }, "control");
  client.close();
  await waitExit(child);
  return t;
}

const ECHO = `import * as zmq from "zeromq";
const s = new zmq.Router({ linger: 0 }); await s.bind(process.argv[1]);
for await (const frames of s) await s.send(frames);`;

/** Spawn → first reply from a node process that only binds a ROUTER and echoes. */
async function echoProcess(): Promise<{ child: ChildProcess; dealer: zmq.Dealer; startMs: number }> {
  const [port] = await freePorts(1);
  const at = `tcp://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--input-type=module", "-e", ECHO, at], { stdio: "ignore", cwd: repoRoot });
  const dealer = new zmq.Dealer({ reconnectInterval: 5, linger: 0 });
  dealer.connect(at);
  await dealer.send(["ping"]);
  await dealer.receive();
  return { child, dealer, startMs: performance.now() - t0 };
}

async function nodeStartup(): Promise<number> {
  const t0 = performance.now();
  await waitExit(spawn(process.execPath, ["-e", "0"], { stdio: "ignore" }));
  return performance.now() - t0;
}

export default async function (): Promise<void> {
  // --- start-up ---
  const nodeStarts: number[] = [];
  const echoStarts: number[] = [];
  const kernelStarts: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    nodeStarts.push(await nodeStartup());
    const echo = await echoProcess();
    echoStarts.push(echo.startMs);
    echo.dealer.close();
    echo.child.kill();
    kernelStarts.push(await startToKernelInfo());
  }
  console.log(`start → kernel_info_reply: median ${ms(quantile(kernelStarts, 0.5))} (target ≤ 600 ms) over ${STARTS} starts`);
  console.log(`  baseline node -e 0: median ${ms(quantile(nodeStarts, 0.5))}; bare zeromq echo process, spawn → first reply: median ${ms(quantile(echoStarts, 0.5))}`);

  // --- round trips on one kernel ---
  const { path, info } = await connectionFile();
  const child = spawn(process.execPath, [cli, "kernel", "run", "-f", path], { stdio: "ignore", env: { ...process.env, RETIS_FILE: testCapture() } });
  const client = new KernelClient(info);
  await client.request("kernel_info_request", {});
  const warm = performance.now();
  await client.request("execute_request", { code: "1 + 1", silent: false });
  console.log(`first cell after start (engine warm-up included): ${ms(performance.now() - warm)}`);

  const echo = await echoProcess();
  const echoRt: number[] = [];
  for (let i = 0; i < CELLS; i++) {
    const t0 = performance.now();
    await echo.dealer.send(["ping"]);
    await echo.dealer.receive();
    echoRt.push(performance.now() - t0);
  }
  echo.dealer.close();
  echo.child.kill();

  const cells: number[] = [];
  for (let i = 0; i < CELLS; i++) {
    const t0 = performance.now();
    const reply = await client.request("execute_request", { code: `const x${i % 2 ? "a" : "b"}: number = ${i} + 1;\nx${i % 2 ? "a" : "b"} * 2`, silent: false });
    cells.push(performance.now() - t0);
    if ((reply.content as { status: string }).status !== "ok") throw new Error(`cell failed: ${JSON.stringify(reply.content)}`);
  }
  console.log(`tiny type-checked cell, execute_request → execute_reply: p50 ${ms(quantile(cells, 0.5))}, p95 ${ms(quantile(cells, 0.95))} (target p50 ≤ 15 ms) over ${CELLS}`);
  console.log(`  baseline bare zeromq echo round trip: p50 ${ms(quantile(echoRt, 0.5))}, p95 ${ms(quantile(echoRt, 0.95))}`);

  const completes: number[] = [];
  const inspects: number[] = [];
  for (let i = 0; i < COMPLETES; i++) {
    const code = i % 2 ? "reader.ev" : "const e = [...reader.events()][0]!;\ne.skb_tracking?.";
    let t0 = performance.now();
    const r = await client.request("complete_request", { code, cursor_pos: [...code].length });
    completes.push(performance.now() - t0);
    if (((r.content as { matches: string[] }).matches ?? []).length === 0) throw new Error(`no completions for ${JSON.stringify(code)}`);
    t0 = performance.now();
    await client.request("inspect_request", { code: "reader.events", cursor_pos: 10, detail_level: 0 });
    inspects.push(performance.now() - t0);
  }
  console.log(`complete_request → reply, two unrelated cells in turn (each request a new document): p50 ${ms(quantile(completes, 0.5))}, p95 ${ms(quantile(completes, 0.95))} (target p95 ≤ 20 ms) over ${COMPLETES}`);

  // As when typing: each request is the previous text plus one character.
  const line = "for (const e of reader.events()) if (e.skb_drop && e.dev) console.log(e.skb_drop.drop_reason, e.dev.name)";
  const typing: number[] = [];
  for (let i = 0; i < COMPLETES; i++) {
    const code = line.slice(0, 20 + (i % (line.length - 20)));
    const t0 = performance.now();
    await client.request("complete_request", { code, cursor_pos: [...code].length });
    typing.push(performance.now() - t0);
  }
  console.log(`complete_request → reply, typing one line a character at a time: p50 ${ms(quantile(typing, 0.5))}, p95 ${ms(quantile(typing, 0.95))} over ${COMPLETES}`);
  console.log(`inspect_request → reply: p50 ${ms(quantile(inspects, 0.5))}, p95 ${ms(quantile(inspects, 0.95))}`);
  console.log(`  baseline bare zeromq echo round trip: p50 ${ms(quantile(echoRt, 0.5))}`);

  await client.request("shutdown_request", { restart: false }, "control");
  client.close();
  await waitExit(child);
}
