// `retis ts [-i INPUT] [--no-check] [SCRIPT] [ARGS...]`: run a TypeScript script with `reader` (an EventFile
// over INPUT) and `argv` preloaded, or an interactive shell. Retis's `retis python`, in TypeScript.
import { readFileSync } from "node:fs";
import { createEngine } from "../../engine/index.js";
import { findScript } from "../../engine/scripts.js";
import { runShell } from "../../engine/shell.js";
import { flag, parseCommand, str, type CommandSpec } from "../args.js";

const USAGE = `usage: retis ts [-i|--input FILE|FILE..] [--no-check] [SCRIPT] [ARGS...]

Runs SCRIPT (a path, or a name looked up as NAME.ts in ~/.config/retis/ts/ then /usr/share/retis/ts/) with
the globals \`reader\` (an EventFile over FILE; default retis.data, else retis.data.0..) and \`argv\`
(argv[0] the script's path, then ARGS). Without SCRIPT, starts an interactive TypeScript shell.
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
      return await runShell(engine, `retis ts: TypeScript with \`reader\` ready (${parsed.input ?? "retis.data"}). Tab completes; Ctrl+D exits.`);
    } finally {
      await engine.close();
    }
  }
  const path = findScript(parsed.script);
  const code = readFileSync(path, "utf8");
  const engine = await createEngine({ input: parsed.input, argv: [path, ...parsed.args], typeCheck: parsed.check, warmUp: false });
  try {
    const outcome = await engine.execute(code, {
      mode: "script",
      fileName: path,
      onStdout: (t) => process.stdout.write(t),
      onStderr: (t) => process.stderr.write(t),
    });
    if (outcome.status === "ok") return 0;
    if (outcome.exitCode !== undefined) return outcome.exitCode;
    console.error(outcome.traceback.join("\n"));
    return 1;
  } finally {
    await engine.close();
  }
}
