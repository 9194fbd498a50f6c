// The interactive shell of `retis ts` (no SCRIPT): TypeScript lines run as cells of one engine, multi-line
// input while a cell is incomplete, tab completion from the engine's LanguageService, history kept in
// $XDG_STATE_HOME/retis/ts_history (~/.local/state/retis/ts_history), Ctrl+C interrupts a running cell,
// `help()` lists the globals (a line the shell answers itself: it is about the shell, not code to run).
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Engine } from "./api.js";
import { defaultLibrary } from "./paths.js";

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

/** Globals `help()` lists, with a line for those whose declaration has no doc comment. */
const HELP: [name: string, fallback: string][] = [
  ["reader", "the capture being explored (an EventFile)"],
  ["EventFile", "new EventFile(path): a capture; .events(), .series(), .sorted(), .startup() (Python EventFile)"],
  ["EventReader", "the events of an event file, one by one, sync or async (Python EventReader)"],
  ["SeriesReader", "the series of a sorted file (`retis sort`), one by one (Python SeriesReader)"],
  ["display", "show values (in a terminal, their text)"],
  ["argv", "a script's arguments"],
  ["require", "Node's require, from the current directory"],
];

/** `help()`: each global of the shell with the first sentence of its doc comment (what hover shows). */
export function helpText(engine: Engine): string {
  const lines = HELP.map(([name, fallback]) => {
    const doc = engine.quickInfo({ code: name }, 1)?.documentation.split("\n")[0]?.trim();
    return `  ${name.padEnd(13)} ${doc || fallback}`;
  });
  return ["Globals of this shell (Tab completes their members; `import` anything else):", ...lines, "  help()        this list"].join("\n");
}

/**
 * What `reader` will be, said before the first prompt: the capture's path as the events library finds it
 * (`-i FILE`, else retis.data or retis.data.0.. here), or why there is none.
 */
export async function captureLine(input: string | undefined, cwd = process.cwd()): Promise<string> {
  try {
    const { EventFile } = (await import(defaultLibrary)) as { EventFile: (new (path: string) => { path: string; sorted(): boolean }) & { defaultInput(cwd: string): string } };
    const file = new EventFile(input ?? EventFile.defaultInput(cwd));
    return `\`reader\` is ${file.path}${file.sorted() ? " (sorted: reader.series())" : ""}`;
  } catch (error) {
    return `no capture opened (\`reader\` is unset): ${(error as Error).message}`;
  }
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
    if (/^\s*help\(\)\s*;?\s*$/.test(code)) {
      console.log(helpText(engine));
    } else if (code.trim() !== "") {
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
