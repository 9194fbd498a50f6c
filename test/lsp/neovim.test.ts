// A real editor: headless neovim 0.7 drives `retis lsp --stdio` through its own LSP client (neovim.lua) and
// must get the same completions, resolve, hover and diagnostics as the JSON-RPC tests.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after as afterAll, before, describe, test, type TestContext } from "node:test";
import { repoRoot } from "../samples.js";
import { after, WAIT_MS } from "./client.js";

const SCRIPT = `for (const event of reader.events()) {
  const reason = event.skb_drop?.drop_reason;
  console.log(reason, event.skb_trakcing);
  event.skb_tracking.
}
`;

/** True when nvim runs. Otherwise skipped loudly, or a failure under CI=true (a green CI run used a real editor). */
function haveNeovim(t: TestContext): boolean {
  const probe = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return true;
  const why = "nvim not found: apt-get install -y neovim (install.sh lists it)";
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}

interface NeovimResult {
  completions: string[][];
  resolved?: { detail?: string; documentation?: string };
  hover?: string;
  /** The line of the resolved item after neovim applied its edit. */
  applied?: string;
  diagnostics: { message: string; lnum: number; col: number }[];
  error?: string;
}

describe("neovim as the client", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "retis-lsp-nvim-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("completes sections and skb_tracking members, resolves, hovers and shows the typo", async (t) => {
    if (!haveNeovim(t)) return;
    const file = join(dir, "drops.ts");
    const out = join(dir, "result.json");
    writeFileSync(file, SCRIPT);
    const request = {
      file,
      root: dir,
      cmd: [process.execPath, join(repoRoot, "dist/cli/main.js"), "lsp", "--stdio"],
      completions: [after(SCRIPT, "event.", "first"), after(SCRIPT, "skb_tracking.")],
      resolve: "orig_head",
      hover: after(SCRIPT, "drop_r"),
      timeout_ms: WAIT_MS,
    };
    const nvim = spawn("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-c", `luafile ${join(repoRoot, "test/lsp/neovim.lua")}`], {
      cwd: dir,
      env: { ...process.env, RETIS_LSP_REQUEST: JSON.stringify(request), RETIS_LSP_OUT: out },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    nvim.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // Bounded: neovim itself waits at most WAIT_MS per step; past twice that, it is stuck.
    const timer = setTimeout(() => nvim.kill("SIGKILL"), 2 * WAIT_MS + 10_000);
    const code = await new Promise<number | null>((resolve) => nvim.on("exit", (c) => resolve(c)));
    clearTimeout(timer);
    const result = JSON.parse(readFileSync(out, "utf8")) as NeovimResult;
    assert.equal(result.error, undefined, `neovim script failed: ${result.error}\n${stderr}`);
    assert.equal(code, 0, stderr);

    const [sections, tracking] = result.completions;
    for (const s of ["common", "kernel", "skb_tracking", "skb_drop", "skb", "packet", "ct", "ovs", "dev", "netns"]) assert.ok(sections!.includes(s), `${s} missing from ${sections!.join(", ")}`);
    for (const m of ["orig_head", "timestamp", "skb", "trackingId", "match", "strictMatch"]) assert.ok(tracking!.includes(m), `${m} missing from ${tracking!.join(", ")}`);
    assert.match(result.resolved?.detail ?? "", /orig_head: bigint/);
    assert.match(result.resolved?.documentation ?? "", /skb->head/);
    assert.match(result.hover ?? "", /drop_reason: string/);
    assert.match(result.hover ?? "", /enum skb_drop_reason/);
    // Accepting `orig_head` after `event.skb_tracking.` (optional) gives an optional chain, not `.?.`.
    assert.equal(result.applied, "  event.skb_tracking?.orig_head");
    const typo = result.diagnostics.find((d) => /skb_trakcing/.test(d.message));
    assert.ok(typo, JSON.stringify(result.diagnostics));
    assert.match(typo.message, /Did you mean 'skb_tracking'\?/);
    assert.deepEqual([typo.lnum, typo.col], [2, "  console.log(reason, event.".length]);
  });
});
