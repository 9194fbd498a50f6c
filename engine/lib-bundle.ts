// ES2022's standard library as ONE declaration file. TypeScript splits it into ~60 files linked by
// `/// <reference lib>`; every new program (one per cell, per keystroke in an editor) walks, sorts and
// resolves them all again (measured: a third of checking a small cell). Joined once per process, in
// dependency order, the same declarations cost one file; the engine then runs with `noLib`.
import { dirname, join } from "node:path";
import ts from "./typescript.js";

export const LIB_FILE = "/__retis__/lib.es2022.d.ts";

let bundle: string | undefined;

export function libBundle(): string {
  if (bundle !== undefined) return bundle;
  const folder = dirname(ts.getDefaultLibFilePath({ target: ts.ScriptTarget.ES2022 }));
  const seen = new Set<string>();
  const parts: string[] = [];
  const add = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = ts.sys.readFile(join(folder, `lib.${name}.d.ts`));
    if (text === undefined) throw new Error(`engine: TypeScript's lib.${name}.d.ts is missing from ${folder}`);
    const body: string[] = [];
    for (const line of text.split("\n")) {
      const reference = /^\/\/\/\s*<reference\s+lib="([^"]+)"\s*\/>/.exec(line);
      if (reference) add(reference[1]!.toLowerCase());
      else if (!/^\/\/\/\s*<reference\s+no-default-lib/.test(line)) body.push(line);
    }
    parts.push(`// lib.${name}.d.ts\n${body.join("\n")}`);
  };
  add("es2022");
  bundle = parts.join("\n");
  return bundle;
}
