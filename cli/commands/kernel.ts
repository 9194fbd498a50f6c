// `retis kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]`
// `retis kernel run -f CONNECTION_FILE` (what the kernelspec's argv runs)
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { helpText, parseCommand, parseOrHelp, str, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";
import { DEFAULT_DISPLAY_NAME, DEFAULT_NAME, installKernelSpec, jupyterSysPrefix, kernelSpec, kernelsDir, type Scope } from "../../kernel/install/kernelspec.js";
import { installJupyterServerSpec, userConfigDir } from "../../lsp/jupyter-server-spec.js";

export const spec: CommandSpec = {
  name: "retis kernel",
  about: `The Jupyter kernel.

install  write the Jupyter kernelspec (default --user: ~/.local/share/jupyter/kernels/${DEFAULT_NAME})
run      start the kernel on a connection file (Jupyter does this)`,
  options: [],
  positionals: [{ name: "SUBCOMMAND", help: "install or run" }],
  trailing: "rest",
};

const installSpec: CommandSpec = {
  name: "retis kernel install",
  about: "Write the Jupyter kernelspec and the jupyterlab-lsp server spec.",
  options: [
    { long: "user", help: "Install for the current user (the default)" },
    { long: "sys-prefix", help: "Install in Jupyter's sys.prefix" },
    { long: "prefix", takes: "required", valueName: "DIR", help: "Install under DIR" },
    { long: "name", takes: "required", valueName: "NAME", default: DEFAULT_NAME, help: "Kernelspec name" },
    { long: "display-name", takes: "required", valueName: "TEXT", default: DEFAULT_DISPLAY_NAME, help: "Name shown by Jupyter" },
  ],
};

const runSpec: CommandSpec = {
  name: "retis kernel run",
  about: "Start the kernel on a connection file (what the kernelspec's argv runs).",
  options: [{ long: "connection-file", short: "f", takes: "required", valueName: "CONNECTION_FILE", help: "The connection file Jupyter wrote" }],
  positionals: [{ name: "CONNECTION_FILE", help: "The connection file, when not given with -f" }],
};

function install(args: string[]): number {
  const p = parseOrHelp(installSpec, args);
  if (!p) return 0;
  const scopes = ["user", "sys-prefix", "prefix"].filter((s) => p.given.has(s));
  if (scopes.length > 1) throw new UsageError(`--${scopes[0]} and --${scopes[1]} cannot be used together`);
  const prefix = str(p, "prefix");
  const scope: Scope = prefix !== undefined ? { kind: "prefix", dir: prefix } : p.given.has("sys-prefix") ? { kind: "sys-prefix" } : { kind: "user" };
  const name = str(p, "name")!;
  const displayName = str(p, "display-name")!;
  const cli = fileURLToPath(new URL("../main.js", import.meta.url));
  const dir = installKernelSpec(kernelsDir(scope), name, kernelSpec(process.execPath, cli, displayName));
  console.log(`Installed kernelspec ${name} in ${dir}`);
  // jupyterlab-lsp finds language servers in the Jupyter *config* path of the same scope.
  const config = scope.kind === "user" ? userConfigDir() : join(scope.kind === "prefix" ? scope.dir : jupyterSysPrefix(), "etc", "jupyter");
  console.log(`Installed the jupyterlab-lsp server spec in ${installJupyterServerSpec(config, process.execPath, cli)}`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const top = parseCommand(spec, args);
  const sub = top.positionals.SUBCOMMAND;
  if (top.help || sub === "help") {
    console.log(helpText(spec));
    return 0;
  }
  switch (sub) {
    case "install":
      return install(top.rest);
    case "run": {
      const p = parseOrHelp(runSpec, top.rest);
      if (!p) return 0;
      const file = str(p, "connection-file") ?? p.positionals.CONNECTION_FILE;
      if (file === undefined) throw new UsageError("a connection file is required: -f CONNECTION_FILE (see retis kernel run --help)");
      const { runKernel } = await import("../../kernel/main.js");
      const code = await runKernel(file);
      // A kernel that has shut down must end now, whatever handles a cell left open (timers, servers).
      process.exit(code);
    }
    case undefined:
      throw new UsageError("a subcommand is required: install or run (see retis kernel --help)");
    default:
      throw new UsageError(`unknown subcommand '${sub}': expected install or run (see retis kernel --help)`);
  }
}
