// A live status line for every capture a cell starts (`collect({...})`, global or imported): one display
// updated in place (display_data with a display_id, then update_display_data) with events, drops, losses and
// elapsed time, ending with where the file is — or why the capture failed.
import type { Capture, CaptureStats } from "../../typings/index.js";
import { observeCaptures } from "../../events/index.js";

type Show = (value: unknown) => { update(value: unknown): void };

const DISPLAY = Symbol.for("Jupyter.display");
const count = (n: number) => n.toLocaleString("en-US");

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The status as text and HTML. */
export function statusLine(stats: CaptureStats, out: string, outcome?: { error?: string; file?: string }): object {
  const counts = `${count(stats.events)} events · ${count(stats.drops)} drops · ${count(stats.lost)} lost · ${stats.elapsed.toFixed(1)} s`;
  let head: string;
  let tail = "";
  if (outcome?.error !== undefined) {
    head = "✗ capture failed";
    tail = ` — ${outcome.error}`;
  } else if (!stats.running || outcome?.file !== undefined) {
    head = "✓ captured";
    tail = ` → ${outcome?.file ?? out}`;
  } else {
    head = stats.elapsed === 0 ? "… starting capture" : "● capturing";
    tail = stats.elapsed === 0 ? ` → ${out}` : " (stop: interrupt the kernel)";
  }
  const text = `${head}: ${counts}${tail}`;
  const lostStyle = stats.lost > 0 ? "color:#b00;font-weight:bold" : "";
  const html =
    `<div class="retis-capture-status" style="font-family:monospace">` +
    `<b>${escape(head)}</b>: ${count(stats.events)} events · ${count(stats.drops)} drops · ` +
    `<span style="${lostStyle}">${count(stats.lost)} lost</span> · ${stats.elapsed.toFixed(1)} s${escape(tail)}</div>`;
  return { [DISPLAY]: () => ({ "text/plain": text, "text/html": html }), toString: () => text };
}

/** From now on, every capture started in this thread shows its status through `show`. */
export function showCaptureStatus(show: Show): () => void {
  return observeCaptures((cap: Capture) => {
    const handle = show(statusLine(cap.stats, cap.out));
    const off = cap.onStats((stats) => {
      if (stats.running) handle.update(statusLine(stats, cap.out));
    });
    cap.then(
      (file) => {
        off();
        handle.update(statusLine(cap.stats, cap.out, { file: file.path }));
      },
      (err: unknown) => {
        off();
        handle.update(statusLine(cap.stats, cap.out, { error: err instanceof Error ? err.message : String(err) }));
      },
    );
  });
}
