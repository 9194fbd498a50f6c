// Which capture `reader` opens: $RETIS_FILE, else retis.data (or split retis.data.0…) in the notebook's
// folder (the kernel's cwd), else the sample bundled with retis, so that a fresh notebook has data.
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface CaptureChoice {
  /** The path for the engine's `input`; undefined leaves the engine's own default (retis.data in cwd). */
  path: string | undefined;
  /** A line for stderr when the choice may surprise (the bundled sample, a missing RETIS_FILE). */
  note?: string;
}

export function chooseCapture(env: NodeJS.ProcessEnv, cwd: string, bundled: string, exists: (p: string) => boolean = existsSync): CaptureChoice {
  const fromEnv = env.RETIS_FILE;
  if (fromEnv) {
    return exists(fromEnv) || exists(`${fromEnv}.0`)
      ? { path: fromEnv }
      : { path: fromEnv, note: `RETIS_FILE=${fromEnv} does not exist: reader will fail until it does` };
  }
  if (exists(join(cwd, "retis.data")) || exists(join(cwd, "retis.data.0"))) return { path: undefined };
  if (exists(bundled)) return { path: bundled, note: `no retis.data in ${cwd}: reader is the bundled sample ${bundled}` };
  return { path: undefined, note: `no retis.data in ${cwd} and no bundled sample at ${bundled}: open a capture with new EventFile(path)` };
}
