// The interactive `retis ts` shell in a real pseudo-terminal (tmux): completion, evaluation, multi-line input,
// interrupt and history, as a user types them.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { haveSamples, repoRoot, sample } from "../samples.js";

const cli = join(repoRoot, "dist/cli/main.js");
const session = `retis-ts-${process.pid}`;
let home: string;

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

function screen(): string {
  return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
}

/** Waits until the pane shows `pattern` (after `from` characters of it), or fails showing the pane. */
async function waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${pattern}; the screen was:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Prompts shown on the pane so far (lines starting with `ts> `). */
function prompts(): number {
  return screen().match(/^ts> /gm)?.length ?? 0;
}

/**
 * Waits until the pane shows more than `count` prompts: the line typed after counting has run. (Waiting for a
 * bare `ts> ` line could match the prompt already there, and the next line typed ahead under load.)
 */
async function waitForPrompt(count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (prompts() <= count) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for prompt ${count + 1}; the screen was:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function keys(...keys: string[]): void {
  tmux("send-keys", "-t", session, ...keys);
}

const haveTmux = spawnSync("tmux", ["-V"]).status === 0;

describe("retis ts shell", { skip: haveTmux ? false : "tmux is not installed" }, () => {
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "retis-ts-shell-"));
    const input = sample("retis/test_data/test_events_packets.json");
    const command = `env HOME=${home} XDG_STATE_HOME= ${process.execPath} ${cli} ts -i ${input}`;
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);
    await waitFor(/^ts> $/m);
    // Issue F: the banner names the capture really opened.
    assert.match(screen(), new RegExp(`^retis ts: TypeScript shell; \`reader\` is ${input.replace(/[.]/g, "\\.")}\\. help\\(\\) lists the globals`, "m"));
  });

  test("help() lists reader, the classes and the helpers, one line each", async () => {
    keys("help()", "Enter");
    const text = await waitFor(/^  help\(\)\s+this list$/m);
    assert.match(text, /^  reader\s+The capture being explored/m);
    for (const name of ["EventFile", "EventReader", "SeriesReader", "display", "argv", "require"]) assert.match(text, new RegExp(`^  ${name}\\s+\\S`, "m"));
  });
  after(() => {
    spawnSync("tmux", ["kill-session", "-t", session]);
    rmSync(home, { recursive: true, force: true });
  });

  test("Tab completes reader.'s members", async () => {
    keys("reader.", "Tab", "Tab");
    const text = await waitFor(/events\s+path\s+series\s+sorted\s+startup/);
    assert.match(text, /ts> reader\./);
    keys("C-u");
  });

  test("Tab completes a unique prefix in place", async () => {
    keys("reader.sor", "Tab");
    await waitFor(/ts> reader\.sorted$/m);
    keys("()", "Enter");
    await waitFor(/^false$/m);
  });

  test("a line is evaluated and its value printed; declarations persist", async (t) => {
    if (!haveSamples(t)) return;
    const shown = prompts();
    keys("const n = [...reader.events()].length", "Enter");
    await waitForPrompt(shown);
    keys("n * 2", "Enter");
    await waitFor(/^54$/m);
  });

  test("an incomplete line continues on the next one", async () => {
    keys("for (const x of [1, 2]) {", "Enter");
    await waitFor(/^\.\.\. $/m);
    keys("console.log(`x=${x * 21}`)", "Enter", "}", "Enter");
    await waitFor(/^x=42$/m);
  });

  test("errors are shown with the line's position; the shell goes on", async () => {
    keys("const bad: string = 1", "Enter");
    await waitFor(/In\[\d+\]:1:7 - error TS2322: Type 'number' is not assignable to type 'string'\./);
  });

  test("Ctrl+C interrupts a running line and keeps the state", async () => {
    keys("while (true) {}", "Enter");
    await new Promise((r) => setTimeout(r, 500));
    keys("C-c");
    await waitFor(/^Interrupted: Interrupted by the user$/m);
    // The one-line loop is where it stopped: line 1, column 1 (issue F).
    await waitFor(/^Interrupted: Interrupted by the user\n    at In\[\d+\]:1:1$/m);
    keys("n + 1", "Enter");
    await waitFor(/^28$/m);
  });

  test("Ctrl+D exits; the history is kept for the next run", async () => {
    keys("C-d");
    const file = join(home, ".local/state/retis/ts_history");
    const deadline = Date.now() + 10_000;
    while (spawnSync("tmux", ["has-session", "-t", session]).status === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(file), "no history file");
    const history = readFileSync(file, "utf8");
    assert.match(history, /^n \* 2$/m);
    assert.match(history, /^for \(const x of \[1, 2\]\) \{ console\.log\(`x=\$\{x \* 21\}`\) \}$/m);
    // A new shell recalls the last line with Up.
    tmux("new-session", "-d", "-s", session, "-c", home, "-x", "160", "-y", "50", `env HOME=${home} XDG_STATE_HOME= ${process.execPath} ${cli} ts`);
    await waitFor(/^ts> $/m);
    // No capture in that folder: the banner says so instead of naming a retis.data that does not exist.
    assert.match(screen(), /^retis ts: TypeScript shell; no capture opened \(`reader` is unset\): .*No input: neither retis\.data nor retis\.data\.0 exists here/m);
    keys("Up");
    await waitFor(/^ts> n \+ 1$/m);
  });
});
