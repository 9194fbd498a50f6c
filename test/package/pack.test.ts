// The npm package as a user gets it: `npm pack`, install the tarball in another folder, import "retis".
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveSamples, repoRoot, sample, samplesDir } from "../samples.js";

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
const PACKETS = "retis/test_data/test_events_packets.json";
const SORTED = "retis-events/test_data/test_events_sorted.json";

describe("the packed package", () => {
  let app = "";
  before(() => {
    if (!existsSync(samplesDir)) return;
    const dir = mkdtempSync(join(tmpdir(), "retis-pack-"));
    const tarball = run("npm", ["pack", "--silent", "--pack-destination", dir], repoRoot).trim().split("\n").pop()!;
    app = join(dir, "app");
    run("mkdir", ["-p", app], dir);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(dir, tarball)], app);
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", types: [], outDir: "out" } }),
    );
  });

  test("import { EventFile } from \"retis\" works after npm pack + install, with its types", (t) => {
    if (!haveSamples(t)) return;
    writeFileSync(
      join(app, "main.mjs"),
      `import { EventFile } from "retis";
const file = new EventFile(process.argv[2]);
let drops = 0;
for (const e of file.events()) if (e.skb_drop) drops++;
console.log(file.sorted(), drops);
`,
    );
    assert.equal(run(process.execPath, ["main.mjs", sample(PACKETS)], app).trim(), "false 2");
    // Types: a TypeScript user compiles against the package's declarations.
    writeFileSync(
      join(app, "check.ts"),
      `import { EventFile, type Event } from "retis";
const e: Event | undefined = [...new EventFile("x").events()][0];
const head: bigint | undefined = e?.skb_tracking?.orig_head;
export { head };
`,
    );
    run(process.execPath, [tsc, "-p", ".", "--noEmit"], app);
  });

  // Issue F: every class built from a path, as in Retis's Python library, checked by tsc --strict and run.
  test("every class from a path, typed and run from another folder: EventFile, EventReader, SeriesReader, Event, EventSeries", (t) => {
    if (!haveSamples(t)) return;
    writeFileSync(
      join(app, "classes.ts"),
      `import { Event, EventFile, EventReader, EventSeries, RetisUsageError, SeriesReader, type SkbDropEvent } from "retis";
declare const process: { argv: string[] };
const [packets, sorted] = process.argv.slice(2) as [string, string];
const out: string[] = [];
const file: EventFile = new EventFile(packets);
const fromFile: EventReader = file.events();
const reader: EventReader = new EventReader(packets);
const rotated: EventReader = EventReader.withRotation(packets);
const series: SeriesReader = new SeriesReader(sorted);
// Python's next(events): the startup event, then the loop goes on from the second event.
const first = reader.next();
out.push(\`first startup \${!first.done && first.value.startup !== undefined}\`);
let rest = 0;
for (const e of reader) if (e instanceof Event) rest++;
out.push(\`rest \${rest} \${[...fromFile].length} \${[...rotated].length}\`);
const drops: SkbDropEvent[] = [];
for await (const e of new EventReader(packets)) if ("skb_drop" in e && e.skb_drop) drops.push(e.skb_drop);
out.push(\`drops \${drops.length}\`);
let events = 0;
for (const s of series) events += s.length;
const again: EventSeries[] = [];
for await (const s of new SeriesReader(sorted)) again.push(s);
out.push(\`series \${events} \${again.length} \${EventSeries.fromEvents(again[0]!).length}\`);
const e = new EventReader(packets).next().value!;
out.push(\`json \${typeof JSON.parse(JSON.stringify(e)).common.timestamp} \${Object.keys(e).join(",")}\`);
try {
  new SeriesReader(packets);
} catch (err) {
  out.push(\`usage \${err instanceof RetisUsageError} \${(err as Error).message}\`);
}
console.log(out.join("\\n"));
`,
    );
    writeFileSync(join(app, "bad.ts"), `import { EventReader } from "retis";\nnew EventReader({ path: "x" });\n`);
    const bad = spawnSync(process.execPath, [tsc, "-p", ".", "--noEmit"], { cwd: app, encoding: "utf8" });
    assert.match(bad.stdout, /bad\.ts\(2,17\): error TS2353|bad\.ts\(2,17\): error TS2345/, "a non-string path is a type error");
    run("rm", ["bad.ts"], app);
    run(process.execPath, [tsc, "-p", "."], app);
    const lines = readFileSync(sample(PACKETS), "utf8").trim().split("\n");
    const dropLines = lines.filter((l) => /"skb-drop":\{/.test(l)).length;
    const sortedLines = readFileSync(sample(SORTED), "utf8").trim().split("\n");
    const sortedEvents = sortedLines.reduce((n, l) => n + (l.match(/"common":/g) ?? []).length, 0);
    assert.deepEqual(run(process.execPath, [join("out", "classes.js"), sample(PACKETS), sample(SORTED)], app).trim().split("\n"), [
      "first startup true",
      `rest ${lines.length - 1} ${lines.length} ${lines.length}`,
      `drops ${dropLines}`,
      `series ${sortedEvents} ${sortedLines.length} 1`,
      "json string common,startup",
      "usage true Cannot create a SeriesReader from an unsorted file. Use an EventReader instead",
    ]);
  });
});

// The README's library example, as a user copies it: type-checked with tsc --strict against the installed
// package and run on Retis's samples.
describe("the README's library example", () => {
  test("compiles with tsc --strict and runs from another folder", (t) => {
    if (!haveSamples(t)) return;
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The library"));
    const code = /```ts\n([^]*?)```/.exec(section)?.[1];
    assert.ok(code, "README's library section has a ts example");
    const dir = mkdtempSync(join(tmpdir(), "retis-readme-"));
    const tarball = run("npm", ["pack", "--silent", "--pack-destination", dir], repoRoot).trim().split("\n").pop()!;
    run("npm", ["init", "-y"], dir);
    run("npm", ["pkg", "set", "type=module"], dir);
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(dir, tarball)], dir);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", types: ["node"], outDir: "out" } }));
    writeFileSync(join(dir, "example.ts"), `${code}export {};\n`);
    run(process.execPath, [tsc, "-p", "."], dir);
    // The example's own file names, as a user has them beside the script.
    copyFileSync(sample(PACKETS), join(dir, "retis.data"));
    copyFileSync(sample(SORTED), join(dir, "sorted.data"));
    const printed = run(process.execPath, [join("out", "example.js")], dir);
    const drops = readFileSync(sample(PACKETS), "utf8").split("\n").filter((l) => /"skb-drop":\{/.test(l)).length;
    assert.ok(printed.includes("drop (reason"), printed);
    assert.equal((printed.match(/drop \(reason /g) ?? []).length, drops);
  });
});
