// kernel_info_reply: who this kernel is. Needs no engine, so the kernel answers it at once at startup
// (clients such as jupyter_client wait for it before anything else).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Contents } from "../messages.js";
import { PROTOCOL_VERSION } from "../messages.js";

const require = createRequire(import.meta.url);

/** Version of a package from its package.json, without loading the package (TypeScript takes 200 ms). */
function packageVersion(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "unknown"; // only shown in the banner and language_info; never worth failing kernel_info
  }
}

let cached: Contents["kernel_info_reply"] | undefined;

export function kernelInfo(): Contents["kernel_info_reply"] {
  if (cached) return cached;
  const ts = packageVersion("typescript");
  const own = packageVersion("retis");
  cached = {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "retis-ts",
    implementation_version: own,
    language_info: {
      name: "typescript",
      version: ts,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      // Classic Notebook and nbconvert pick CodeMirror's JavaScript mode with its TypeScript flag.
      codemirror_mode: { name: "javascript", typescript: true },
      nbconvert_exporter: "script",
    },
    banner:
      `retis for TypeScript ${own} (TypeScript ${ts}, Node ${process.versions.node})\n` +
      "`reader` is the open capture: for (const e of reader.events()) ...; display(x) shows events, series and plots.",
    help_links: [{ text: "Retis", url: "https://retis.readthedocs.io/" }],
  };
  return cached;
}
