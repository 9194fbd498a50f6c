// The engine's figures beside a baseline measured in the same run:
//  - start: a fresh process creating an engine, LanguageService warmed (target ≤ 1 s), against a fresh process
//    making a plain LanguageService over @types/node and answering one completion;
//  - a tiny cell compiled, type-checked and run (targets p50 ≤ 15 ms, p95 ≤ 40 ms), against transpileModule + vm
//    (no type check);
//  - completion while typing in the last cell of a 20-cell notebook (target p95 ≤ 20 ms), against a plain
//    LanguageService holding the notebook as one file, re-created state per keystroke as a naive host does.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { createEngine } from "../engine/index.js";
import type * as TS from "typescript";
import ts from "../engine/typescript.js";
import { nodeTypesEntry } from "../engine/paths.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function row(name: string, values: number[], baseline: number[], target: string): void {
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `${name.padEnd(34)} p50 ${f(percentile(values, 50)).padStart(10)}  p95 ${f(percentile(values, 95)).padStart(10)}   ` +
      `baseline p50 ${f(percentile(baseline, 50)).padStart(10)}  p95 ${f(percentile(baseline, 95)).padStart(10)}   target ${target}`,
  );
}

/** Milliseconds a fresh Node running the module `code` (from stdin) reports on stdout. */
function inFreshProcess(code: string): number {
  const out = spawnSync(process.execPath, ["--input-type=module"], { cwd: root, encoding: "utf8", input: code });
  if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
  return Number(out.stdout.trim().split("\n").pop());
}

const ENGINE_START = `
const t = performance.now();
const { createEngine } = await import("./dist/engine/index.js");
const engine = await createEngine({ input: null });
const ms = performance.now() - t;
await engine.close();
console.log(ms);`;

const PLAIN_SERVICE_START = `
const t = performance.now();
const { createRequire } = await import("node:module");
const ts = createRequire(import.meta.url + "/../package.json")("typescript");
const { nodeTypesEntry } = await import("./dist/engine/paths.js");
const text = "const x = [1, 2, 3]\\nx.";
const files = new Map([["/bench/cell.ts", text]]);
const roots = [nodeTypesEntry(), "/bench/cell.ts"];
const host = {
  getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, strict: true, types: [], lib: ["lib.es2022.d.ts"], skipLibCheck: true }),
  getScriptFileNames: () => roots,
  getScriptVersion: () => "1",
  getScriptSnapshot: (f) => { const t = files.get(f) ?? ts.sys.readFile(f); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
  getCurrentDirectory: () => "/bench",
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
  readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
};
const service = ts.createLanguageService(host);
service.getCompletionsAtPosition("/bench/cell.ts", text.length, {});
console.log(performance.now() - t);`;

async function startFigures(): Promise<void> {
  const runs = 3;
  // One untimed start first: it writes TypeScript's code cache (engine/typescript.ts), as a user's first run does.
  inFreshProcess(ENGINE_START);
  const engine: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < runs; i++) {
    engine.push(inFreshProcess(ENGINE_START));
    plain.push(inFreshProcess(PLAIN_SERVICE_START));
  }
  row(`engine start + warm-up (${runs} runs)`, engine, plain, "≤ 1000 ms");
}

async function cellFigures(): Promise<void> {
  const engine = await createEngine({ input: null });
  const times: number[] = [];
  try {
    for (let i = 0; i < 130; i++) {
      const t = performance.now();
      const out = await engine.execute(`const v${i % 7} = ${i} * 2\nv${i % 7} + 1`);
      if (out.status !== "ok") throw new Error(JSON.stringify(out));
      if (i >= 30) times.push(performance.now() - t);
    }
  } finally {
    await engine.close();
  }
  const baseline: number[] = [];
  for (let i = 0; i < 130; i++) {
    const t = performance.now();
    const js = ts.transpileModule(`const v = ${i} * 2\nv + 1`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } });
    vm.runInThisContext(`(function (exports) {${js.outputText}\n})`)({});
    if (i >= 30) baseline.push(performance.now() - t);
  }
  row("tiny cell: check + compile + run", times, baseline, "p50 ≤ 15 ms, p95 ≤ 40 ms");
  row("  the same after 1,000 cells", await cellsAfterLongSession(), baseline, "as above (no growth)");
}

/** A long notebook session: every cell declares a new name; the last 100 of 1,000 cells are timed. */
async function cellsAfterLongSession(): Promise<number[]> {
  const engine = await createEngine({ input: null });
  const times: number[] = [];
  try {
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      const out = await engine.execute(`const x${i} = ${i}\nx${i} + (${i} > 0 ? x${Math.max(0, i - 1)} : 0)`);
      if (out.status !== "ok") throw new Error(JSON.stringify(out));
      if (i >= 900) times.push(performance.now() - t);
    }
  } finally {
    await engine.close();
  }
  return times;
}

/** Twenty cells of the kind people write over a capture. */
function notebookCells(): string[] {
  const cells: string[] = [];
  for (let i = 0; i < 20; i++) {
    cells.push(
      [
        `const events${i} = [...reader.events()].slice(${i}, ${i + 10})`,
        `let drops${i} = 0`,
        `for (const e of events${i}) if (e.skb_drop) drops${i}++`,
        `function describe${i}(e: (typeof events${i})[number]) { return \`\${e.common.timestamp} \${e.kernel?.symbol ?? "?"}\` }`,
      ].join("\n"),
    );
  }
  return cells;
}

/** Passes over TYPED; the first of each is left out (cold), the others timed. */
const ROUNDS = 10;

/** What a user types in the last cell, one keystroke at a time; completion is asked after each. */
const TYPED = "for (const e of events3) e.skb_tracking?.tr";

async function completionFigures(): Promise<void> {
  const cells = notebookCells();
  const engine = await createEngine({ input: null, ambient: ["declare const reader: import('retis').EventFile;"] });
  const times: number[] = [];
  try {
    const base = cells.slice(0, -1).map((text, i) => ({ uri: `bench:nb#${i}`, text }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let n = 1; n <= TYPED.length; n++) {
        const text = TYPED.slice(0, n);
        engine.documents.setNotebook("bench:nb", [...base, { uri: "bench:nb#last", text }]);
        const t = performance.now();
        engine.completions("bench:nb#last", text.length);
        if (round > 0) times.push(performance.now() - t);
      }
    }
  } finally {
    await engine.close();
  }
  const baseline = plainServiceCompletions(cells);
  row("completion, 20-cell notebook", times, baseline, "p95 ≤ 20 ms");
}

/** The naive way: the notebook as one file, a new snapshot and version per keystroke, no project version. */
function plainServiceCompletions(cells: string[]): number[] {
  const prelude = `declare const reader: import(${JSON.stringify(join(root, "dist/typings/index.js"))}).EventFile;\n`;
  const head = prelude + cells.slice(0, -1).join("\n\n\n") + "\n\n\n";
  let text = head;
  let version = 0;
  const nodeTypes = nodeTypesEntry();
  const file = "/bench/notebook.ts";
  const host: TS.LanguageServiceHost = {
    getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleDetection: ts.ModuleDetectionKind.Force, strict: true, types: [], lib: ["lib.es2022.d.ts"], skipLibCheck: true }),
    getScriptFileNames: () => (nodeTypes ? [nodeTypes, file] : [file]),
    getScriptVersion: (f) => (f === file ? String(version) : "1"),
    getScriptSnapshot: (f) => {
      const t = f === file ? text : ts.sys.readFile(f);
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => "/bench",
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === file || ts.sys.fileExists(f),
    readFile: (f) => (f === file ? text : ts.sys.readFile(f)),
  };
  const service = ts.createLanguageService(host);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let n = 1; n <= TYPED.length; n++) {
      text = head + TYPED.slice(0, n);
      version++;
      const t = performance.now();
      service.getCompletionsAtPosition(file, text.length, {});
      if (round > 0) times.push(performance.now() - t);
    }
  }
  return times;
}

export default async function (): Promise<void> {
  console.log("(times in milliseconds; baselines measured in the same run)");
  await startFigures();
  await cellFigures();
  await completionFigures();
}
