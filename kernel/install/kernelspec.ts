// Writing the kernelspec: <data dir>/kernels/<name>/{kernel.json, logo-32x32.png, logo-64x64.png}.
// Where the data dir is follows Jupyter's own rules (jupyter_core.paths), so `jupyter kernelspec list`
// finds the kernel without Python being involved in the install.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type Scope = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "message" | "signal";
  metadata: Record<string, unknown>;
  env?: Record<string, string>;
}

export const DEFAULT_NAME = "retis-ts";
export const DEFAULT_DISPLAY_NAME = "TypeScript (retis)";

/** The kernel.json content: argv runs this node on the retis CLI, `retis kernel run -f {connection_file}`. */
export function kernelSpec(nodePath: string, cliPath: string, displayName = DEFAULT_DISPLAY_NAME): KernelSpec {
  return {
    argv: [nodePath, cliPath, "kernel", "run", "-f", "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    // interrupt_request on control: stops a busy loop or a pending await without a signal, so it also
    // works when the kernel is remote or behind a wrapper that does not forward SIGINT.
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/** Spec directory names may only use [A-Za-z0-9._-] (jupyter_client's kernelspec rules). */
export function checkName(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`kernel name '${name}' is not valid: expected letters, digits, '.', '_' or '-'`);
  return name;
}

/** The user's Jupyter data dir: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter (Linux). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(home, "Library", "Jupyter");
  if (process.platform === "win32") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME || join(home, ".local", "share"), "jupyter");
}

/**
 * sys.prefix of the Python that runs Jupyter: the interpreter named by the `jupyter` script's #! line,
 * else /usr/bin/python3 (Debian's). `python3` first on PATH may be another interpreter without Jupyter.
 */
export function jupyterSysPrefix(): string {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(":").concat("/usr/bin")) {
    const script = join(dir, "jupyter");
    if (!existsSync(script)) continue;
    const first = readFileSync(script, "utf8").slice(0, 200).split("\n")[0] ?? "";
    const m = /^#!\s*(\S+)/.exec(first);
    if (m && !m[1]!.endsWith("/env")) candidates.push(m[1]!);
  }
  candidates.push("/usr/bin/python3");
  for (const python of candidates) {
    try {
      const out = execFileSync(python, ["-c", "import sys, jupyter_core; print(sys.prefix)"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      return out.trim();
    } catch {
      // not a Python with Jupyter; try the next one
    }
  }
  throw new Error("--sys-prefix: found no Python with Jupyter (tried the jupyter script's interpreter and /usr/bin/python3); use --user or --prefix DIR");
}

export function kernelsDir(scope: Scope): string {
  switch (scope.kind) {
    case "user":
      return join(userDataDir(), "kernels");
    case "sys-prefix":
      return join(jupyterSysPrefix(), "share", "jupyter", "kernels");
    case "prefix":
      return join(scope.dir, "share", "jupyter", "kernels");
  }
}

/** The logos, committed PNG files beside this module's source (the package ships them: package.json `files`). */
export const LOGOS = ["logo-32x32.png", "logo-64x64.png"] as const;
/** From dist/kernel/install/ (where this module runs) to the source folder kernel/install/. */
export const LOGO_DIR = new URL("../../../kernel/install/", import.meta.url);

/** Writes the spec and logos into `<kernelsDir>/<name>`, replacing an earlier install; returns that directory. */
export function installKernelSpec(kernels: string, name: string, spec: KernelSpec): string {
  const dir = join(kernels, checkName(name));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  for (const logo of LOGOS) copyFileSync(new URL(logo, LOGO_DIR), join(dir, logo));
  return dir;
}
