import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { findScript, scriptFolders } from "./scripts.js";

let root: string;
let user: string;
let system: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "retis-scripts-"));
  user = join(root, "home/.config/retis/ts");
  system = join(root, "usr/share/retis/ts");
  mkdirSync(user, { recursive: true });
  mkdirSync(system, { recursive: true });
  writeFileSync(join(root, "local.ts"), "");
  writeFileSync(join(user, "drops.ts"), "");
  writeFileSync(join(user, "both.ts"), "");
  writeFileSync(join(system, "both.ts"), "");
  writeFileSync(join(system, "system.ts"), "");
});
after(() => rmSync(root, { recursive: true, force: true }));

test("the folders are the user's then the system's, from HOME", () => {
  assert.deepEqual(scriptFolders("/home/u"), ["/home/u/.config/retis/ts", "/usr/share/retis/ts"]);
});

test("an existing path wins, relative to the current directory", () => {
  assert.equal(findScript("local.ts", root, [user, system]), join(root, "local.ts"));
  assert.equal(findScript(join(root, "local.ts"), "/", [user, system]), join(root, "local.ts"));
});

test("a name is looked up with its extension replaced by .ts, user folder first", () => {
  assert.equal(findScript("drops", root, [user, system]), join(user, "drops.ts"));
  assert.equal(findScript("drops.py", root, [user, system]), join(user, "drops.ts"));
  assert.equal(findScript("both", root, [user, system]), join(user, "both.ts"));
  assert.equal(findScript("system", root, [user, system]), join(system, "system.ts"));
});

test("not found names the script", () => {
  assert.throws(() => findScript("nothere", root, [user, system]), { message: "TypeScript script named nothere not found" });
});
