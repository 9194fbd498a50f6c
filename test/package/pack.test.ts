// The npm package as a user gets it: `npm pack`, install the tarball in another folder, import "retis".
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveSamples, repoRoot, sample } from "../samples.js";

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test("import { EventFile } from \"retis\" works after npm pack + install, with its types", (t) => {
  if (!haveSamples(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "retis-pack-"));
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", dir], repoRoot).trim().split("\n").pop()!;
  const app = join(dir, "app");
  run("mkdir", ["-p", app], dir);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(dir, tarball)], app);
  writeFileSync(
    join(app, "main.mjs"),
    `import { EventFile } from "retis";
const file = new EventFile(process.argv[2]);
let drops = 0;
for (const e of file.events()) if (e.skb_drop) drops++;
console.log(file.sorted(), drops);
`,
  );
  assert.equal(run(process.execPath, ["main.mjs", sample("retis/test_data/test_events_packets.json")], app).trim(), "false 2");
  // Types: a TypeScript user compiles against the package's declarations.
  writeFileSync(
    join(app, "check.ts"),
    `import { EventFile, type Event } from "retis";
const e: Event | undefined = [...new EventFile("x").events()][0];
const head: bigint | undefined = e?.skb_tracking?.orig_head;
export { head };
`,
  );
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, types: [] } }),
  );
  run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "."], app);
});
