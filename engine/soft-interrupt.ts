// The stop button as Ctrl-C: code that listens for SIGINT (`process.on("SIGINT")`, as a script does to end
// cleanly on Ctrl-C — e.g. a running `collect()`, which then stops its collector and still resolves to the
// file) gets the interrupt as a SIGINT emitted in the evaluation thread, and the run is not cut short. Without
// such a listener the interrupt stops the run as before; a second press, once the listeners are gone (a
// capture removes its own on the first), does too.

/** Emits SIGINT in this thread when someone listens; true when it was delivered that way. */
export function deliverAsSigint(): boolean {
  if (process.listenerCount("SIGINT") === 0) return false;
  process.emit("SIGINT", "SIGINT");
  return true;
}
