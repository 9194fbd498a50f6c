// Which capture `reader` opens: $RETIS_FILE, else retis.data (or split retis.data.0…) in the notebook's
// folder (the kernel's cwd), else the sample bundled with retis, so that a fresh notebook has data. When the
// choice may surprise, the notebook says so in the first cell's output (the kernel's stderr is rarely seen),
// and another capture is one line away: `reader = openCapture("other.data")`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../engine/index.js";

export interface CaptureChoice {
  /** The path for the engine's `input`; undefined leaves the engine's own default (retis.data in cwd). */
  path: string | undefined;
  /** A line for the first cell's output (and the kernel's log) when the choice may surprise. */
  note?: string;
}

/** How to open another capture, as the notes say it. */
const HOW = 'open another with reader = openCapture("path/to/retis.data")';

export function chooseCapture(env: NodeJS.ProcessEnv, cwd: string, bundled: string, exists: (p: string) => boolean = existsSync): CaptureChoice {
  const fromEnv = env.RETIS_FILE;
  if (fromEnv) {
    return exists(fromEnv) || exists(`${fromEnv}.0`)
      ? { path: fromEnv }
      : { path: fromEnv, note: `RETIS_FILE=${fromEnv} does not exist: reader will fail until it does; ${HOW}` };
  }
  if (exists(join(cwd, "retis.data")) || exists(join(cwd, "retis.data.0"))) return { path: undefined };
  if (exists(bundled)) return { path: bundled, note: `reader is the bundled sample ${bundled} (no retis.data in ${cwd}); ${HOW}` };
  return { path: undefined, note: `no retis.data in ${cwd} and no bundled sample at ${bundled}: ${HOW}` };
}

/** Declarations of the globals capture-globals.ts defines, for cells. */
export const CAPTURE_AMBIENT = `
/**
 * Opens another capture and makes it \`reader\` for the following cells; returns it. \`path\` is a file
 * (\`FILE\`, or \`FILE..\` with its split files) or a folder holding retis.data; relative to the notebook's folder.
 *
 * \`\`\`ts
 * reader = openCapture("other.data")
 * \`\`\`
 */
declare function openCapture(path: string): EventFile;
`;

/**
 * Makes the engine's first execution start with `note` on its stderr: the first cell run in a notebook
 * shows which capture `reader` is (issue F: the fallback to the bundled sample was only on the kernel's stderr).
 */
export function noteFirstCell(engine: Engine, note: string | undefined): Engine {
  if (note === undefined) return engine;
  const execute = engine.execute.bind(engine);
  let pending = true;
  engine.execute = (code, options = {}) => {
    if (pending && options.onStderr) {
      pending = false;
      options.onStderr(`${note}\n`);
    }
    return execute(code, options);
  };
  return engine;
}
