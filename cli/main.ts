#!/usr/bin/env node
// The `retis` command: one module per subcommand under commands/, loaded on demand so that a quick
// `retis print` never pays for the TypeScript compiler or zeromq. Options before the subcommand are
// Retis's global ones (`retis -p dropmon collect`); a profile's arguments are appended to the
// subcommand's, as Retis does.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { helpText, list, parseCommand, str, type CommandSpec } from "./args.js";
import { reportAndExit, UsageError } from "./errors.js";
import type { Globals } from "./globals.js";

/** Subcommands, in the order `retis --help` lists them. */
const COMMANDS: Record<string, string> = {
  collect: "Collect events (root)",
  print: "Print stored events to stdout",
  sort: "Sort stored events in series based on tracking id",
  pcap: "Generate a PCAP file from stored events",
  stats: "Print information about a retis capture",
  inspect: "Inspect the current machine (list what can be probed: -p 'tp:*')",
  profile: "Manage profiles (retis profile list)",
  ts: "Run a TypeScript script with `reader` preloaded, or an interactive shell",
  kernel: "Jupyter kernel: `retis kernel install`",
  lsp: "Language server: `retis lsp --stdio`",
};

/** Subcommands a profile can extend, as in Retis (`Profile::cli_args`). */
const PROFILED = new Set(["collect", "pcap"]);

const MAIN: CommandSpec = {
  name: "retis",
  about: "Trace packets on the Linux kernel\n\nretis is a tool for capturing networking-related events from the system using ebpf and analyzing them.",
  options: [
    { long: "log-level", takes: "required", valueName: "LOG_LEVEL", choices: ["error", "warn", "info", "debug", "trace"], default: "info", help: "Log level" },
    { long: "profile", short: "p", takes: "required", valueName: "PROFILE", delimiter: ",", multiple: true, help: "Comma separated list of profile names to apply" },
    { long: "kconf", takes: "required", valueName: "KCONF", help: "Path to kernel configuration (e.g. /boot/config-6.3.8-200.fc38.x86_64; default: auto-detect)" },
    { long: "version", short: "V", help: "Print version" },
  ],
  positionals: [{ name: "COMMAND", help: "The subcommand" }],
  trailing: "rest",
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    helpText({ ...MAIN, positionals: [], trailing: undefined }).replace("usage: retis [OPTIONS]", "usage: retis [OPTIONS] <COMMAND>"),
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
    "",
    "retis <COMMAND> --help shows a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(MAIN, argv);
  if (parsed.help) {
    console.log(usage());
    return 0;
  }
  if (parsed.values.version === true) {
    const { createRequire } = await import("node:module");
    const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
    console.log(`retis ${pkg.version}`);
    return 0;
  }
  const name = parsed.positionals.COMMAND;
  if (name === undefined) {
    console.error(usage());
    return 2;
  }
  if (name === "help") {
    console.log(usage());
    return 0;
  }
  if (!(name in COMMANDS)) throw new UsageError(`unrecognized subcommand '${name}' (see retis --help)`);
  const modulePath = new URL(`./commands/${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(modulePath))) {
    console.error(`retis: the '${name}' command is not part of this build`);
    return 2;
  }
  const globals: Globals = { profiles: list(parsed, "profile"), kconf: str(parsed, "kconf"), logLevel: str(parsed, "log-level") ?? "info" };
  let args = parsed.rest;
  if (globals.profiles.length > 0) {
    if (!PROFILED.has(name)) throw new UsageError(`Subcommand ${name} does not support profile enhancement`);
    const { findProfile, profileArgs } = await import("./profiles.js");
    for (const p of globals.profiles) args = [...args, ...profileArgs(findProfile(p), name)];
  }
  const command = (await import(modulePath.href)) as { run(args: string[], globals: Globals): Promise<number> };
  return command.run(args, globals);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => reportAndExit(err),
);
