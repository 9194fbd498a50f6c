// The peers the bench measures against (tslab, Deno's kernel, typescript-language-server), installed from npm
// into the cache folder on first use, at the versions named here — never into the project's node_modules.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, which } from "./measure.js";

/** `name@version` pairs, one folder of node_modules per group. */
export const PEERS = {
  kernels: { tslab: "1.0.22", "@deno/linux-x64-glibc": "2.9.6" },
  lsp: { "typescript-language-server": "5.3.0" },
} as const;

/** The folder holding node_modules/<name> for the group's packages, installed if needed; or why not. */
export function installPeers(group: keyof typeof PEERS, log: (s: string) => void = console.log): { dir: string } | { skip: string } {
  const dir = cacheDir("peers", group);
  const wanted = PEERS[group] as Record<string, string>;
  const have = (name: string) => {
    const pj = join(dir, "node_modules", name, "package.json");
    return existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { version: string }).version === wanted[name];
  };
  const missing = Object.keys(wanted).filter((n) => !have(n));
  if (missing.length === 0) return { dir };
  const npm = which("npm");
  if (!npm) return { skip: "no npm on PATH to install the peers" };
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
  const specs = missing.map((n) => `${n}@${wanted[n]}`);
  log(`installing ${specs.join(", ")} from npm into ${dir} …`);
  const r = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], { cwd: dir, encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0 || !Object.keys(wanted).every(have)) return { skip: `npm install ${specs.join(" ")} failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}` };
  return { dir };
}
