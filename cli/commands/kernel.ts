// `retis kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]`
// `retis kernel run -f CONNECTION_FILE` (what the kernelspec's argv runs)
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.js";
import { join } from "node:path";
import { DEFAULT_DISPLAY_NAME, DEFAULT_NAME, installKernelSpec, jupyterSysPrefix, kernelSpec, kernelsDir, type Scope } from "../../kernel/install/kernelspec.js";
import { installJupyterServerSpec, userConfigDir } from "../../lsp/jupyter-server-spec.js";

const USAGE = `usage: retis kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
       retis kernel run -f CONNECTION_FILE

install  write the Jupyter kernelspec (default --user: ~/.local/share/jupyter/kernels/${DEFAULT_NAME})
run      start the kernel on a connection file (Jupyter does this)`;

function install(args: string[]): number {
  let scope: Scope = { kind: "user" };
  let name = DEFAULT_NAME;
  let displayName = DEFAULT_DISPLAY_NAME;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--user") scope = { kind: "user" };
    else if (a === "--sys-prefix") scope = { kind: "sys-prefix" };
    else if (a === "--prefix") scope = { kind: "prefix", dir: value() };
    else if (a.startsWith("--prefix=")) scope = { kind: "prefix", dir: a.slice(9) };
    else if (a === "--name") name = value();
    else if (a.startsWith("--name=")) name = a.slice(7);
    else if (a === "--display-name") displayName = value();
    else if (a.startsWith("--display-name=")) displayName = a.slice(15);
    else throw new UsageError(`unknown option '${a}'\n${USAGE}`);
  }
  const cli = fileURLToPath(new URL("../main.js", import.meta.url));
  const dir = installKernelSpec(kernelsDir(scope), name, kernelSpec(process.execPath, cli, displayName));
  console.log(`Installed kernelspec ${name} in ${dir}`);
  // jupyterlab-lsp finds language servers in the Jupyter *config* path of the same scope.
  const config = scope.kind === "user" ? userConfigDir() : join(scope.kind === "prefix" ? scope.dir : jupyterSysPrefix(), "etc", "jupyter");
  console.log(`Installed the jupyterlab-lsp server spec in ${installJupyterServerSpec(config, process.execPath, cli)}`);
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case "install":
      return install(rest);
    case "run": {
      const { parseArgs, runKernel } = await import("../../kernel/main.js");
      let file: string;
      try {
        file = parseArgs(rest);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const code = await runKernel(file);
      // A kernel that has shut down must end now, whatever handles a cell left open (timers, servers).
      process.exit(code);
    }
    case "-h":
    case "--help":
    case "help":
      console.log(USAGE);
      return 0;
    default:
      console.error(sub === undefined ? USAGE : `retis kernel: unknown subcommand '${sub}'\n${USAGE}`);
      return 2;
  }
}
