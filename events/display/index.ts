// How events, series, packets and lists of events look in a notebook, through Deno's convention: an object
// with a `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle is shown as that bundle by the
// kernel (and by Deno's). Event, EventSeries and Packet delegate their method here; the kernel's formatter
// uses the list renderer for arrays of events.
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
export { eventBundle, eventHtml } from "./event.js";
export { dropReason, eventsBundle, isEventLike, MAX_ROWS, probeName, seriesBundle, timelineRows } from "./list.js";
export { hexDump, packetBundle, packetHtml } from "./packet.js";
