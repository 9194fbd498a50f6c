// `retis collect [options]`: runs the native collector (collector/, C + libbpf) as a child process. The
// collector writes the Retis file itself; with --print this side also renders each event as it arrives.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The package root: this file is dist/cli/commands/collect.js. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where `make -C collector` puts the binary; RETIS_COLLECTOR overrides it. */
export function collectorPath(): string {
  return process.env.RETIS_COLLECTOR ?? resolve(packageRoot, "collector/.output/retis-collector");
}

/** The collector binary, or a one-line error saying how to build it. */
export function requireCollector(): string {
  const path = collectorPath();
  if (!existsSync(path)) {
    throw new Error(`the native collector is not built (${path} is missing): run 'make -C collector' or ./install.sh`);
  }
  return path;
}

type Render = (line: string) => string;

/** Retis's multi-line text for one JSON line; the raw line if the events library cannot be loaded. */
async function renderer(): Promise<Render> {
  try {
    const events = await import("../../events/index.js");
    return (line) => {
      try {
        return `${String(events.eventFromLine(line))}\n`;
      } catch {
        return line;
      }
    };
  } catch {
    return (line) => line;
  }
}

export async function run(args: string[]): Promise<number> {
  const binary = requireCollector();
  const print = args.includes("--print");
  const childArgs = args.filter((a) => a !== "--print");
  // the startup event records the command as the user typed it
  childArgs.push("--cmdline", ["retis", "collect", ...args].join(" "));
  if (print) childArgs.push("--stdout-json");
  // should this process die, the collector still drains and closes the file
  childArgs.push("--die-with-parent");

  const child = spawn(binary, childArgs, { stdio: ["ignore", print ? "pipe" : "inherit", "inherit"] });
  // A terminal's Ctrl-C reaches the collector too; a kill aimed at us only is passed on. Either way we wait
  // for the collector to drain its ring buffer and close the file.
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);

  const printed = (async () => {
    if (!print || !child.stdout) return;
    const render = await renderer();
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (line.length === 0) continue;
      if (!process.stdout.write(`${render(line)}\n`)) {
        await new Promise((ok) => process.stdout.once("drain", ok));
      }
    }
  })();

  const code = await new Promise<number>((ok, fail) => {
    child.once("error", (err) => fail(new Error(`could not start the collector ${binary}: ${err.message}`)));
    child.once("close", (status, signal) => ok(status ?? (signal ? 128 + (signalNumber[signal] ?? 0) : 1)));
  });
  await printed;
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  return code;
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
