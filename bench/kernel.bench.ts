// The Jupyter kernel. First issue J's rows: Debian's jupyter_client starts our kernel, tslab and Deno's kernel
// in turn (bench/kernel-peers.py), start → ready and 20 tiny typed cells after each start. Then our own
// figures: start to kernel_info_reply, a tiny type-checked cell's round trip, completion and inspection —
// each beside a baseline from the same run: node's own start-up, and a bare zeromq echo process (bind a
// ROUTER, answer every message) for both start-up and round trip.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { KernelClient } from "../kernel/protocol/client.js";
import { repoRoot } from "../test/samples.js";
import { connectionFile, freePorts, testCapture } from "../test/kernel/harness.js";
import { cacheDir, median, printTable, PYTHON, quantile as q, reason, skipped, spread, type BenchOptions, type Row } from "./measure.js";
import { installPeers } from "./peers.js";

const cli = join(repoRoot, "dist", "cli", "main.js");
let STARTS = 7;
let CELLS = 200;
let COMPLETES = 200;
const PEER_CELLS = 20;

interface PeerResult {
  start: number[];
  first: number[];
  cells: number[];
  error: string | null;
}

/** Kernelspecs in a private JUPYTER_PATH under the cache folder: ours (this checkout), tslab's, Deno's. */
function kernelspecs(log: (s: string) => void): { jupyterPath: string; names: Record<string, string>; skips: Record<string, string> } {
  const prefix = cacheDir("jupyter");
  const kernels = join(prefix, "share", "jupyter", "kernels");
  const names: Record<string, string> = {};
  const skips: Record<string, string> = {};
  const ours = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", prefix, "--name", "retis-bench"], { encoding: "utf8" });
  if (ours.status === 0) names.retis = "retis-bench";
  else skips.retis = `retis kernel install failed: ${ours.stderr.trim().split("\n")[0]}`;
  const peers = installPeers("kernels", log);
  if ("skip" in peers) {
    skips.tslab = skips.deno = peers.skip;
  } else {
    const spec = (name: string, json: object) => {
      mkdirSync(join(kernels, name), { recursive: true });
      writeFileSync(join(kernels, name, "kernel.json"), JSON.stringify(json, null, 1));
    };
    spec("tslab-bench", {
      argv: [process.execPath, join(peers.dir, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "tslab (bench)",
      language: "typescript",
    });
    names.tslab = "tslab-bench";
    // The argv `deno jupyter --install` writes; Deno's caches kept in the bench's folder.
    spec("deno-bench", {
      argv: [join(peers.dir, "node_modules", "@deno", "linux-x64-glibc", "deno"), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno (bench)",
      language: "typescript",
      env: { DENO_DIR: cacheDir("deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    names.deno = "deno-bench";
  }
  return { jupyterPath: join(prefix, "share", "jupyter"), names, skips };
}

/** Issue J's kernel rows: start → ready and a tiny typed cell, ours against tslab and Deno's kernel. */
function peerRows(options: BenchOptions): void {
  const rounds = options.quick ? 2 : 5;
  const check = existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", "import jupyter_client"], { encoding: "utf8" }) : undefined;
  if (check?.status !== 0) {
    console.log(`skipped: ${PYTHON} with jupyter_client is needed (apt-get install python3-jupyter-client)`);
    return;
  }
  const { jupyterPath, names, skips } = kernelspecs(console.log);
  const order = ["retis", "tslab", "deno"].filter((k) => names[k]);
  const runtime = mkdtempSync(join(tmpdir(), "retis-bench-jupyter-"));
  console.log(`jupyter_client, ${rounds} rounds of: start each kernel in turn, then ${PEER_CELLS} tiny typed cells (const xN: number = N + 1; xN * 2)`);
  const r = spawnSync(PYTHON, [join(repoRoot, "bench", "kernel-peers.py"), String(rounds), String(PEER_CELLS), ...order.map((k) => names[k]!)], {
    encoding: "utf8",
    env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: runtime, RETIS_FILE: testCapture(), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
    timeout: 1_200_000,
  });
  rmSync(runtime, { recursive: true, force: true });
  let results: Record<string, PeerResult> = {};
  try {
    results = JSON.parse(r.stdout) as Record<string, PeerResult>;
  } catch {
    const why = `harness failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-1)[0]}`;
    for (const k of order) skips[k] ??= why;
  }
  const of = (k: string): PeerResult | undefined => {
    const res = names[k] ? results[names[k]!] : undefined;
    if (res?.error) skips[k] = res.error;
    return res && !res.error && res.start.length > 0 ? res : undefined;
  };
  const ours = of("retis");
  const peers = { tslab: of("tslab"), deno: of("deno") };
  const rows: Row[] = [];
  const label = { retis: "retis", tslab: "tslab", deno: "Deno" } as Record<string, string>;
  const figure = (what: string, pick: (p: PeerResult) => number[], target: string, p95 = false) => {
    for (const k of ["retis", "tslab", "deno"]) {
      const res = k === "retis" ? ours : peers[k as "tslab" | "deno"];
      if (!res) {
        rows.push(skipped(`${what}: ${label[k]}`, skips[k] ?? "not run"));
        continue;
      }
      const xs = pick(res);
      const value = `${spread(xs, 1, " ms")}${p95 ? `, p95 ${q(xs, 0.95).toFixed(1)} ms` : ""}`;
      const row: Row = { what: `${what}: ${label[k]}`, value };
      if (k === "retis") {
        row.target = target;
        row.ratio = peers.deno ? `${(median(xs) / median(pick(peers.deno))).toFixed(2)}× Deno's` : `skipped: no Deno (${skips.deno ?? "?"})`;
        if (peers.tslab) row.note = `${(median(xs) / median(pick(peers.tslab))).toFixed(2)}× tslab's`;
      }
      rows.push(row);
    }
  };
  figure("start → kernel_info_reply", (p) => p.start, "≤ 0.5× Deno's");
  figure("start → first cell's reply", (p) => p.first, "");
  figure("tiny typed cell, request → reply", (p) => p.cells, "≤ 1.0× Deno's (ours type-checks, Deno does not)", true);
  printTable("kernel, median [min–max]; ratio = ours / peer's (lower is faster)", rows);
}

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

export default async function (options: BenchOptions = { quick: false }): Promise<void> {
  try {
    peerRows(options);
  } catch (err) {
    console.log(`kernel peers: skipped: ${reason(err)}`);
  }
  if (options.quick) [STARTS, CELLS, COMPLETES] = [3, 50, 50];
  console.log("\nour kernel alone, through our own client:");
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
