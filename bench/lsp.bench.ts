// The language server as an editor feels it: cold start to first completion, completion while typing and hover
// on a 500-line script, hovers amid diagnostics checks, resident memory. Each figure sits beside a baseline from
// the same run: the engine's own calls without LSP, set up as the server sets it up (cold: in a fresh process;
// warm: in this process), so the protocol's overhead shows.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createEngine } from "../engine/index.js";
import { positionAt, spawnServer, type ServerProcess } from "../test/lsp/client.js";
import { repoRoot } from "../test/samples.js";

const TARGET = { coldMs: 1000, completionP95: 20, hoverP95: 10, rssMB: 200 };
const COLD_RUNS = 3;
const KEYSTROKES = 120;
const HOVERS = 200;
const IDLE_MS = 5000;

/** A 500-line analysis script: 25 blocks of 20 lines reading sections, sorting and counting. */
function script(): string {
  const lines: string[] = ["// A long analysis script (bench).", "const counts = new Map<string, number>();"];
  for (let b = 0; lines.length < 498; b++) {
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
  lines.length = 498;
  lines.push("for (const [reason, n] of counts) console.log(reason, n);", "");
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

export default async function (): Promise<void> {
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
