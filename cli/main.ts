#!/usr/bin/env node
// The `retis` command: one module per subcommand under commands/, loaded on demand so that a quick
// `retis print` never pays for the TypeScript compiler or zeromq.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { reportAndExit } from "./errors.js";

/** Subcommands, in the order `retis --help` lists them. */
const COMMANDS: Record<string, string> = {
  collect: "capture packets with eBPF tracepoints into a Retis file (root)",
  inspect: "list what can be probed (-p 'tp:*')",
  print: "print the events of a capture as text",
  sort: "group events into series, one per packet",
  stats: "summarize a capture",
  ts: "run a TypeScript script with `reader` preloaded, or an interactive shell",
  kernel: "Jupyter kernel: `retis kernel install`",
  lsp: "language server: `retis lsp --stdio`",
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: retis <command> [options]",
    "",
    ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`),
    "",
    "retis <command> --help shows a command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (!(name in COMMANDS)) {
    console.error(`retis: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const modulePath = new URL(`./commands/${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(modulePath))) {
    console.error(`retis: the '${name}' command is not part of this build`);
    return 2;
  }
  const command = (await import(modulePath.href)) as { run(args: string[]): Promise<number> };
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => reportAndExit(err),
);
