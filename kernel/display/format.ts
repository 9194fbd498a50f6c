// Value → MIME bundle, for a cell's result and for display(x). Pure: the same value always gives the
// same bundle, and nothing is sent anywhere. `undefined` means "nothing special": the engine shows its
// own text/plain. How events look is events/'s: an Event, an EventSeries and a packet display themselves
// (Deno's `Symbol.for("Jupyter.display")`), and events/display/ renders a list of events.
import type { MimeBundle } from "../../engine/index.js";
import { eventsBundle, isEventLike } from "../../events/display/index.js";

/** Deno's convention: `[Symbol.for("Jupyter.display")]()` returns a bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export function format(value: unknown): MimeBundle | undefined {
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    const method = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
    if (typeof method === "function") {
      const bundle: unknown = method.call(value);
      if (typeof bundle === "object" && bundle !== null && !Array.isArray(bundle)) return bundle as MimeBundle;
    }
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isEventLike)) return eventsBundle(value);
  return undefined;
}
