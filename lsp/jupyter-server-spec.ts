// The jupyterlab-lsp (jupyter-lsp) server spec: a `jupyter_server_config.d/retis-lsp.json` entry that starts
// `retis lsp --stdio` for notebooks of the retis kernel. `retis kernel install` is meant to write it
// beside the kernelspec (installJupyterServerSpec).
//
// jupyterlab-lsp picks a server by the kernel's language_info.mimetype (kernel/handlers/kernel-info.ts
// announces `text/typescript`), from which it derives the language `typescript` (strip `text/`, a leading `x-`).
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The kernel's language_info.mimetype and the language jupyterlab-lsp derives from it. */
export const KERNEL_MIME_TYPE = "text/typescript";
export const LANGUAGE = "typescript";
/** The server's key in LanguageServerManager.language_servers, and the config file's base name. */
export const SPEC_NAME = "retis-lsp";

export interface JupyterServerConfig {
  LanguageServerManager: { language_servers: Record<string, LanguageServerSpec> };
}

/** jupyter-lsp's spec schema, version 2 (the only version it accepts). */
export interface LanguageServerSpec {
  version: 2;
  argv: string[];
  languages: string[];
  mime_types: string[];
  display_name: string;
  /** false: no `.virtual_documents/` copies on disk; the server analyses the texts it is sent. */
  requires_documents_on_disk: boolean;
}

/**
 * The JSON to write as `<jupyter config dir>/jupyter_server_config.d/retis-lsp.json`. `nodePath` and `cliPath`
 * are absolute (the kernelspec's argv uses the same pair): jupyter-lsp starts the server with a bare Popen,
 * without a shell or the user's PATH setup.
 */
export function jupyterServerSpec(nodePath: string, cliPath: string): JupyterServerConfig {
  return {
    LanguageServerManager: {
      language_servers: {
        [SPEC_NAME]: {
          version: 2,
          argv: [nodePath, cliPath, "lsp", "--stdio"],
          languages: [LANGUAGE],
          mime_types: [KERNEL_MIME_TYPE],
          display_name: "retis TypeScript language server",
          requires_documents_on_disk: false,
        },
      },
    },
  };
}

/**
 * The user's Jupyter config dir (jupyter_core.paths.jupyter_config_dir): $JUPYTER_CONFIG_DIR, else ~/.jupyter.
 * For `--sys-prefix` it is `<sys.prefix>/etc/jupyter`, for `--prefix DIR` it is `DIR/etc/jupyter`.
 */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return env.JUPYTER_CONFIG_DIR || join(home, ".jupyter");
}

/**
 * Writes `<configDir>/jupyter_server_config.d/retis-lsp.json` (replacing an earlier one) and returns its path.
 * Jupyter Server merges every file of that directory into its config at start.
 */
export function installJupyterServerSpec(configDir: string, nodePath: string, cliPath: string): string {
  const dir = join(configDir, "jupyter_server_config.d");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${SPEC_NAME}.json`);
  writeFileSync(path, JSON.stringify(jupyterServerSpec(nodePath, cliPath), null, 2) + "\n");
  return path;
}
