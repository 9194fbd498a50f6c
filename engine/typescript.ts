// TypeScript's compiler, loaded with require(). An ESM `import ts from "typescript"` makes Node scan the
// 9 MB CommonJS file for its export names before running it (cjs-module-lexer): measured as the largest
// single cost of starting an engine. Types come from `import type * as TS from "typescript"`.
import { createRequire } from "node:module";
import type * as TS from "typescript";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;
export default ts;
