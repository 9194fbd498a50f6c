// The part of playwright-core's API the JupyterLab test uses. playwright-core lives in test/lab/node_modules
// (installed by install.sh, not by the project's own package.json), so the project's type check must not
// depend on it: it is loaded at run time from there and typed by these few members.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface ConsoleMessage {
  type(): string;
  text(): string;
  location(): { url: string; lineNumber: number };
}

export interface Locator {
  click(options?: { timeout?: number }): Promise<void>;
  count(): Promise<number>;
  first(): Locator;
  nth(i: number): Locator;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  waitFor(options?: { state?: "attached" | "detached" | "visible" | "hidden"; timeout?: number }): Promise<void>;
  screenshot(options: { path: string }): Promise<unknown>;
}

export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: "load" | "domcontentloaded" }): Promise<unknown>;
  // The page functions run in the browser; they are serialised by Function.prototype.toString.
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number; polling?: number | "raf" }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: "console", listener: (m: ConsoleMessage) => void): void;
  on(event: "pageerror", listener: (e: Error) => void): void;
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  pages(): Page[];
  close(): Promise<void>;
}

interface Chromium {
  launchPersistentContext(
    userDataDir: string,
    options: { executablePath: string; headless: boolean; args: string[]; viewport: { width: number; height: number }; timeout: number },
  ): Promise<BrowserContext>;
}

/** playwright-core's `chromium`, from test/lab/node_modules; undefined when test/lab is not installed. */
export function loadChromium(labDir: string): Chromium | undefined {
  if (!existsSync(join(labDir, "node_modules", "playwright-core"))) return undefined;
  const require = createRequire(join(labDir, "package.json"));
  return (require("playwright-core") as { chromium: Chromium }).chromium;
}
