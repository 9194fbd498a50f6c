// `retis ts [-i INPUT] [--no-check] [SCRIPT] [ARGS...]`: run a TypeScript script with `reader` (an EventFile
// over INPUT) and `argv` preloaded, or an interactive shell. Retis's `retis python`, in TypeScript.
import { createEngine, runScript } from "../../engine/index.js";
import { findScript } from "../../engine/scripts.js";
import { captureLine, runShell } from "../../engine/shell.js";
import { flag, parseCommand, str, type CommandSpec } from "../args.js";

const USAGE = `usage: retis ts [-i|--input FILE|FILE..] [--no-check] [SCRIPT] [ARGS...]

Runs SCRIPT (a path, or a name looked up as NAME.ts in ~/.config/retis/ts/ then /usr/share/retis/ts/) with
the globals \`reader\` (an EventFile over FILE; default retis.data, else retis.data.0..) and \`argv\`
(argv[0] the script's path, then ARGS). SCRIPT (.ts, .mts, .cts, .js, .mjs) runs as a Node module: checked
with the .ts modules it imports, then run until its event loop is empty; process.argv is [node, SCRIPT, ARGS...].
Without SCRIPT, starts an interactive TypeScript shell (help() lists its globals).
Use -- before SCRIPT to pass options to it: retis ts -- script.ts -x --foo.

  -i, --input FILE   the capture to read
  --no-check         run without type-checking
  -h, --help         this help`;

interface Parsed {
  input?: string;
  check: boolean;
  script?: string;
  args: string[];
  help: boolean;
}

export const spec: CommandSpec = {
  name: "retis ts",
  about: USAGE,
  options: [
    { long: "input", short: "i", takes: "required", valueName: "FILE", help: "the capture to read" },
    { long: "no-check", help: "run without type-checking" },
  ],
  positionals: [{ name: "SCRIPT", help: "the script" }],
  trailing: "rest",
  unknownHint: "use -- to pass options to the script",
};

export function parseArgs(args: string[]): Parsed {
  const p = parseCommand(spec, args);
  return { input: str(p, "input"), check: !flag(p, "no-check"), script: p.positionals.SCRIPT, args: p.rest, help: p.help };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  // `retis ts script | head` closes stdout early: that is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
  if (parsed.script === undefined) {
    const engine = await createEngine({ input: parsed.input, typeCheck: parsed.check });
    try {
      return await runShell(engine, `retis ts: TypeScript shell; ${await captureLine(parsed.input)}. help() lists the globals; Tab completes; Ctrl+D exits.`);
    } finally {
      await engine.close();
    }
  }
  // The script runs in this process as Node runs a module (engine/script-run.ts): the process lives until
  // its event loop is empty, with the exit code the script sets.
  return runScript(findScript(parsed.script), { input: parsed.input, args: parsed.args, typeCheck: parsed.check });
}
