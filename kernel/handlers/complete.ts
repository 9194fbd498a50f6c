// complete_request and inspect_request, answered by the engine's LanguageService over the cells run so
// far. Jupyter counts cursor positions in Unicode code points (protocol 5.2), not UTF-16 units: the
// engine converts when asked for "code-point", so an emoji before the cursor does not shift the answer.
import type { CompletionItem, Engine } from "../../engine/index.js";
import type { Contents } from "../messages.js";

type CompleteReply = Extract<Contents["complete_reply"], { status: "ok" }>;
type InspectReply = Extract<Contents["inspect_reply"], { status: "ok" }>;

export function complete(engine: Engine, req: Contents["complete_request"]): CompleteReply {
  const c = engine.completions({ code: req.code }, req.cursor_pos, "code-point");
  const chars = Array.from(req.code); // code points, as the positions
  // TypeScript lists every member in scope and leaves filtering to the editor; Jupyter clients (console,
  // classic Notebook) show matches as given, so keep the names that start with the identifier typed —
  // ignoring case only when nothing matches exactly, as ipykernel's completer does.
  const typed = chars.slice(c.start, req.cursor_pos).join("");
  let kept = c.items.filter((i) => i.name.startsWith(typed));
  if (kept.length === 0) kept = c.items.filter((i) => i.name.toLowerCase().startsWith(typed.toLowerCase()));
  const items = [...kept].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : a.name.localeCompare(b.name)));
  // An item may replace more than the typed identifier (`?.orig_head` also replaces the `.` typed after an
  // optional section). Jupyter has one span for all matches: take the widest, and give each match the text
  // its own span leaves in place, so that replacing the common span yields what the item meant.
  const span = (i: CompletionItem) => ({ start: i.replaceStart ?? c.start, end: i.replaceEnd ?? c.end });
  const start = Math.min(c.start, ...items.map((i) => span(i).start));
  const end = Math.max(c.end, ...items.map((i) => span(i).end));
  const matches = items.map((i) => {
    const own = span(i);
    return chars.slice(start, own.start).join("") + (i.insertText ?? i.name) + chars.slice(own.end, end).join("");
  });
  return {
    status: "ok",
    matches,
    cursor_start: start,
    cursor_end: end,
    // JupyterLab's completer shows these types beside each match (ipykernel sends the same key).
    metadata: {
      _jupyter_types_experimental: items.map((i, n) => ({ start, end, text: matches[n], type: i.kind })),
    },
  };
}

/**
 * The declaration and doc comment of the name at the cursor. A cursor just after a name (`reader|`, the
 * usual case when Shift-Tab is pressed) is looked up one character back as well.
 */
export function inspect(engine: Engine, req: Contents["inspect_request"]): InspectReply {
  const at = req.cursor_pos;
  const info = engine.quickInfo({ code: req.code }, at, "code-point") ?? (at > 0 ? engine.quickInfo({ code: req.code }, at - 1, "code-point") : undefined);
  if (!info || (info.detail === "" && info.documentation === "")) return { status: "ok", found: false, data: {}, metadata: {} };
  const plain = info.documentation ? `${info.detail}\n\n${info.documentation}` : info.detail;
  const markdown = "```typescript\n" + info.detail + "\n```" + (info.documentation ? `\n\n${info.documentation}` : "");
  return { status: "ok", found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
}

export function isComplete(engine: Engine, req: Contents["is_complete_request"]): Contents["is_complete_reply"] {
  const r = engine.isComplete(req.code);
  return r.status === "incomplete" ? { status: "incomplete", indent: r.indent ?? "" } : { status: r.status };
}
