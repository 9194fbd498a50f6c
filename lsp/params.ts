// The shapes of what an editor sends, checked at the edge: the server and the engine read `text` as a string
// and positions as numbers, so a client sending `text: null` once crashed the process (TypeError in the
// engine). Each check returns what is wrong, naming the field and what was expected, or undefined.

export type Check = (params: unknown) => string | undefined;

type Shape = (value: unknown, path: string) => string | undefined;

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `a ${typeof value} (${String(value)})`;
}

const wrong = (path: string, value: unknown, expected: string) => `${path} is ${describe(value)}: expected ${expected}`;

const string: Shape = (v, path) => (typeof v === "string" ? undefined : wrong(path, v, "a string"));
const uinteger: Shape = (v, path) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? undefined : wrong(path, v, "an unsigned integer"));
const integer: Shape = (v, path) => (typeof v === "number" && Number.isInteger(v) ? undefined : wrong(path, v, "an integer"));

/** An object whose listed fields have their shapes; `?` after a name makes it optional. */
function object(fields: Record<string, Shape>): Shape {
  return (v, path) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return wrong(path, v, "an object");
    for (const [name, shape] of Object.entries(fields)) {
      const optional = name.endsWith("?");
      const key = optional ? name.slice(0, -1) : name;
      const field = (v as Record<string, unknown>)[key];
      if (optional && (field === undefined || field === null)) continue;
      const problem = shape(field, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function array(item: Shape): Shape {
  return (v, path) => {
    if (!Array.isArray(v)) return wrong(path, v, "an array");
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const position = object({ line: uinteger, character: uinteger });
const range = object({ start: position, end: position });
const textDocumentItem = object({ uri: string, languageId: string, version: integer, text: string });
const textDocumentIdentifier = object({ uri: string });
const versionedIdentifier = object({ uri: string, version: integer });
/** A ranged edit or a whole new text (jupyterlab-lsp sends the latter). */
const contentChange = object({ "range?": range, text: string });
const notebookCell = object({ kind: (v, path) => (v === 1 || v === 2 ? undefined : wrong(path, v, "1 (markup) or 2 (code)")), document: string });

const params = (shape: Shape): Check => (p) => shape(p, "params");

export const didOpen = params(object({ textDocument: textDocumentItem }));
export const didChange = params(object({ textDocument: versionedIdentifier, contentChanges: array(contentChange) }));
export const didClose = params(object({ textDocument: textDocumentIdentifier }));
export const positionParams = params(object({ textDocument: textDocumentIdentifier, position }));
export const completionItem = params(object({ label: string }));

export const didOpenNotebook = params(
  object({ notebookDocument: object({ uri: string, cells: array(notebookCell) }), cellTextDocuments: array(textDocumentItem) }),
);
export const didChangeNotebook = params(
  object({
    notebookDocument: object({ uri: string }),
    change: object({
      "cells?": object({
        "structure?": object({
          array: object({ start: uinteger, deleteCount: uinteger, "cells?": array(notebookCell) }),
          "didOpen?": array(textDocumentItem),
          "didClose?": array(textDocumentIdentifier),
        }),
        "data?": array(notebookCell),
        "textContent?": array(object({ document: versionedIdentifier, changes: array(contentChange) })),
      }),
    }),
  }),
);
export const didCloseNotebook = params(object({ notebookDocument: object({ uri: string }), cellTextDocuments: array(textDocumentIdentifier) }));
export const initialize = params(object({ capabilities: object({}) }));
