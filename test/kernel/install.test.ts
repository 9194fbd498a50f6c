// `retis kernel install` as a user runs it, checked by Jupyter itself: `jupyter kernelspec list` (Debian's
// jupyter_client under /usr/bin/python3) must list the kernel with our kernel.json and logos.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PYTHON, cli, havePython } from "./harness.js";

interface SpecList {
  kernelspecs: Record<string, { resource_dir: string; spec: { argv: string[]; language: string; display_name: string; interrupt_mode?: string } }>;
}

function listSpecs(env: NodeJS.ProcessEnv): SpecList {
  const r = spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as SpecList;
}

function install(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [cli, "kernel", "install", ...args], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("retis kernel install", () => {
  it("--prefix DIR: jupyter kernelspec list shows it from DIR/share/jupyter", (t) => {
    if (!havePython(t, ["jupyter_client"])) return;
    const prefix = mkdtempSync(join(tmpdir(), "retis-prefix-"));
    const env = { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") };
    assert.match(install(["--prefix", prefix, "--name", "retis-prefix-test"], env), /Installed kernelspec retis-prefix-test/);
    const spec = listSpecs(env).kernelspecs["retis-prefix-test"];
    assert.ok(spec, "listed");
    assert.equal(spec.resource_dir, join(prefix, "share", "jupyter", "kernels", "retis-prefix-test"));
    assert.equal(spec.spec.language, "typescript");
    assert.equal(spec.spec.interrupt_mode, "message");
    assert.deepEqual(spec.spec.argv.slice(-4), ["kernel", "run", "-f", "{connection_file}"]);
    for (const logo of ["logo-32x32.png", "logo-64x64.png"]) assert.ok(existsSync(join(spec.resource_dir, logo)), logo);
    // The jupyterlab-lsp server spec goes to the same prefix's config path, naming `retis lsp --stdio`
    // for the kernel's language and MIME type.
    const lsp = JSON.parse(readFileSync(join(prefix, "etc", "jupyter", "jupyter_server_config.d", "retis-lsp.json"), "utf8"));
    const server = lsp.LanguageServerManager.language_servers["retis-lsp"];
    assert.deepEqual(server.argv.slice(-2), ["lsp", "--stdio"]);
    assert.deepEqual(server.languages, [spec.spec.language]);
    assert.equal(server.version, 2);
  });

  it("--user (the default) writes to the user's Jupyter data dir", (t) => {
    if (!havePython(t, ["jupyter_client"])) return;
    const data = mkdtempSync(join(tmpdir(), "retis-user-"));
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_CONFIG_DIR: join(data, "config") };
    install(["--name", "retis-user-test", "--display-name", "Retis TS (test)"], env);
    const spec = listSpecs(env).kernelspecs["retis-user-test"];
    assert.ok(spec, "listed");
    assert.equal(spec.resource_dir, join(data, "kernels", "retis-user-test"));
    assert.equal(spec.spec.display_name, "Retis TS (test)");
    assert.ok(existsSync(join(data, "config", "jupyter_server_config.d", "retis-lsp.json")), "lsp spec in JUPYTER_CONFIG_DIR");
  });

  it("refuses a bad name with a one-line error and exit 1", () => {
    const r = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", tmpdir(), "--name", "bad name"], { encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), "retis: kernel name 'bad name' is not valid: expected letters, digits, '.', '_' or '-'");
  });

  it("refuses an unknown option with usage and exit 2", () => {
    const r = spawnSync(process.execPath, [cli, "kernel", "install", "--bogus"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option '--bogus'/);
  });
});
