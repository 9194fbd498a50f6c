// The interactive shell of `retis ts` (no SCRIPT): TypeScript lines run as cells of one engine, multi-line
// input while a cell is incomplete, tab completion from the engine's LanguageService, history kept in
// $XDG_STATE_HOME/retis/ts_history (~/.local/state/retis/ts_history), Ctrl+C interrupts a running cell.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Engine } from "./api.js";

const HISTORY_SIZE = 1000;

export function historyFile(env = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME ?? homedir(), ".local/state");
  return join(state, "retis/ts_history");
}

function loadHistory(file: string): string[] {
  try {
    // readline wants the most recent entry first.
    return readFileSync(file, "utf8").split("\n").filter((l) => l !== "").slice(-HISTORY_SIZE).reverse();
  } catch {
    return []; // No history yet.
  }
}

function saveHistory(file: string, entry: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${entry.replace(/\n/g, " ")}\n`);
  } catch {
    // A read-only home must not break the shell; the history is a convenience.
  }
}

/** Completions for readline: the names that extend the identifier being typed at the end of `code`. */
export function completeLine(engine: Engine, code: string): [string[], string] {
  const found = engine.completions({ code }, code.length);
  const prefix = code.slice(found.start, code.length);
  const names = found.items.map((i) => i.name).filter((n) => n.startsWith(prefix) && /^[\p{ID_Start}$_][\p{ID_Continue}$]*$/u.test(n));
  return [[...new Set(names)].sort(), prefix];
}

export async function runShell(engine: Engine, banner: string): Promise<number> {
  const history = historyFile();
  let buffer = "";
  let busy = false;
  let lastInterrupt = 0;
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY && process.stdout.isTTY,
    history: loadHistory(history),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string) => completeLine(engine, buffer + line),
    prompt: "ts> ",
  });
  console.log(banner);

  rl.on("SIGINT", () => {
    if (busy) return engine.interrupt();
    if (buffer === "" && rl.line === "" && Date.now() - lastInterrupt < 2000) return rl.close();
    lastInterrupt = Date.now();
    buffer = "";
    process.stdout.write("\n(To exit, press Ctrl+C again or Ctrl+D)\n");
    rl.setPrompt("ts> ");
    rl.prompt();
  });

  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  rl.on("line", (line) => {
    lines.push(line);
    wake?.();
  });
  rl.on("close", () => {
    closed = true;
    wake?.();
  });

  rl.prompt();
  for (;;) {
    if (lines.length === 0) {
      if (closed) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      continue;
    }
    const line = lines.shift()!;
    buffer = buffer === "" ? line : `${buffer}\n${line}`;
    const state = engine.isComplete(buffer);
    if (state.status === "incomplete") {
      rl.setPrompt("... ");
      rl.prompt();
      continue;
    }
    const code = buffer;
    buffer = "";
    if (code.trim() !== "") {
      saveHistory(history, code);
      busy = true;
      const outcome = await engine.execute(code, {
        fileName: `In[${engine.executionCount + 1}]`,
        onStdout: (t) => process.stdout.write(t),
        onStderr: (t) => process.stderr.write(t),
      });
      busy = false;
      if (outcome.status === "ok") {
        if (outcome.result) console.log(String(outcome.result["text/plain"] ?? ""));
      } else {
        console.error(outcome.traceback.join("\n"));
        if (outcome.ename === "Exit") break;
      }
    }
    if (closed && lines.length === 0) break;
    rl.setPrompt("ts> ");
    rl.prompt();
  }
  rl.close();
  return 0;
}
