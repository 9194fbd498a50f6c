// A capture from a notebook cell (issue K), through Debian's jupyter_client: the cell's status line is one
// display (display_data with a display_id) updated in place (update_display_data) as events arrive; the
// stop button (interrupt_request) ends the capture cleanly and the cell still returns the EventFile. The
// file on disk, read here as plain JSON lines, is the oracle for the counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canCollect, createNetns } from "../collector/env.js";
import { havePython, runPython } from "./harness.js";

interface Message {
  type: string;
  display_id: string | null;
  text: string;
  html: boolean;
}

test("a cell's collect(): live status updated in place, the stop button returns the reader with the file complete", { timeout: 300_000 }, async (t) => {
  if (!havePython(t, ["jupyter_client"]) || !canCollect(t)) return;
  const env = createNetns("kcapk");
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), "kcap-kernel-")));
  try {
    const r = await runPython(["live-capture.py", cwd, env.a], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { messages: Message[]; status: string; interrupted: boolean; after: string; follow: unknown };
    const file = join(cwd, "live.data");
    const text = readFileSync(file, "utf8");
    assert.ok(text.endsWith("\n"), "the file ends with a whole line");
    const lines = text.split("\n").filter(Boolean);
    for (const l of lines) JSON.parse(l);
    const drops = lines.filter((l) => l.includes('"skb-drop":')).length;

    // one display, then updates of that same display
    const first = out.messages[0]!;
    assert.equal(first.type, "display_data");
    assert.ok(first.display_id, "the status line has a display_id");
    assert.ok(first.html);
    const updates = out.messages.filter((m) => m.type === "update_display_data");
    assert.ok(updates.every((u) => u.display_id === first.display_id));
    assert.ok(updates.some((u) => /^● capturing: [1-9][\d,]* events/.test(u.text)), "counts while running");
    assert.ok(out.interrupted, "the stop button was pressed while it ran");
    assert.equal(updates.at(-1)!.text.split(" → ")[0], `✓ captured: ${lines.length - 1} events · ${drops} drops · 0 lost · ${/· ([\d.]+) s/.exec(updates.at(-1)!.text)![1]} s`);
    assert.equal(updates.at(-1)!.text.split(" → ")[1], file);

    // the cell returned the reader, not an error
    assert.equal(out.status, "ok");
    assert.equal(out.messages.filter((m) => m.type === "error").length, 0);
    const result = out.messages.find((m) => m.type === "execute_result");
    assert.ok(result, "the cell has a result");
    assert.match(result.text, /EventFile/);
    assert.ok(result.text.includes(file));
    const after = JSON.parse(out.after);
    assert.equal(after.path, file);
    assert.equal(after.events, lines.length);
    assert.equal(after.stats.events, lines.length - 1);
    assert.equal(after.stats.drops, drops);
    assert.equal(after.stats.running, false);

    // a cell following its capture: the stop button ends the capture, the loop ends after the last event
    const follow = out.follow as { updates: string[]; result?: string; error?: string; status: string; interrupted: boolean };
    assert.ok(follow.interrupted);
    assert.equal(follow.status, "ok", follow.error);
    const followed = readFileSync(join(cwd, "follow.data"), "utf8").split("\n").filter(Boolean).length;
    assert.equal(follow.result, String(followed), "every line of the file, startup included, went through the loop");
    assert.equal(follow.updates.at(-1), `followed ${followed} events`);
  } finally {
    env.destroy();
    rmSync(cwd, { recursive: true, force: true });
  }
});
