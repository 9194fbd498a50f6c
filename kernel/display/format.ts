// Value → MIME bundle, for a cell's result and for display(x). Pure: the same value always gives the
// same bundle, and nothing is sent anywhere. `undefined` means "nothing special": the engine shows its
// own text/plain.
import type { MimeBundle } from "../../engine/index.js";
import { eventBundle, eventsTableBundle, isEvent, isSeries, seriesBundle } from "./events.js";

/** Deno's convention, also used by Event, EventSeries and plots: `[Symbol.for("Jupyter.display")]()` returns a bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** Arrays longer than this are shown as their first rows and a count, so a stray `events` does not flood the page. */
export const MAX_ROWS = 200;

export function format(value: unknown): MimeBundle | undefined {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    const method = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
    if (typeof method === "function") {
      const bundle: unknown = method.call(value);
      if (typeof bundle === "object" && bundle !== null && !Array.isArray(bundle)) return bundle as MimeBundle;
    }
  }
  if (isSeries(value)) return seriesBundle(value);
  if (isEvent(value)) return eventBundle(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isEvent)) {
    if (value.length <= MAX_ROWS) return eventsTableBundle(value);
    const shown = eventsTableBundle(value.slice(0, MAX_ROWS));
    const more = `… ${value.length - MAX_ROWS} more events (${value.length} in all)`;
    return { "text/plain": `${shown["text/plain"]}\n${more}`, "text/html": `${shown["text/html"]}\n<p>${more}</p>` };
  }
  return undefined;
}
