// The language server as an editor feels it. First issue J's rows: ours against typescript-language-server 5
// (installed by the bench into its cache folder), both on this checkout's TypeScript, on the same 500-line
// script: cold start to the first right completion (ours with its code cache and with an empty one), typing a
// line a character at a time (incremental didChange, then a completion, per key), hover after an edit, a type
// error's diagnostic. Then our own figures: completion while typing and hover, hovers amid diagnostics checks,
// resident memory, each beside the engine's own calls without LSP, set up as the server sets it up (cold: in
// a fresh process; warm: in this process), so the protocol's overhead shows.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node.js";
import { createEngine } from "../engine/index.js";
import { positionAt, spawnServer, TestClient, type ServerProcess } from "../test/lsp/client.js";
import { repoRoot } from "../test/samples.js";
import { cacheDir, median, printTable, quantile, reason, skipped, spread, type BenchOptions, type Row } from "./measure.js";
import { installPeers } from "./peers.js";

const TARGET = { coldMs: 1000, completionP95: 20, hoverP95: 10, rssMB: 200 };
let COLD_RUNS = 3;
let KEYSTROKES = 120;
let HOVERS = 200;
const IDLE_MS = 5000;

/** A 500-line analysis script: Node imports, then 25 blocks of 20 lines reading sections, sorting and counting. */
function script(): string {
  const lines: string[] = [
    "// A long analysis script (bench).",
    'import { createHash } from "node:crypto";',
    'import { writeFileSync } from "node:fs";',
    'import { join } from "node:path";',
    "const counts = new Map<string, number>();",
  ];
  // Whole blocks only (a block cut short would leave the script with a syntax error), then comments up to 497.
  for (let b = 0; lines.length + 20 <= 497; b++) {
    lines.push(
      `function block${b}(limit: number): number {`,
      `  let seen = 0;`,
      `  for (const event of reader.events()) {`,
      `    if (seen++ > limit) break;`,
      `    const reason = event.skb_drop?.drop_reason ?? "none";`,
      `    counts.set(reason, (counts.get(reason) ?? 0) + 1);`,
      `    const id = event.skb_tracking?.trackingId();`,
      `    const dev = event.dev?.name;`,
      `    const ns = event.netns?.cookie;`,
      `    if (event.has("skb-drop") && id !== undefined) {`,
      `      console.log(id.toString(16), reason, dev, ns);`,
      `    }`,
      `    const kernel = event.kernel;`,
      `    if (kernel) console.log(kernel.symbol, kernel.probe_type);`,
      `    const text = event.toString();`,
      `    if (text.length > 1000) console.log(text.slice(0, 80));`,
      `  }`,
      `  return seen;`,
      `}`,
      ``,
    );
  }
  for (let i = 0; lines.length < 497; i++) lines.push(`// note ${i}: counts by drop reason, printed below`);
  lines.push(
    "for (const [reason, n] of counts) console.log(reason, n);",
    'writeFileSync(join(".", "counts.txt"), createHash("sha256").update(String(counts.size)).digest("hex"));',
    "",
  );
  return lines.join("\n");
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function line(what: string, value: string, baseline: string, target: string): void {
  console.log(`${what.padEnd(40)} ${value.padStart(10)}   baseline ${baseline.padStart(10)}   target ${target}`);
}

const COLD_TEXT = "for (const event of reader.events()) {\n  event.skb_tracking.\n}\n";
const COLD_AT = COLD_TEXT.indexOf("skb_tracking.") + "skb_tracking.".length;

/** Spawn → initialize → didOpen → first completion answered (ms), and the server's RSS then (MB). */
async function coldLsp(): Promise<{ ms: number; rssMB: number }> {
  const start = performance.now();
  const server = spawnServer();
  await server.client.initialize(pathToFileURL(repoRoot).href);
  const uri = pathToFileURL(join(repoRoot, "bench/cold.ts")).href;
  await server.client.open(uri, COLD_TEXT);
  const list = await server.client.completion(uri, positionAt(COLD_TEXT, COLD_AT));
  const ms = performance.now() - start;
  if (!list?.items.some((i) => i.label === "orig_head")) throw new Error("cold completion lacks orig_head");
  const rssMB = rssOf(server.process.pid!);
  await server.stop();
  return { ms, rssMB };
}

/** The same in a fresh Node process without LSP: import the engine, create it as the server does, one completion. */
async function coldEngine(): Promise<{ ms: number; rssMB: number }> {
  const engine = pathToFileURL(join(repoRoot, "dist/engine/index.js")).href;
  const code = `
    const { createEngine } = await import(${JSON.stringify(engine)});
    const e = await createEngine({ cwd: ${JSON.stringify(repoRoot)}, languageOnly: true });
    e.documents.set("file:///cold.ts", ${JSON.stringify(COLD_TEXT)});
    const found = e.completions("file:///cold.ts", ${COLD_AT});
    if (!found.items.some((i) => i.name === "orig_head")) throw new Error("no orig_head");
    process.stdout.write(String(process.memoryUsage().rss / 1048576));
    await e.close();`;
  const start = performance.now();
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", () => resolve(performance.now() - start));
    child.on("exit", (code) => (code !== 0 ? reject(new Error(`engine baseline exited with ${code}`)) : undefined));
  });
  await new Promise((resolve) => child.on("exit", resolve));
  return { ms, rssMB: Number(out) };
}

/** Typing `event.skb_tracking.` char by char inside the loop of block 12; a completion after each keystroke. */
function keystrokes(text: string): { texts: string[]; offsets: number[] } {
  const anchor = text.indexOf("const text = event.toString();", text.indexOf("function block12("));
  // Ends with the next line's indentation: typing it again continues on a fresh line.
  const typed = "event.skb_tracking.tim;\n    ";
  const texts: string[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    // Every edit is a one-character insertion at the cursor.
    const inserted = typed.repeat(Math.ceil((i + 1) / typed.length)).slice(0, i + 1);
    texts.push(text.slice(0, anchor) + inserted + text.slice(anchor));
    offsets.push(anchor + inserted.length);
  }
  return { texts, offsets };
}

async function warm(server: ServerProcess, text: string): Promise<{ completion: number[]; hover: number[]; text: string }> {
  const uri = pathToFileURL(join(repoRoot, "bench/long.ts")).href;
  const client = server.client;
  await client.open(uri, text);
  await client.completion(uri, positionAt(text, text.indexOf("event.skb_drop?.") + 7));
  const { texts, offsets } = keystrokes(text);
  const completion: number[] = [];
  let previous = text;
  for (let i = 0; i < texts.length; i++) {
    const next = texts[i]!;
    // The one-character insertion the editor sends, as a ranged incremental change.
    const at = offsets[i]! - 1;
    const pos = positionAt(previous, at);
    await client.change(uri, [{ range: { start: pos, end: pos }, text: next[at]! }]);
    const start = performance.now();
    const list = await client.completion(uri, positionAt(next, offsets[i]!));
    completion.push(performance.now() - start);
    if (!list) throw new Error("completion returned null");
    previous = next;
  }
  const hover: number[] = [];
  const targets = [...previous.matchAll(/drop_reason|trackingId|toString|symbol/g)].map((m) => m.index! + 2);
  for (let i = 0; i < HOVERS; i++) {
    const start = performance.now();
    const info = await client.hover(uri, positionAt(previous, targets[i % targets.length]!));
    hover.push(performance.now() - start);
    if (!info) throw new Error("hover returned null");
  }
  return { completion, hover, text: previous };
}

/**
 * Hovers that may land during a diagnostics check: after each one-space edit, a pause from 150 to 735 ms, then
 * a hover. The server checks after its quiet time (200 ms or more), so some hovers arrive before the check,
 * some while it runs, some after; the slowest shows how long a request waits behind a running check.
 */
async function duringChecks(server: ServerProcess, text: string): Promise<number[]> {
  const uri = pathToFileURL(join(repoRoot, "bench/long.ts")).href;
  const target = positionAt(text, text.indexOf("drop_reason") + 2);
  const times: number[] = [];
  let current = text;
  for (let i = 0; i < 40; i++) {
    const end = positionAt(current, current.length);
    await server.client.change(uri, [{ range: { start: end, end }, text: " " }]);
    current += " ";
    await new Promise((resolve) => setTimeout(resolve, 150 + i * 15));
    const start = performance.now();
    const info = await server.client.hover(uri, target);
    times.push(performance.now() - start);
    if (!info) throw new Error("hover returned null");
  }
  return times;
}

/** The same keystrokes and hovers straight on the engine, in this process; and full checks of the script. */
async function warmEngine(text: string): Promise<{ completion: number[]; hover: number[]; check: number[] }> {
  const engine = await createEngine({ cwd: repoRoot, languageOnly: true });
  try {
    const uri = "file:///bench/long-baseline.ts";
    engine.documents.set(uri, text);
    engine.completions(uri, text.indexOf("event.skb_drop?.") + 7);
    const { texts, offsets } = keystrokes(text);
    const completion: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const start = performance.now();
      engine.documents.set(uri, texts[i]!);
      engine.completions(uri, offsets[i]!);
      completion.push(performance.now() - start);
    }
    const last = texts[texts.length - 1]!;
    const targets = [...last.matchAll(/drop_reason|trackingId|toString|symbol/g)].map((m) => m.index! + 2);
    const hover: number[] = [];
    for (let i = 0; i < HOVERS; i++) {
      const start = performance.now();
      engine.quickInfo(uri, targets[i % targets.length]!);
      hover.push(performance.now() - start);
    }
    // One document's diagnostics are one synchronous engine call: a request read meanwhile waits that long.
    const check: number[] = [];
    for (let i = 0; i < 10; i++) {
      engine.documents.set(uri, `${last}${" ".repeat(i + 1)}`);
      const start = performance.now();
      engine.diagnostics(uri);
      check.push(performance.now() - start);
    }
    return { completion, hover, check };
  } finally {
    await engine.close();
  }
}

// ---- against typescript-language-server ----

const TSSERVER = join(repoRoot, "node_modules", "typescript", "lib", "tsserver.js");

interface Lsp {
  client: TestClient;
  child: ChildProcess;
  stop(): Promise<void>;
}

function spawnLsp(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Lsp {
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["pipe", "pipe", "ignore"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const client = new TestClient(createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)));
  return {
    client,
    child,
    async stop() {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      try {
        if (child.exitCode === null) {
          await client.shutdown();
          await client.connection.sendNotification("exit");
        }
      } catch {
        child.kill("SIGKILL");
      }
      await exited;
      clearTimeout(timer);
      client.connection.dispose();
    },
  };
}

/**
 * A folder both servers open: the script on disk, and for typescript-language-server the project it needs to
 * see what ours declares itself — `reader` (tsls-env/reader.d.ts, from the package's own types) and Node's
 * types, through a tsconfig. Both servers run this checkout's TypeScript.
 */
function project(text: string): string {
  const dir = cacheDir("lsp-project");
  const link = (target: string, at: string) => {
    mkdirSync(join(at, ".."), { recursive: true });
    let current: string | undefined;
    try {
      current = readlinkSync(at);
    } catch {
      current = undefined;
    }
    if (current === target) return;
    rmSync(at, { recursive: true, force: true });
    symlinkSync(target, at);
  };
  link(repoRoot, join(dir, "node_modules", "retis"));
  link(join(repoRoot, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
  mkdirSync(join(dir, "tsls-env"), { recursive: true });
  writeFileSync(join(dir, "tsls-env", "reader.d.ts"), 'import type { EventFile } from "retis";\ndeclare global {\n  const reader: EventFile;\n}\nexport {};\n');
  writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], noEmit: true, skipLibCheck: true }, include: ["long.ts", "tsls-env/*.d.ts"] }, null, 2),
  );
  writeFileSync(join(dir, "long.ts"), text);
  return dir;
}

type Server = "retis" | "tsls";

const positionText = (p: { line: number; character: number }) => `${p.line + 1}:${p.character + 1}`;

function serverArgv(kind: Server, tsls: string): string[] {
  return kind === "retis" ? [process.execPath, join(repoRoot, "dist", "cli", "main.js"), "lsp", "--stdio"] : [process.execPath, tsls, "--stdio"];
}

async function initialize(lsp: Lsp, kind: Server, dir: string): Promise<void> {
  const rootUri = pathToFileURL(dir).href;
  await lsp.client.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "bench" }],
    capabilities: {
      textDocument: {
        synchronization: { dynamicRegistration: false },
        completion: { completionItem: { snippetSupport: false } },
        hover: { contentFormat: ["markdown", "plaintext"] },
        publishDiagnostics: {},
      },
    },
    initializationOptions: kind === "tsls" ? { tsserver: { path: TSSERVER } } : undefined,
  });
  await lsp.client.connection.sendNotification("initialized", {});
}

/** Spawn → initialize → didOpen → the first completion that lists `orig_head` (asked again until it does). */
async function coldFirstCompletion(kind: Server, tsls: string, dir: string, text: string, env: NodeJS.ProcessEnv): Promise<number> {
  const uri = pathToFileURL(join(dir, "long.ts")).href;
  const at = positionAt(text, text.indexOf("event.skb_tracking?.") + "event.skb_tracking?.".length);
  const t0 = performance.now();
  const lsp = spawnLsp(serverArgv(kind, tsls), dir, env);
  try {
    await initialize(lsp, kind, dir);
    await lsp.client.open(uri, text);
    for (let i = 0; i < 200; i++) {
      const list = await lsp.client.completion(uri, at);
      if (list?.items.some((x) => x.label === "orig_head")) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${kind}: no completion listing orig_head`);
  } finally {
    await lsp.stop();
  }
}

interface Session {
  keystroke: number[];
  noEdit: number[];
  hoverAfterEdit: number[];
  diagnostic: number[];
  /** Diagnostics of the script as opened (both servers should find none). */
  initialErrors: string[];
}

/** One editing session on a running server: typing, completions without edits, hovers after edits, type errors. */
async function session(kind: Server, tsls: string, dir: string, text: string, rounds: { keys: number; hovers: number; errors: number }): Promise<Session> {
  const uri = pathToFileURL(join(dir, "long.ts")).href;
  const lsp = spawnLsp(serverArgv(kind, tsls), dir, process.env);
  try {
    const c = lsp.client;
    await initialize(lsp, kind, dir);
    await c.open(uri, text);
    const initial = await c.diagnosticsWhen(uri, () => true, "any");
    await c.completion(uri, positionAt(text, text.indexOf("event.skb_drop?.") + "event.skb_drop?.".length));
    const out: Session = { keystroke: [], noEdit: [], hoverAfterEdit: [], diagnostic: [], initialErrors: initial.map((d) => `${positionText(d.range.start)} ${String(d.message).split("\n")[0]}`) };
    // Typing: one-character ranged insertions, a completion after each.
    const { texts, offsets } = keystrokes(text);
    let current = text;
    for (let i = 0; i < Math.min(rounds.keys, texts.length); i++) {
      const next = texts[i]!;
      const at = offsets[i]! - 1;
      const pos = positionAt(current, at);
      const t0 = performance.now();
      await c.change(uri, [{ range: { start: pos, end: pos }, text: next[at]! }]);
      const list = await c.completion(uri, positionAt(next, offsets[i]!));
      out.keystroke.push(performance.now() - t0);
      if (!list) throw new Error(`${kind}: completion returned null`);
      current = next;
    }
    // A member completion (block 0, before the typed lines), asked again and again with no edit between.
    const cursor = positionAt(current, current.indexOf("event.skb_drop?.") + "event.skb_drop?.".length);
    for (let i = 0; i < rounds.hovers; i++) {
      const t0 = performance.now();
      await c.completion(uri, cursor);
      out.noEdit.push(performance.now() - t0);
    }
    // Hover after an edit: a space added at the end of the first line (a comment), then a hover on a field.
    const targets = [...current.matchAll(/drop_reason|trackingId|symbol/g)].map((m) => m.index! + 2);
    for (let i = 0; i < rounds.hovers; i++) {
      const end = positionAt(current, current.indexOf("\n"));
      await c.change(uri, [{ range: { start: end, end }, text: " " }]);
      current = current.replace("\n", " \n");
      const target = targets[i % targets.length]! + i + 1;
      const t0 = performance.now();
      const info = await c.hover(uri, positionAt(current, target));
      out.hoverAfterEdit.push(performance.now() - t0);
      if (!info) throw new Error(`${kind}: hover returned null`);
    }
    // A type error appended, until its diagnostic is published; then taken away again (not timed).
    const bad = "\nconst wrong: number = \"text\";\n";
    for (let i = 0; i < rounds.errors; i++) {
      const end = positionAt(current, current.length);
      const t0 = performance.now();
      await c.change(uri, [{ range: { start: end, end }, text: bad }]);
      await c.diagnosticsWhen(uri, (d) => d.some((x) => String(x.code) === "2322"), "TS2322 is reported");
      out.diagnostic.push(performance.now() - t0);
      const from = positionAt(current + bad, current.length);
      const to = positionAt(current + bad, current.length + bad.length);
      await c.change(uri, [{ range: { start: from, end: to }, text: "" }]);
      await c.diagnosticsWhen(uri, (d) => !d.some((x) => String(x.code) === "2322"), "TS2322 is gone");
    }
    return out;
  } finally {
    await lsp.stop();
  }
}

async function peerRows(options: BenchOptions): Promise<void> {
  const peers = installPeers("lsp");
  if ("skip" in peers) {
    console.log(`typescript-language-server: skipped: ${peers.skip}`);
    return;
  }
  if (!existsSync(TSSERVER)) {
    console.log(`typescript-language-server: skipped: no ${TSSERVER}`);
    return;
  }
  const tsls = join(peers.dir, "node_modules", "typescript-language-server", "lib", "cli.mjs");
  const text = script();
  const dir = project(text);
  const rounds = options.quick ? 2 : 4;
  const edits = options.quick ? { keys: 60, hovers: 40, errors: 3 } : { keys: 120, hovers: 100, errors: 8 };
  console.log(`typescript-language-server 5 (${tsls}) and ours, both on ${TSSERVER}; ${text.split("\n").length}-line script; ${rounds} rounds, interleaved`);

  const cold = { cached: [] as number[], empty: [] as number[], tsls: [] as number[] };
  const skips: Partial<Record<keyof typeof cold, string>> = {};
  const sessions: Record<Server, Session[]> = { retis: [], tsls: [] };
  const sessionSkip: Partial<Record<Server, string>> = {};
  for (let r = 0; r < rounds; r++) {
    const emptyCache = mkdtempSync(join(tmpdir(), "retis-bench-xdg-"));
    const runs: [keyof typeof cold, Server, NodeJS.ProcessEnv][] = [
      ["cached", "retis", process.env],
      ["empty", "retis", { ...process.env, XDG_CACHE_HOME: emptyCache }],
      ["tsls", "tsls", process.env],
    ];
    for (const [key, kind, env] of r % 2 ? runs.reverse() : runs) {
      if (skips[key]) continue;
      try {
        cold[key].push(await coldFirstCompletion(kind, tsls, dir, text, env));
      } catch (err) {
        skips[key] = reason(err);
      }
    }
    rmSync(emptyCache, { recursive: true, force: true });
    for (const kind of (r % 2 ? ["tsls", "retis"] : ["retis", "tsls"]) as Server[]) {
      if (sessionSkip[kind]) continue;
      try {
        sessions[kind].push(await session(kind, tsls, dir, text, edits));
      } catch (err) {
        sessionSkip[kind] = reason(err);
      }
    }
  }

  const rows: Row[] = [];
  const vs = (ours: number[], theirs: number[]) => (ours.length && theirs.length ? `${(median(ours) / median(theirs)).toFixed(2)}× tsls` : "");
  const add = (what: string, ours: number[] | string, theirs: number[] | string, pct = 0.5) => {
    const fig = (xs: number[]) => (pct === 0.5 ? spread(xs, 1, " ms") : `${quantile(xs, pct).toFixed(1)} ms`);
    if (typeof ours === "string") rows.push(skipped(`${what}: retis`, ours));
    else
      rows.push({
        what: `${what}: retis`,
        value: fig(ours),
        ratio: typeof theirs === "string" ? `skipped: ${theirs}` : `${(quantile(ours, pct) / quantile(theirs, pct)).toFixed(2)}× tsls`,
        target: "≤ 1.0× tsls",
      });
    rows.push(typeof theirs === "string" ? skipped(`${what}: tsls`, theirs) : { what: `${what}: tsls`, value: fig(theirs) });
  };
  const coldOf = (k: keyof typeof cold) => skips[k] ?? cold[k];
  add("cold start → first right completion (code cache)", coldOf("cached"), coldOf("tsls"));
  const emptyRow = coldOf("empty");
  if (typeof emptyRow === "string") rows.push(skipped("  … with an empty cache: retis", emptyRow));
  else rows.push({ what: "  … with an empty cache: retis", value: spread(emptyRow, 1, " ms"), ratio: vs(emptyRow, cold.tsls), target: "≤ 1.0× tsls" });
  const all = (kind: Server, pick: (s: Session) => number[]) => sessionSkip[kind] ?? sessions[kind].flatMap(pick);
  add("keystroke: didChange + completion, p50", all("retis", (s) => s.keystroke), all("tsls", (s) => s.keystroke));
  add("keystroke: didChange + completion, p95", all("retis", (s) => s.keystroke), all("tsls", (s) => s.keystroke), 0.95);
  add("member completion with no edit before it, p50", all("retis", (s) => s.noEdit), all("tsls", (s) => s.noEdit));
  add("hover after an edit, p50", all("retis", (s) => s.hoverAfterEdit), all("tsls", (s) => s.hoverAfterEdit));
  add("hover after an edit, p95", all("retis", (s) => s.hoverAfterEdit), all("tsls", (s) => s.hoverAfterEdit), 0.95);
  add("type error → its diagnostic published", all("retis", (s) => s.diagnostic), all("tsls", (s) => s.diagnostic));
  for (const kind of ["retis", "tsls"] as Server[]) {
    const errs = sessions[kind].map((s) => s.initialErrors).find((e) => e.length > 0);
    if (errs) rows.push({ what: `note: ${kind}`, value: `reported ${errs.length} diagnostics on the script as opened (expected none): ${errs.slice(0, 3).join("; ")}` });
  }
  printTable("language server, median [min–max] (p95 rows: the p95); ratio = ours / tsls (lower is faster)", rows);
}

export default async function (options: BenchOptions = { quick: false }): Promise<void> {
  try {
    await peerRows(options);
  } catch (err) {
    console.log(`typescript-language-server comparison: skipped: ${reason(err)}`);
  }
  if (options.quick) [COLD_RUNS, KEYSTROKES, HOVERS] = [2, 60, 60];
  console.log("\nour server alone, beside the engine's own calls:");
  const text = script();
  console.log(`script: ${text.split("\n").length} lines; ${KEYSTROKES} keystrokes each followed by a completion; ${HOVERS} hovers`);
  console.log("baseline: the engine's own calls without LSP (cold: fresh node process; warm: in this process)\n");

  // Cold starts alternate with their baselines so that a change of load on the machine hits both alike.
  const lsp: { ms: number; rssMB: number }[] = [];
  const base: { ms: number; rssMB: number }[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    lsp.push(await coldLsp());
    base.push(await coldEngine());
  }
  const best = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
  line(`cold start → first completion (best of ${COLD_RUNS})`, `${best(lsp).toFixed(0)} ms`, `${best(base).toFixed(0)} ms`, `≤ ${TARGET.coldMs} ms`);

  const server = spawnServer();
  await server.client.initialize(pathToFileURL(repoRoot).href);
  const viaLsp = await warm(server, text);
  const rss = rssOf(server.process.pid!);
  const amidChecks = await duringChecks(server, viaLsp.text);
  // V8 returns the garbage of 120 reparses only after a while: resident memory once the editor is idle.
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const rssIdle = rssOf(server.process.pid!);
  await server.stop();
  const direct = await warmEngine(text);

  const ms = (v: number) => `${v.toFixed(2)} ms`;
  line("completion after a keystroke, p50", ms(percentile(viaLsp.completion, 50)), ms(percentile(direct.completion, 50)), "");
  line("completion after a keystroke, p95", ms(percentile(viaLsp.completion, 95)), ms(percentile(direct.completion, 95)), `≤ ${TARGET.completionP95} ms`);
  line("hover, p50", ms(percentile(viaLsp.hover, 50)), ms(percentile(direct.hover, 50)), "");
  line("hover, p95", ms(percentile(viaLsp.hover, 95)), ms(percentile(direct.hover, 95)), `≤ ${TARGET.hoverP95} ms`);
  line("diagnostics of the script after an edit, p50", "", ms(percentile(direct.check, 50)), "(a request arriving during a check waits this long)");
  line("hover amid checks (40, 150–735 ms after an edit), p95", ms(percentile(amidChecks, 95)), ms(percentile(direct.check, 50)), "(baseline: a whole check)");
  line("  … slowest", ms(Math.max(...amidChecks)), ms(Math.max(...direct.check)), "");
  line("resident memory after first completion", `${Math.max(...lsp.map((x) => x.rssMB)).toFixed(0)} MB`, `${Math.max(...base.map((x) => x.rssMB)).toFixed(0)} MB`, "");
  line("resident memory after the warm runs", `${rss.toFixed(0)} MB`, "", `≤ ${TARGET.rssMB} MB`);
  line(`… then ${IDLE_MS / 1000} s idle`, `${rssIdle.toFixed(0)} MB`, "", `≤ ${TARGET.rssMB} MB`);
}
