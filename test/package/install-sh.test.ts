// A fresh Debian machine gets every outside tool the tests and `retis kernel install` call from install.sh's
// package list (issue F: `jupyter kernelspec` was missing because Debian's jupyter-client package was not
// listed, only the python3 module). Each command and Python module is traced to the Debian package that
// owns it (dpkg -S), which must be in APT_PACKAGES or be an Essential package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../samples.js";

/** Commands run by the tests, `retis kernel install` or install.sh, and who needs them. */
const COMMANDS: Record<string, string> = {
  jupyter: "kernel tests and `retis kernel install --sys-prefix` (jupyter kernelspec list)",
  "jupyter-kernelspec": "`jupyter kernelspec list` in test/kernel/install.test.ts",
  "jupyter-console": "kernel tests",
  "jupyter-server": "test/kernel/services.test.ts",
  nvim: "test/lsp/neovim.test.ts",
  tmux: "test/ts-shell/shell.test.ts",
  ip: "collector tests (namespaces, veth)",
  tc: "collector tests (qdisc drops)",
  nft: "collector tests (nft drop rules)",
  ping: "collector tests (test traffic)",
  sysctl: "collector tests",
  pgrep: "collector tests (left-over collectors)",
  kill: "collector tests",
  timeout: "collector tests (bounded servers)",
  make: "install.sh (the collector)",
  clang: "collector build",
  bpftool: "collector build (skeletons)",
  tcpdump: "packet oracles",
  tshark: "packet oracles",
  socat: "test traffic",
  chromium: "JupyterLab browser tests",
};

function dpkgAvailable(): boolean {
  return spawnSync("dpkg-query", ["--version"], { encoding: "utf8" }).status === 0;
}

/** install.sh's APT_PACKAGES, as bash reads the array. */
function aptPackages(): Set<string> {
  const script = readFileSync(join(repoRoot, "install.sh"), "utf8");
  const array = /^APT_PACKAGES=\([^]*?^\)/m.exec(script);
  assert.ok(array, "install.sh has no APT_PACKAGES=( … ) array");
  const r = spawnSync("bash", ["-c", `${array[0]}\nprintf '%s\\n' "\${APT_PACKAGES[@]}"`], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Set(r.stdout.split("\n").filter(Boolean));
}

/** The Debian package owning `path`; merged /usr means dpkg may know it under /bin or /sbin. */
function owner(path: string): string | undefined {
  const real = realpathSync(path);
  const candidates = [path, real, ...[path, real].flatMap((p) => (p.startsWith("/usr/") ? [p.slice(4)] : [`/usr${p}`]))];
  for (const candidate of candidates) {
    const r = spawnSync("dpkg-query", ["-S", candidate], { encoding: "utf8" });
    if (r.status === 0) return r.stdout.split(":")[0]!.split(",")[0]!.trim();
  }
  return undefined;
}

function essential(pkg: string): boolean {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Essential}", pkg], { encoding: "utf8" });
  return r.stdout.trim() === "yes";
}

/** Top-level modules imported by the repository's Python files (test helpers run by /usr/bin/python3). */
function pythonImports(): Set<string> {
  const modules = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".py")) {
        for (const m of readFileSync(path, "utf8").matchAll(/^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))/gm)) {
          for (const name of (m[1] ?? m[2]!).split(",")) {
            const top = name.trim().split(/[.\s]/)[0];
            if (top && !top.startsWith("_")) modules.add(top);
          }
        }
      }
    }
  };
  walk(repoRoot);
  return modules;
}

test("install.sh installs the package of every command the tests and `retis kernel install` call", (t) => {
  if (!dpkgAvailable()) return t.skip("not a Debian machine (no dpkg-query)");
  const listed = aptPackages();
  const problems: string[] = [];
  for (const [command, why] of Object.entries(COMMANDS)) {
    const found = spawnSync("bash", ["-c", `type -P -- ${command}`], { encoding: "utf8" }).stdout.trim();
    if (!found.startsWith("/")) {
      problems.push(`${command} (${why}) is not installed here`);
      continue;
    }
    const pkg = owner(found);
    if (pkg === undefined) problems.push(`${command} (${found}) belongs to no Debian package`);
    else if (!listed.has(pkg) && !essential(pkg)) problems.push(`${command} (${why}) comes from Debian package ${pkg}, missing from install.sh's APT_PACKAGES`);
  }
  assert.deepEqual(problems, []);
});

test("install.sh installs the package of every Python module the test scripts import", (t) => {
  if (!dpkgAvailable()) return t.skip("not a Debian machine (no dpkg-query)");
  const listed = aptPackages();
  const modules = [...pythonImports()];
  assert.ok(modules.includes("jupyter_client"), `found imports: ${modules.join(", ")}`);
  // The standard library ships with python3 itself; every other module has a file some package owns.
  const code = `import sys, importlib.util, json
out = {}
for m in sys.argv[1:]:
    if m in sys.stdlib_module_names: continue
    spec = importlib.util.find_spec(m)
    out[m] = spec.origin if spec else None
print(json.dumps(out))`;
  const r = spawnSync("/usr/bin/python3", ["-c", code, ...modules], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const problems: string[] = [];
  for (const [module, origin] of Object.entries(JSON.parse(r.stdout) as Record<string, string | null>)) {
    if (origin === null) {
      problems.push(`Python module ${module} is not installed for /usr/bin/python3`);
      continue;
    }
    const pkg = owner(origin);
    if (pkg === undefined) problems.push(`Python module ${module} (${origin}) belongs to no Debian package`);
    else if (!listed.has(pkg) && !essential(pkg)) problems.push(`Python module ${module} comes from Debian package ${pkg}, missing from install.sh's APT_PACKAGES`);
  }
  assert.deepEqual(problems, []);
});

test("`jupyter kernelspec list` runs, as the kernel tests and `retis kernel install` need", (t) => {
  if (!dpkgAvailable()) return t.skip("not a Debian machine (no dpkg-query)");
  for (const argv of [["jupyter", "kernelspec", "list"], ["/usr/bin/python3", "-m", "jupyter", "kernelspec", "list"]]) {
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${argv.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
    assert.match(r.stdout, /Available kernels/);
  }
  // install.sh itself stops with one clear line when the command is missing.
  assert.match(readFileSync(join(repoRoot, "install.sh"), "utf8"), /jupyter kernelspec list/);
});
