// Runtime stack traces on the user's lines: frames in compiled cells and scripts are mapped back through
// their source maps; frames inside this package (engine, events library) and Node's internals are left out,
// so that an error about bad input reads as the message and the user's own line.
import { join } from "node:path";
import { packageRoot } from "./paths.js";
import type { ThrownError } from "./protocol.js";
import type { SourceMapLookup } from "./sourcemap.js";

/** This package's compiled code (engine, events library): its frames are not the user's business. */
const packageCode = join(packageRoot, "dist") + "/";

/** Lines a compiled file's code is shifted by when run: worker.ts puts the async wrapper alone on line 1. */
const WRAPPER_LINES = 1;

export class StackMapper {
  private readonly maps = new Map<string, SourceMapLookup>();

  remember(filename: string, map: SourceMapLookup): void {
    this.maps.set(filename, map);
  }

  /** Jupyter-style traceback: `Name: message`, then `    at fn (file:line:col)` frames on the user's lines. */
  traceback(error: ThrownError): string[] {
    const head = `${error.name}: ${error.message}`;
    if (!error.stack) return [head];
    const frames: string[] = [];
    for (const line of error.stack.split("\n")) {
      const frame = /^\s+at (?:(.*) \()?(.+):(\d+):(\d+)\)?$/.exec(line);
      if (!frame) continue;
      const [, fn, file, lineText, columnText] = frame;
      if (file!.startsWith("node:") || file!.startsWith(packageCode) || file!.startsWith(`file://${packageCode}`)) continue;
      const map = this.maps.get(file!);
      let where = `${file}:${lineText}:${columnText}`;
      if (map) {
        const original = map.original(Number(lineText) - 1 - WRAPPER_LINES, Number(columnText) - 1);
        if (original) where = `${file}:${original.line + 1}:${original.column + 1}`;
      }
      frames.push(fn ? `    at ${fn} (${where})` : `    at ${where}`);
    }
    return [head, ...frames];
  }
}
