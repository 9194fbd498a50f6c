// The engine end to end: real TypeScript, a real evaluation thread, Retis's sample captures.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { haveSamples, sample } from "../test/samples.js";
import { createEngine, type Engine, type ExecuteOutcome, type MimeBundle } from "./index.js";

const packets = sample("retis/test_data/test_events_packets.json");

/** A folder with an ESM-only package (typed), a CommonJS package (untyped) and a local CommonJS file. */
function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "retis-engine-"));
  const esm = join(dir, "node_modules/esm-only");
  mkdirSync(esm, { recursive: true });
  writeFileSync(join(esm, "package.json"), JSON.stringify({ name: "esm-only", type: "module", exports: { ".": { types: "./index.d.ts", import: "./index.js" } } }));
  writeFileSync(join(esm, "index.js"), "export const greet = (n) => `hello ${n}`;\nexport default 40;\n");
  writeFileSync(join(esm, "index.d.ts"), "export declare const greet: (n: string) => string;\ndeclare const answer: number;\nexport default answer;\n");
  const cjs = join(dir, "node_modules/cjs-only");
  mkdirSync(cjs, { recursive: true });
  writeFileSync(join(cjs, "package.json"), JSON.stringify({ name: "cjs-only", main: "main.js" }));
  writeFileSync(join(cjs, "main.js"), "const add = (a, b) => a + b;\nmodule.exports = { add, name: 'cjs' };\n");
  writeFileSync(join(dir, "local.cjs"), "module.exports = { twice: (x) => 2 * x };\n");
  writeFileSync(join(dir, "data.json"), '{ "answer": 42 }\n');
  return dir;
}

interface Captured {
  outcome: ExecuteOutcome;
  stdout: string;
  stderr: string;
  displays: MimeBundle[];
}

async function run(engine: Engine, code: string): Promise<Captured> {
  const captured = { stdout: "", stderr: "", displays: [] as MimeBundle[] };
  const outcome = await engine.execute(code, {
    onStdout: (t) => (captured.stdout += t),
    onStderr: (t) => (captured.stderr += t),
    onDisplay: (b) => captured.displays.push(b),
  });
  return { outcome, ...captured };
}

function result(c: Captured): unknown {
  assert.equal(c.outcome.status, "ok", JSON.stringify(c.outcome));
  return c.outcome.status === "ok" ? c.outcome.result?.["text/plain"] : undefined;
}

/** Runs each cell in turn and checks its result's text. */
async function expectResults(engine: Engine, cells: [code: string, text: string][]): Promise<void> {
  for (const [code, text] of cells) assert.equal(result(await run(engine, code)), text, code);
}

function error(c: Captured): Extract<ExecuteOutcome, { status: "error" }> {
  assert.equal(c.outcome.status, "error", `expected an error, got ${JSON.stringify(c.outcome)}`);
  return c.outcome as Extract<ExecuteOutcome, { status: "error" }>;
}

describe("cells", () => {
  let engine: Engine;
  let project: string;
  before(async () => {
    project = makeProject();
    engine = await createEngine({ cwd: project, input: packets });
  });
  after(async () => {
    await engine.close();
    rmSync(project, { recursive: true, force: true });
  });

  // A notebook outside this repository (no node_modules above it): the declarations kept for an executed cell
  // name Retis's types through "retis", which must resolve there too, or a later cell sees `any` (TS7006 in
  // notebook 01 under JupyterLab).
  test("an earlier cell's value keeps its Retis types in a folder with no node_modules", async (t) => {
    if (!haveSamples(t)) return;
    await run(engine, "const withPacket = [...reader.events()].find((x) => x.packet)!");
    const c = await run(engine, "const layers = withPacket.packet!.dissect().layers\nlayers.map((l) => l.layer)");
    assert.equal(c.outcome.status, "ok", JSON.stringify(c.outcome));
    const e = error(await run(engine, "const wrong: number = withPacket.packet!.dissect().layers"));
    assert.match(e.traceback[0]!, /TS2322: Type 'readonly PacketLayer\[\]' is not assignable to type 'number'/);
  });

  test("the last expression is the result; declarations carry to later cells", async () => {
    assert.equal(result(await run(engine, "let count = 40\ncount + 1")), "41");
    assert.equal(result(await run(engine, "count += 2\ncount")), "42");
    assert.equal(result(await run(engine, "function twice(n: number) { return 2 * n }\nclass Box { constructor(readonly v: number) {} }")), undefined);
    assert.equal(result(await run(engine, "twice(new Box(count).v)")), "84");
  });

  test("a later cell may redeclare const, let, function, class and import", async () => {
    await expectResults(engine, [
      ["const k = 1\nk", "1"],
      ["const k = 'one'\nk.toUpperCase()", "'ONE'"],
      ["class Box { constructor(readonly label: string) {} }\nnew Box('x').label", "'x'"],
      ["function twice(s: string) { return s + s }\ntwice('ab')", "'abab'"],
      ["import { join as k2 } from 'node:path'\nk2('a', 'b')", "'a/b'"],
      ["import { basename as k2 } from 'node:path'\nk2('/a/b')", "'b'"],
    ]);
  });

  test("earlier declarations keep their types: a const stays const, a let stays a number", async () => {
    await run(engine, "const fixed = 3\nlet counter = 0");
    const reassign = error(await run(engine, "fixed = 4"));
    assert.equal(reassign.ename, "TSError");
    assert.match(reassign.traceback[0]!, /^cell\d+:1:1 - error TS2588: Cannot assign to 'fixed' because it is a constant/);
    const wrongType = error(await run(engine, "counter = 'x'"));
    assert.match(wrongType.evalue, /Type 'string' is not assignable to type 'number'/);
    assert.equal(result(await run(engine, "counter++\ncounter")), "1");
  });

  // Regression (kernel notebook 03): a value from an earlier cell was `any` when the later cell used it before
  // the generated declaration, so callbacks on it failed with TS7006.
  test("an earlier cell's values keep their types in callbacks of a later cell", async () => {
    assert.equal(result(await run(engine, "const nums = [1, 2, 3]")), undefined);
    assert.equal(result(await run(engine, "nums.map((x, i) => x * i).join(',')")), "'0,2,6'");
    await run(engine, "const events = [...reader.events()]");
    assert.equal(result(await run(engine, "events.filter((e) => e.skb_drop !== undefined).length > 0")), "true");
    const misuse = error(await run(engine, "nums.forEach((x) => x.toUpperCase())"));
    assert.match(misuse.evalue, /Property 'toUpperCase' does not exist on type 'number'/);
  });

  test("type errors are reported before running, on the user's line and column", async () => {
    const c = await run(engine, "console.log('not printed')\nconst n: number = 1\nconst s: string = n\n");
    const e = error(c);
    assert.equal(c.stdout, "", "a cell with type errors must not run");
    assert.equal(e.ename, "TSError");
    assert.equal(e.diagnostics?.length, 1);
    assert.equal(e.diagnostics![0]!.line, 3);
    assert.equal(e.diagnostics![0]!.column, 7);
    assert.match(e.traceback[0]!, /^cell\d+:3:7 - error TS2322: Type 'number' is not assignable to type 'string'\.$/);
    // A notebook shows only the traceback: it quotes the line and marks the spot, as tsc --pretty does.
    assert.deepEqual(e.traceback.slice(1), ["3 | const s: string = n", "  |       ~"]);
  });

  test("runtime errors carry a stack on the user's lines, across cells", async () => {
    await run(engine, "// helpers\nfunction explode(what: string): never {\n  throw new RangeError(`bad ${what}`)\n}");
    const helperCell = `cell${engine.executionCount}`;
    const e = error(await run(engine, "const x = 1\n\nexplode('input')"));
    const userCell = `cell${engine.executionCount}`;
    assert.equal(e.ename, "RangeError");
    assert.equal(e.evalue, "bad input");
    assert.equal(e.traceback[0], "RangeError: bad input");
    assert.equal(e.traceback[1], `    at explode (${helperCell}:3:9)`);
    assert.equal(e.traceback[2], `    at ${userCell}:3:1`);
  });

  test("an exception thrown in a cell's callback is reported on stderr on the user's line (issue F)", async () => {
    // Same delay: Node runs the two timers in the order they were set, so the throw comes first.
    const c = await run(engine, "setTimeout(() => { throw new Error('late') }, 1)\nawait new Promise((r) => setTimeout(r, 1))");
    const cell = `cell${engine.executionCount}`;
    assert.equal(c.outcome.status, "ok");
    assert.match(c.stderr, new RegExp(`^Uncaught Error: late\\n    at .*\\(${cell.replace(/[[\]]/g, "\\$&")}:1:26\\)\\n$`));
  });

  test("top-level await, for await, and output before the result", async () => {
    const c = await run(engine, "console.log('before')\nconst v = await new Promise<number>((r) => setTimeout(() => r(7), 20))\nawait new Promise((r) => setTimeout(r, 5))\nv * 6");
    assert.equal(c.stdout, "before\n");
    assert.equal(result(c), "42");
    const first = await run(engine, "let first = ''\nfor await (const e of reader.events()) { first = e.common.timestamp.toString(); break }\nfirst.length > 0");
    assert.equal(result(first), "true");
  });

  test("ESM and CommonJS packages, Node built-ins and require, resolved from the engine's cwd", async () => {
    await expectResults(engine, [
      ["import answer, { greet } from 'esm-only'\ngreet('retis') + ' ' + (answer + 2)", "'hello retis 42'"],
      ["import { add } from 'cjs-only'\nimport cjs from 'cjs-only'\nadd(40, 2) + cjs.name", "'42cjs'"],
      ["const local = require('./local.cjs')\nlocal.twice(21)", "42"],
      ["import data from './data.json' with { type: 'json' }\ndata.answer", "42"],
      ["const { createHash } = await import('node:crypto')\ncreateHash('sha1').update('').digest('hex').slice(0, 8)", "'da39a3ee'"],
    ]);
  });

  test("display() sends MIME bundles; values with a Jupyter.display method format themselves", async () => {
    const c = await run(engine, "display({ a: 1 }, { [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>x</b>' } } })");
    assert.deepEqual(c.displays, [{ "text/plain": "{ a: 1 }" }, { "text/html": "<b>x</b>" }]);
  });

  test("reader is the capture given as input, typed", async (t) => {
    if (!haveSamples(t)) return;
    const c = await run(engine, "let kernels = 0\nfor (const e of reader.events()) if (e.kernel) kernels++\nkernels");
    assert.equal(result(c), "26");
    const typed = error(await run(engine, "reader.events().nope"));
    assert.match(typed.evalue, /Property 'nope' does not exist on type 'EventReader'/);
  });

  test("interrupt stops a busy loop; variables survive", async () => {
    await run(engine, "let spins = 0");
    const running = run(engine, "while (true) { spins++ }");
    await new Promise((r) => setTimeout(r, 300));
    engine.interrupt();
    const e = error(await running);
    assert.equal(e.ename, "Interrupted");
    assert.equal(result(await run(engine, "spins > 0 && count === 42")), "true");
  });

  test("interrupt stops a pending await; the engine keeps working", async () => {
    await run(engine, "let reached = 'before'");
    const running = run(engine, "reached = 'waiting'\nawait new Promise(() => {})\nreached = 'after'");
    await new Promise((r) => setTimeout(r, 200));
    engine.interrupt();
    assert.equal(error(await running).ename, "Interrupted");
    assert.equal(result(await run(engine, "reached")), "'waiting'");
  });

  test("interrupt stops a busy timer of an earlier cell that blocks the next one, which then runs", async () => {
    assert.equal(result(await run(engine, "setTimeout(() => { while (true) {} }, 50)\n'scheduled'")), "'scheduled'");
    await new Promise((r) => setTimeout(r, 200));
    const blocked = run(engine, "1 + 1");
    await new Promise((r) => setTimeout(r, 200));
    engine.interrupt();
    // The stuck timer is what stops; the waiting cell then runs.
    const unblocked = await blocked;
    assert.equal(result(unblocked), "2");
    assert.match(unblocked.stderr, /Uncaught Interrupted: Interrupted by the user/);
    assert.equal(result(await run(engine, "2 + 2")), "4");
  });

  test("interrupt stops a busy recursion inside a function", async () => {
    const running = run(engine, "function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2) }\nfib(60)");
    await new Promise((r) => setTimeout(r, 200));
    engine.interrupt();
    assert.equal(error(await running).ename, "Interrupted");
    assert.equal(result(await run(engine, "fib(10)")), "55");
  });
});

describe("options", () => {
  test("typeCheck: false runs code that does not type-check; syntax errors still stop it", async () => {
    const engine = await createEngine({ typeCheck: false, input: null, warmUp: false });
    try {
      assert.equal(result(await run(engine, "const s: string = 42 as any as number\ntypeof s")), "'number'");
      const e = error(await run(engine, "const = 1"));
      assert.equal(e.ename, "TSError");
      assert.match(e.traceback[0]!, /^cell\d+:1:7 - error TS1134/);
    } finally {
      await engine.close();
    }
  });

  test("ambient declarations, globals, global modules and a display module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retis-engine-"));
    writeFileSync(join(dir, "display.mjs"), "export default (v) => typeof v === 'number' ? { 'text/plain': `#${v}` } : undefined;\n");
    writeFileSync(join(dir, "helpers.mjs"), "export default (api) => ({ shout: (s) => { api.display(s.toUpperCase()); return s.length } });\n");
    const engine = await createEngine({
      cwd: dir,
      input: null,
      warmUp: false,
      ambient: ["declare const banner: string;", "declare function shout(s: string): number;"],
      globals: { banner: "hi" },
      globalModules: [join(dir, "helpers.mjs")],
      displayModule: join(dir, "display.mjs"),
    });
    try {
      const c = await run(engine, "shout(banner) + 40");
      assert.equal(result(c), "#42");
      assert.deepEqual(c.displays, [{ "text/plain": "'HI'" }]);
      assert.match(error(await run(engine, "reader")).evalue, /Cannot find name 'reader'/);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Issue I: the contract names what runs in the evaluation thread (a library module, an onInput callback),
  // no file under dist/ found by path and no channel found by name.
  test("the events library is a module named in the options; input() is answered by the execution's onInput", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retis-engine-"));
    writeFileSync(join(dir, "library.mjs"), "export class EventFile { constructor(path) { this.path = `opened ${path}` } }\n");
    writeFileSync(join(dir, "ask.mjs"), "export default (api) => ({ ask: (q) => api.input(q, { password: true }) });\n");
    const engine = await createEngine({
      cwd: dir,
      input: "capture.data",
      warmUp: false,
      typeCheck: false,
      library: join(dir, "library.mjs"),
      globalModules: [join(dir, "ask.mjs")],
    });
    try {
      assert.equal(result(await run(engine, "reader.path")), "'opened capture.data'");
      const asked: [string, boolean][] = [];
      const answered = await engine.execute("await ask('name?') + '!'", {
        onInput: async (prompt, { password }) => {
          asked.push([prompt, password]);
          return "bob";
        },
      });
      assert.deepEqual(answered, { status: "ok", result: { "text/plain": "'bob!'" } });
      assert.deepEqual(asked, [["name?", true]]);
      const refused = await engine.execute("await ask('again?')", { onInput: () => Promise.reject(new Error("no stdin here")) });
      assert.equal(refused.status === "error" && refused.evalue, "no stdin here");
      const none = await engine.execute("await ask('nobody?')");
      assert.equal(none.status === "error" && none.evalue, "input() is not available: nothing here answers input requests");
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a script: argv, no result, process.exit gives its code", async () => {
    const engine = await createEngine({ input: null, warmUp: false, argv: ["/x/s.ts", "-v", "two"] });
    try {
      const c = await engine.execute("argv.slice(1).join(',')", { mode: "script", fileName: "/x/s.ts" });
      assert.deepEqual(c, { status: "ok" });
      let out = "";
      const printed = await engine.execute("console.log(argv.join(' '))", { mode: "script", fileName: "/x/s.ts", onStdout: (t) => (out += t) });
      assert.equal(printed.status, "ok");
      assert.equal(out, "/x/s.ts -v two\n");
      const exit = await engine.execute("process.exit(3)", { mode: "script", fileName: "/x/s.ts" });
      assert.equal(exit.status === "error" && exit.exitCode, 3);
      // A notebook goes on: the next run starts a fresh evaluation thread and says so.
      let stderr = "";
      const after = await engine.execute("40 + 2", { onStderr: (t) => (stderr += t) });
      assert.deepEqual(after, { status: "ok", result: { "text/plain": "42" } });
      assert.match(stderr, /evaluation thread was restarted after process\.exit\(\)/);
    } finally {
      await engine.close();
    }
  });
});

describe("language-only engine", () => {
  test("declares reader and the typings, answers queries, starts no thread and runs nothing", async () => {
    const threadsBefore = process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    const engine = await createEngine({ input: packets, languageOnly: true, ambient: ["declare const banner: string;"] });
    try {
      // An evaluation thread would hold a MessagePort open on this one.
      assert.equal(process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length, threadsBefore);
      const code = "for (const e of reader.events()) e.skb_tracking?.";
      const names = engine.completions({ code }, code.length).items.map((i) => i.name);
      assert.ok(names.includes("orig_head"), names.join(", "));
      assert.deepEqual(engine.diagnostics({ code: "const n: number = banner.length + argv.length\ndisplay(n)" }), []);
      const outcome = await engine.execute("globalThis.ran = true");
      assert.equal(outcome.status, "error");
      assert.equal(outcome.status === "error" && outcome.ename, "LanguageOnly");
      assert.equal(engine.executionCount, 0);
      engine.interrupt(); // nothing runs: a no-op, as on any idle engine
    } finally {
      await engine.close();
    }
  });
});

describe("evaluation thread and the process's Node options", () => {
  test("a process started with V8 heap flags (refused by worker threads) still runs cells", async () => {
    const { spawnSync } = await import("node:child_process");
    const index = new URL("./index.js", import.meta.url).href;
    const code = `const { createEngine } = await import(${JSON.stringify(index)});
      const e = await createEngine({ input: null, warmUp: false });
      process.stdout.write(JSON.stringify(await e.execute("6 * 7")));
      await e.close();`;
    // `--input-type` (which the thread must not get) makes the engine give an explicit list, which Node checks.
    for (const flags of [["--max-old-space-size=512", "--input-type=module"], ["--max-semi-space-size=32", "--input-type=module", "--enable-source-maps"]]) {
      const run = spawnSync(process.execPath, [...flags, "-e", code], { encoding: "utf8" });
      assert.equal(run.status, 0, `${flags.join(" ")}: ${run.stderr}`);
      assert.deepEqual(JSON.parse(run.stdout), { status: "ok", result: { "text/plain": "42" } });
    }
  });
});
