// `retis ts` scripts: finding one by path or by name, as `retis python` does (with `.ts` for `.py`).
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, extname, join, resolve } from "node:path";

/** Folders searched for a script given by name: the user's, then the system's. */
export function scriptFolders(home = process.env.HOME ?? homedir()): string[] {
  return [join(home, ".config/retis/ts"), "/usr/share/retis/ts"];
}

/**
 * The path of SCRIPT: an existing file as given, else `<name>.ts` (its extension replaced) in the script
 * folders. Throws `TypeScript script named X not found`.
 */
export function findScript(script: string, cwd = process.cwd(), folders = scriptFolders()): string {
  const direct = resolve(cwd, script);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  const name = `${basename(script, extname(script))}.ts`;
  for (const folder of folders) {
    const candidate = join(folder, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`TypeScript script named ${script} not found`);
}
