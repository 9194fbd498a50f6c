// A JupyterLab for tests: the front end built in test/lab/build served by server.py (Debian's jupyter_server
// and jupyterlab_server) on a free port with a random token, the retis-ts kernelspec installed by the real
// CLI into a temporary JUPYTER_PATH, and Debian's Chromium driven by playwright-core. Everything it starts
// is stopped by close(): the browser, then the server's whole process group (kernels included).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../samples.js";
import { PYTHON, freePorts, kernelEnv, KERNEL_NAME } from "../kernel/harness.js";
import { loadChromium, type BrowserContext, type ConsoleMessage, type Page } from "./playwright.js";

// Page functions run in the browser, where these exist (the project's type check has no DOM library).
declare const window: any;
declare const document: any;

export const labDir = join(repoRoot, "test", "lab");
export const CHROMIUM = "/usr/bin/chromium";
/** Screenshots and logs of the last run (gitignored). */
export const artifactsDir = join(repoRoot, "test-artifacts", "lab");

/** Why the test cannot run here, or undefined when it can. */
export function missing(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(join(labDir, "build", "bundle.js"))) return "test/lab is not built (./install.sh, or: cd test/lab && npm ci && npm run build)";
  if (!loadChromium(labDir)) return "test/lab/node_modules/playwright-core is missing (cd test/lab && npm ci)";
  const py = spawnSync(PYTHON, ["-c", "import jupyter_server, jupyterlab_server"], { encoding: "utf8" });
  if (py.status !== 0) return `${PYTHON} lacks jupyter_server/jupyterlab_server (apt-get install python3-jupyterlab-server)`;
  return undefined;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

export class Lab {
  private constructor(
    readonly root: string,
    readonly base: string,
    private readonly token: string,
    private readonly server: ChildProcess,
    private readonly serverLog: () => string,
    private readonly browser: BrowserContext,
    private readonly temp: string[],
  ) {}

  /**
   * Starts the server on a copy of `notebooks/` (under ROOT/notebooks, with ROOT/samples linking to the
   * repository's samples so notebooks find `../samples/…`) and the browser.
   */
  static async start(): Promise<Lab> {
    const root = mkdtempSync(join(tmpdir(), "retis-lab-root-"));
    const state = mkdtempSync(join(tmpdir(), "retis-lab-state-"));
    cpSync(join(repoRoot, "notebooks"), join(root, "notebooks"), { recursive: true });
    symlinkSync(join(repoRoot, "samples"), join(root, "samples"));
    for (const d of ["settings", "workspaces", "runtime", "chromium"]) mkdirSync(join(state, d));
    const [port] = await freePorts(1);
    const token = randomBytes(16).toString("hex");
    const env = kernelEnv({ JUPYTER_RUNTIME_DIR: join(state, "runtime") });
    const server = spawn(
      PYTHON,
      [
        join(labDir, "server.py"),
        `--port=${port}`,
        "--ip=127.0.0.1",
        "--no-browser",
        `--ServerApp.token=${token}`,
        "--ServerApp.allow_root=True",
        `--ServerApp.root_dir=${root}`,
        `--RetisTestLab.user_settings_dir=${join(state, "settings")}`,
        `--RetisTestLab.workspaces_dir=${join(state, "workspaces")}`,
      ],
      // Its own process group: close() ends the server and the kernels it started, and nothing else.
      { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let log = "";
    server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const stopServer = () => {
      try {
        process.kill(-server.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the lab server did not start in 60 s:\n${log}`)), 60_000);
        const check = () => {
          if (/is running at/.test(log)) {
            clearTimeout(timer);
            resolve();
          }
        };
        server.stdout!.on("data", check);
        server.stderr!.on("data", check);
        server.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`the lab server exited (${code}):\n${log}`));
        });
      });
      const chromium = loadChromium(labDir)!;
      const browser = await chromium.launchPersistentContext(join(state, "chromium"), {
        executablePath: CHROMIUM,
        headless: true,
        timeout: 60_000,
        viewport: { width: 1280, height: 900 },
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      return new Lab(root, `http://127.0.0.1:${port}`, token, server, () => log, browser, [root, state]);
    } catch (e) {
      stopServer();
      rmSync(root, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
      throw e;
    }
  }

  /** The server's log so far (for failure messages). */
  log(): string {
    return this.serverLog();
  }

  /**
   * Opens ROOT/`path` in a new page of JupyterLab (a reset workspace, so earlier pages' tabs do not come
   * back) and waits until the notebook's kernel is idle.
   */
  async open(path: string): Promise<OpenedPage> {
    const page = await this.browser.newPage();
    const errors: string[] = [];
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") errors.push(`console.error: ${m.text()} (${m.location().url}:${m.location().lineNumber})`);
    });
    page.on("pageerror", (e: Error) => errors.push(`page error: ${e.stack ?? e.message}`));
    await page.goto(`${this.base}/lab/tree/${path}?reset&token=${this.token}`, { timeout: 60_000 });
    await page.waitForFunction(() => window.retisLab || window.retisLabError, undefined, { timeout: 120_000 });
    const failed = await page.evaluate(() => window.retisLabError as string | undefined);
    if (failed) throw new Error(`JupyterLab did not start: ${failed}`);
    await page.waitForFunction(
      ([p, kernel]) => {
        const w = window.retisLab.shell.currentWidget;
        const k = w?.sessionContext?.session?.kernel;
        return w?.context?.path === p && w.content?.widgets?.length > 0 && k?.name === kernel && k.status === "idle";
      },
      [path, KERNEL_NAME] as const,
      { timeout: 120_000 },
    );
    return { page, errors };
  }

  async close(): Promise<void> {
    await Promise.race([this.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000))]);
    if (this.server.exitCode === null) {
      const exited = new Promise((r) => this.server.once("exit", r));
      try {
        process.kill(-this.server.pid!, "SIGTERM"); // jupyter_server shuts its kernels down on SIGTERM
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    try {
      process.kill(-this.server.pid!, "SIGKILL"); // whatever is left of the group (a kernel that hung)
    } catch {
      // the group is gone
    }
    for (const d of this.temp) rmSync(d, { recursive: true, force: true });
  }
}
