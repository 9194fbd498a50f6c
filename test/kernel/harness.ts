// Shared by the kernel's process tests: a kernelspec installed by `retis kernel install --prefix` into a
// temporary Jupyter path, and a runner for the Python client scripts beside this file. Jupyter's
// clients are Debian's, under /usr/bin/python3 — `python3` first on PATH may be another interpreter.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { KernelClient } from "../../kernel/protocol/client.js";
import type { ConnectionInfo } from "../../kernel/protocol/connection.js";
import { repoRoot, sample } from "../samples.js";

export const PYTHON = "/usr/bin/python3";
export const KERNEL_NAME = "retis-ts";
/** The Python scripts live in the source tree (tsc does not copy them to dist/). */
export const scriptsDir = join(repoRoot, "test", "kernel");
export const cli = join(repoRoot, "dist", "cli", "main.js");

/**
 * True when /usr/bin/python3 has the modules. Otherwise the test is skipped loudly, or fails under CI=true:
 * a green CI run must have driven the kernel with real clients.
 */
export function havePython(t: TestContext, modules: string[]): boolean {
  const r = existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" }) : undefined;
  if (r?.status === 0) return true;
  const why = `${PYTHON} lacks ${modules.join(", ")} (apt-get install python3-jupyter-client python3-jupyter-kernel-test python3-nbclient jupyter-server)`;
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}

let jupyterPath: string | undefined;

/** A JUPYTER_PATH holding the kernelspec, installed once per test process with the real CLI. */
export function installedJupyterPath(): string {
  if (jupyterPath) return jupyterPath;
  const prefix = mkdtempSync(join(tmpdir(), "retis-kernel-test-"));
  const r = spawnSync(process.execPath, [cli, "kernel", "install", "--prefix", prefix, "--name", KERNEL_NAME], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`retis kernel install failed (${r.status}): ${r.stderr}`);
  jupyterPath = join(prefix, "share", "jupyter");
  return jupyterPath;
}

/** The capture the kernel opens in tests: the bundled sample when there is one, else Retis's test file. */
export function testCapture(): string {
  const bundled = join(repoRoot, "samples", "retis.data");
  return existsSync(bundled) ? bundled : sample("retis/test_data/test_events_packets.json");
}

export function kernelEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: installedJupyterPath(),
    // Keep the test's Jupyter runtime files (connection files) out of the user's directories.
    JUPYTER_RUNTIME_DIR: mkdtempSync(join(tmpdir(), "retis-kernel-runtime-")),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    RETIS_FILE: testCapture(),
    RETIS_KERNEL_NAME: KERNEL_NAME,
    ...extra,
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Python script from test/kernel/ under /usr/bin/python3 and collects its output. */
export function runPython(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: options.cwd ?? scriptsDir, env: options.env ?? kernelEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} timed out after ${options.timeoutMs ?? 180_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Results of `python -m unittest -v`: test method → "ok" | "FAIL" | "ERROR" | "skipped …". */
export function unittestResults(stderr: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stderr.split("\n")) {
    const r = /^(test_\w+) \(([\w.]+)\)(?:\.\w+)?(?: \[.*\])? \.\.\. (.*)$/.exec(line);
    if (r) m.set(r[1]!, r[3]!.trim());
  }
  return m;
}

/** `n` TCP ports free right now on 127.0.0.1 (bound to 0, read, released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const s = createServer();
          s.on("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A connection file with fresh ports and a random key, as a front end writes one. */
export async function connectionFile(): Promise<{ path: string; info: ConnectionInfo }> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  const info: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell!,
    iopub_port: iopub!,
    stdin_port: stdin!,
    control_port: control!,
    hb_port: hb!,
    signature_scheme: "hmac-sha256",
    key: randomBytes(16).toString("hex"),
  };
  const path = join(mkdtempSync(join(tmpdir(), "retis-conn-")), "kernel.json");
  writeFileSync(path, JSON.stringify(info));
  return { path, info };
}

export interface RunningKernel {
  child: ChildProcess;
  client: KernelClient;
  /** What the kernel wrote to stderr so far (its log). */
  log(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts `retis kernel run -f FILE` (what the kernelspec runs) with a signing client connected to it. */
export async function startKernel(env: NodeJS.ProcessEnv = { ...process.env, RETIS_FILE: testCapture() }): Promise<RunningKernel> {
  const { path, info } = await connectionFile();
  const child = spawn(process.execPath, [cli, "kernel", "run", "-f", path], { stdio: ["ignore", "ignore", "pipe"], env });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, client: new KernelClient(info), log: () => log, exited };
}
