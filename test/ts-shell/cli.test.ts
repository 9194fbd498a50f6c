// `retis ts` as a user runs it: a real process, scripts on disk, HOME in a temporary folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { haveSamples, repoRoot, sample } from "../samples.js";

const cli = join(repoRoot, "dist/cli/main.js");
const packets = sample("retis/test_data/test_events_packets.json");
const sorted = sample("retis-events/test_data/test_events_sorted.json");

let home: string;
let work: string;

function retisTs(args: string[], cwd = work): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [cli, "ts", ...args], {
    cwd,
    env: { ...process.env, HOME: home, XDG_STATE_HOME: "" },
    encoding: "utf8",
    timeout: 180_000,
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function script(name: string, code: string, dir = work): string {
  const path = join(dir, name);
  writeFileSync(path, code);
  return path;
}

describe("retis ts", () => {
  before(() => {
    home = mkdtempSync(join(tmpdir(), "retis-ts-home-"));
    work = mkdtempSync(join(tmpdir(), "retis-ts-work-"));
    script("argv.ts", "console.log(JSON.stringify(argv))\n");
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test("the kernel-symbols example prints one line per kernel event", (t) => {
    if (!haveSamples(t)) return;
    const out = retisTs(["-i", packets, join(repoRoot, "engine/examples/kernel-symbols.ts")]);
    assert.equal(out.stderr, "");
    assert.equal(out.code, 0);
    const lines = out.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 26);
    assert.equal(lines[0], "event from net:net_dev_start_xmit");
    assert.ok(lines.every((l) => /^event from \S+$/.test(l)), out.stdout);
  });

  test("a script names Retis's types as Retis.Event (the README's drops.ts), checked and run", () => {
    const bundled = join(repoRoot, "samples/retis.data");
    const path = script(
      "drops.ts",
      "function isDrop(e: Retis.Event): boolean {\n  return e.skb_drop !== undefined;\n}\n" +
        "const drops: Retis.SkbDropEvent[] = [];\nfor (const e of reader.events()) if (isDrop(e)) drops.push(e.skb_drop!);\n" +
        "console.log(drops.length);\n",
    );
    const out = retisTs(["-i", bundled, path]);
    assert.equal(out.stderr, "");
    assert.equal(out.code, 0);
    // The oracle: lines of the file that carry a skb-drop section.
    const expected = readFileSync(bundled, "utf8").split("\n").filter((l) => l.includes('"skb-drop":')).length;
    assert.ok(expected > 0);
    assert.equal(out.stdout, `${expected}\n`);
  });

  test("the count-series example counts the series of a sorted file", (t) => {
    if (!haveSamples(t)) return;
    const out = retisTs(["--input", sorted, join(repoRoot, "engine/examples/count-series.ts")]);
    assert.equal(out.stderr, "");
    assert.equal(out.stdout, "4 series, 5 events\n");
  });

  test("the nat-hops example prints where the DNAT rule of samples/rich.data rewrote packets", () => {
    const out = retisTs(["-i", join(repoRoot, "samples/rich.data"), join(repoRoot, "engine/examples/nat-hops.ts")]);
    assert.equal(out.stderr, "");
    assert.equal(out.code, 0);
    // The oracle: the rule in the script that made the capture (`ip daddr $VIP tcp dport 80 dnat to $SERVER:8080`).
    const maker = readFileSync(join(repoRoot, "samples/make-rich-capture.sh"), "utf8");
    const net = /^NET=(\S+);/m.exec(maker)![1]!;
    const [vip, server] = [/VIP=\$NET\.(\d+)/, /SERVER=\$NET\.(\d+)/].map((r) => `${net}.${r.exec(maker)![1]}`);
    const lines = out.stdout.trimEnd().split("\n");
    assert.ok(lines.length > 0 && lines.every((l) => l.endsWith(`: ip.daddr ${vip} → ${server}, l4.dport 80 → 8080`)), out.stdout);
  });

  test("reader defaults to retis.data in the current directory", (t) => {
    if (!haveSamples(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "retis-ts-data-"));
    try {
      copyFileSync(packets, join(dir, "retis.data"));
      const path = script("first.ts", "console.log(reader.startup().retis_version)\n", dir);
      const out = retisTs([path], dir);
      assert.equal(out.stderr, "");
      assert.equal(out.stdout, "v1.6.0\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("…else the split files retis.data.0.., and says so when there is no capture", (t) => {
    if (!haveSamples(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "retis-ts-data-"));
    try {
      const path = script("count.ts", "console.log([...reader.events()].length)\n", dir);
      const missing = retisTs([path], dir);
      assert.equal(missing.code, 1);
      // The message and the script's own line: no frames from inside the library.
      const lines = missing.stderr.trimEnd().split("\n");
      assert.match(lines[0]!, /^RetisFormatError: .*No input: neither retis\.data nor retis\.data\.0 exists here/);
      assert.deepEqual(lines.slice(1), [`    at ${path}:1:17`]);
      copyFileSync(packets, join(dir, "retis.data.0"));
      const out = retisTs([path], dir);
      assert.equal(out.stderr, "");
      assert.equal(out.stdout, "27\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("argv is [script, ...ARGS]; -- passes options through", () => {
    const path = join(work, "argv.ts");
    assert.deepEqual(JSON.parse(retisTs(["argv.ts", "one", "two"]).stdout), [path, "one", "two"]);
    assert.deepEqual(JSON.parse(retisTs(["--", "argv.ts", "-x", "--foo"]).stdout), [path, "-x", "--foo"]);
    assert.deepEqual(JSON.parse(retisTs(["argv.ts"]).stdout), [path]);
  });

  test("an unknown option before SCRIPT is a usage error", () => {
    const out = retisTs(["-x", "argv.ts"]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /^retis: unknown option '-x' \(use -- to pass options to the script\)/);
  });

  test("a script name is looked up in ~/.config/retis/ts, its extension replaced by .ts", () => {
    const folder = join(home, ".config/retis/ts");
    mkdirSync(folder, { recursive: true });
    const path = script("hello.ts", "console.log(`hello from ${argv[0]} ${argv.slice(1).join(' ')}`)\n", folder);
    assert.equal(retisTs(["hello", "a"]).stdout, `hello from ${path} a\n`);
    assert.equal(retisTs(["hello.py"]).stdout, `hello from ${path} \n`);
  });

  test("a missing script is reported by name", () => {
    const out = retisTs(["nothere"]);
    assert.equal(out.code, 1);
    assert.equal(out.stderr, "retis: TypeScript script named nothere not found\n");
  });

  test("type errors stop the script before it runs, with the script's line and column", () => {
    const path = script("typed.ts", "console.log('started')\nconst n: number = 1\nconst s: string = n\n");
    const out = retisTs([path]);
    assert.equal(out.code, 1);
    assert.equal(out.stdout, "");
    assert.equal(out.stderr, `${path}:3:7 - error TS2322: Type 'number' is not assignable to type 'string'.\n`);
  });

  test("--no-check runs it anyway", () => {
    const path = script("unchecked.ts", "const n: number = 'text' as unknown as number\nconsole.log(typeof n)\n");
    assert.equal(retisTs(["--no-check", path]).stdout, "string\n");
    const checked = script("unchecked2.ts", "const n: number = 'text'\nconsole.log(typeof n)\n");
    assert.equal(retisTs(["--no-check", checked]).stdout, "string\n");
    assert.equal(retisTs([checked]).code, 1);
  });

  test("runtime errors print a stack on the script's lines", () => {
    const path = script("throws.ts", "function fail(): never {\n  throw new Error('boom')\n}\nconsole.log('ran')\nfail()\n");
    const out = retisTs([path]);
    assert.equal(out.code, 1);
    assert.equal(out.stdout, "ran\n");
    assert.equal(out.stderr, `Error: boom\n    at fail (${path}:2:9)\n    at ${path}:5:1\n`);
  });

  test("an executable script's #! line is allowed", () => {
    const path = script("shebang.ts", "#!/usr/bin/env -S retis ts\nconst n: number = 2\nconsole.log(`shebang ${n}`)\nthrow new Error('line 4')\n");
    const out = retisTs([path]);
    assert.equal(out.stdout, "shebang 2\n");
    assert.equal(out.stderr, `Error: line 4\n    at ${path}:4:7\n`);
    assert.equal(retisTs(["--no-check", path]).stdout, "shebang 2\n");
  });

  test("process.exit sets the exit code", () => {
    const path = script("exits.ts", "console.log('bye')\nprocess.exit(4)\n");
    const out = retisTs([path]);
    assert.equal(out.code, 4);
    assert.equal(out.stdout, "bye\n");
  });

  // Issue F: `retis ts` runs scripts as Node runs them.
  test("the script runs until the event loop is empty: timers, promises, readline, for await over a reader", (t) => {
    if (!haveSamples(t)) return;
    const lines = script("lines.txt", "a\nb\nc\n");
    const path = script(
      "loop.ts",
      [
        "import { createReadStream } from 'node:fs'",
        "import { createInterface } from 'node:readline'",
        "setTimeout(() => console.log('timer'), 20)",
        "Promise.resolve().then(() => setImmediate(() => console.log('immediate')))",
        "void (async () => {",
        "  let n = 0",
        `  for await (const _ of createInterface({ input: createReadStream(${JSON.stringify(lines)}) })) n++`,
        "  console.log(`lines ${n}`)",
        "  let events = 0",
        "  for await (const _ of reader.events()) events++",
        "  console.log(`events ${events}`)",
        "})()",
        "console.log('top level done')",
      ].join("\n"),
    );
    const out = retisTs(["-i", packets, path]);
    assert.equal(out.stderr, "");
    assert.equal(out.code, 0);
    assert.deepEqual(out.stdout.trimEnd().split("\n").sort(), ["events 27", "immediate", "lines 3", "timer", "top level done"]);
  });

  test("an uncaught exception in a timer prints the error on the script's line and exits 1", () => {
    const path = script("timer-throws.ts", "const n: number = 1\nsetTimeout(() => { throw new Error(`late ${n}`) }, 1)\nsetTimeout(() => console.log('not reached'), 100)\n");
    const out = retisTs([path]);
    assert.equal(out.code, 1);
    assert.equal(out.stdout, "");
    const lines = out.stderr.trimEnd().split("\n");
    assert.equal(lines[0], "Error: late 1");
    assert.match(lines[1]!, new RegExp(`^    at .*\\(${path.replace(/[.]/g, "\\.")}:2:26\\)$`));
  });

  test("an unhandled rejection after an await prints the error on the script's line and exits 1", () => {
    const path = script("rejects.ts", "await null\nconsole.log('before')\nvoid Promise.reject(new TypeError('refused'))\n");
    const out = retisTs([path]);
    assert.equal(out.code, 1);
    assert.equal(out.stdout, "before\n");
    assert.equal(out.stderr, `TypeError: refused\n    at ${path}:3:21\n`);
  });

  test("a throw after an await names the script's line and column", () => {
    const path = script("await-throws.ts", "await new Promise((r) => setTimeout(r, 1))\nthrow new RangeError('after await')\n");
    const out = retisTs([path]);
    assert.equal(out.code, 1);
    assert.equal(out.stderr, `RangeError: after await\n    at ${path}:2:7\n`);
  });

  test("process.exitCode is the exit code, also when set in a callback", () => {
    const path = script("exit-code.ts", "setTimeout(() => { process.exitCode = 3; console.log('set') }, 1)\n");
    const out = retisTs([path]);
    assert.equal(out.stdout, "set\n");
    assert.equal(out.code, 3);
  });

  test("process.argv is [node, script, ...ARGS]: util.parseArgs works unchanged", () => {
    const path = script(
      "parse.ts",
      "import { parseArgs } from 'node:util'\nconst { values, positionals } = parseArgs({ options: { count: { type: 'string', short: 'n' } }, allowPositionals: true })\nconsole.log(JSON.stringify({ values, positionals, node: process.argv[0] === process.execPath, script: process.argv[1], argv }))\n",
    );
    const out = retisTs(["--", path, "-n", "5", "file.data"]);
    assert.equal(out.stderr, "");
    assert.deepEqual(JSON.parse(out.stdout), { values: { count: "5" }, positionals: ["file.data"], node: true, script: path, argv: [path, "-n", "5", "file.data"] });
  });

  test(".js, .mjs, .cts and .mts scripts run", (t) => {
    if (!haveSamples(t)) return;
    const dir = mkdtempSync(join(tmpdir(), "retis-ts-kinds-"));
    try {
      writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
      const kinds = {
        "k.js": "console.log('js', reader.sorted())\n",
        "k.mjs": "console.log('mjs', argv.length)\n",
        "k.cts": "const x: number = 2\nmodule.exports = { x }\nconsole.log('cts', typeof require, typeof __filename, module.exports.x)\n",
        "k.mts": "const m: string = 'mts'\nawait null\nconsole.log(m)\n",
      };
      for (const [name, code] of Object.entries(kinds)) {
        const out = retisTs(["-i", packets, script(name, code, dir)], dir);
        assert.equal(out.stderr, "", name);
        assert.equal(out.code, 0, name);
      }
      assert.equal(retisTs(["-i", packets, join(dir, "k.js")], dir).stdout, "js false\n");
      assert.equal(retisTs([join(dir, "k.mjs"), "a"], dir).stdout, "mjs 2\n");
      assert.equal(retisTs([join(dir, "k.cts")], dir).stdout, "cts function string 2\n");
      assert.equal(retisTs([join(dir, "k.mts")], dir).stdout, "mts\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("relative imports of the script's own .ts modules are checked and run, with their own lines in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "retis-ts-modules-"));
    try {
      mkdirSync(join(dir, "lib"));
      const util = script("util.ts", "export function twice(n: number): number {\n  return n * 2\n}\nexport function fail(): never {\n  throw new Error('in util')\n}\n", join(dir, "lib"));
      script("index.ts", "export { twice } from '../util.js'\n", join(dir, "lib"));
      const main = script("main.ts", "import { twice, fail } from './lib/util.js'\nimport { twice as t2 } from './lib/util'\nconsole.log(twice(21), t2(1))\nif (argv[1] === 'fail') fail()\n", dir);
      const ok = retisTs([main], dir);
      assert.equal(ok.stderr, "");
      assert.equal(ok.stdout, "42 2\n");
      const failed = retisTs([main, "fail"], dir);
      assert.equal(failed.code, 1);
      assert.equal(failed.stderr, `Error: in util\n    at fail (${util}:5:9)\n    at ${main}:4:25\n`);
      // A type error in the imported module stops the script before anything runs, naming that module.
      writeFileSync(util, "export function twice(n: number): number {\n  return `${n}`\n}\nexport function fail(): never {\n  throw new Error('in util')\n}\n");
      const bad = retisTs([main], dir);
      assert.equal(bad.code, 1);
      assert.equal(bad.stdout, "");
      assert.equal(bad.stderr, `${util}:2:3 - error TS2322: Type 'string' is not assignable to type 'number'.\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("installed as a package, without devDependencies (no @types/node), scripts still check and run", (t) => {
    if (!haveSamples(t)) return;
    // The layout npm gives a dependency: the package's files, and only its dependencies beside it.
    const project = mkdtempSync(join(tmpdir(), "retis-ts-installed-"));
    try {
      const pkg = join(project, "node_modules/retis");
      mkdirSync(pkg, { recursive: true });
      for (const entry of ["dist", "typings", "package.json"]) cpSync(join(repoRoot, entry), join(pkg, entry), { recursive: true });
      symlinkSync(join(repoRoot, "node_modules/typescript"), join(project, "node_modules/typescript"));
      const path = script("installed.ts", "import { join } from 'node:path'\nimport fs from 'fs'\nconst first = [...reader.events()][1]!\nconsole.log(join('a', 'b'), typeof fs.readFileSync, first.kernel?.symbol)\n", project);
      const out = spawnSync(process.execPath, [join(pkg, "dist/cli/main.js"), "ts", "-i", packets, path], { cwd: project, env: { ...process.env, HOME: home }, encoding: "utf8" });
      assert.equal(out.stderr, "");
      assert.equal(out.stdout, "a/b function net:net_dev_start_xmit\n");
      const bad = script("installed-bad.ts", "const s: string = 1\n", project);
      const failed = spawnSync(process.execPath, [join(pkg, "dist/cli/main.js"), "ts", bad], { cwd: project, env: { ...process.env, HOME: home }, encoding: "utf8" });
      assert.equal(failed.stderr, `${bad}:1:7 - error TS2322: Type 'number' is not assignable to type 'string'.\n`);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
