// The protocol libraries' values, loaded with `require`. They are CommonJS: an ESM `import` of them makes Node
// first scan each of their files for export names (cjs-module-lexer, recursively through their re-exports),
// which took about as long again as loading them (measured: ~2× on a cold start, on the way to the first
// completion). Types still come from `import type` of the packages; each value here keeps its type's name.
import { createRequire } from "node:module";
import type * as Protocol from "vscode-languageserver/node.js";
import type * as Documents from "vscode-languageserver-textdocument";

const require = createRequire(import.meta.url);
const protocol = require("vscode-languageserver/node.js") as typeof Protocol;
const documents = require("vscode-languageserver-textdocument") as typeof Documents;

export const {
  AbstractMessageReader,
  CompletionItemKind,
  CompletionItemTag,
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  MarkupKind,
  Message,
  NotebookCellKind,
  ResponseError,
  StreamMessageWriter,
  TextDocumentSyncKind,
} = protocol;
export type CompletionItemKind = Protocol.CompletionItemKind;
export type DiagnosticSeverity = Protocol.DiagnosticSeverity;
export type Message = Protocol.Message;
export type NotebookCellKind = Protocol.NotebookCellKind;
export type ResponseError<D> = Protocol.ResponseError<D>;

export const { TextDocument } = documents;
export type TextDocument = Documents.TextDocument;
