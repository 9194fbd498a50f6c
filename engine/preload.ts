// The globals every cell and script finds without importing anything: the events library's reader classes
// and `reader`, the capture being explored. Defined the same way in the evaluation thread (worker.ts) and in
// a script's process (script-run.ts).
import { inspect } from "node:util";

export interface LibrarySetup {
  /** The events library: a module URL or specifier (EngineOptions.library). */
  library: string;
  /** Capture path for `reader`; undefined = the default input in `cwd`; null = no `reader`. */
  input: string | null | undefined;
  cwd: string;
}

export function defineHidden(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
}

/**
 * Loads the events library and defines `EventFile`, `EventReader`, `SeriesReader`, `collect` and `reader`. A missing or
 * broken library does not stop anything (an editor needs no reader): `reader` then says why when used.
 */
export async function defineLibraryGlobals(setup: LibrarySetup): Promise<void> {
  let problem = "has no EventFile";
  const events = (await import(setup.library).catch((err: unknown) => {
    problem = (err as { code?: string }).code === "ERR_MODULE_NOT_FOUND" ? `is not built (${setup.library} is missing)` : `failed to load: ${String(err)}`;
    return undefined;
  })) as Record<string, unknown> | undefined;
  for (const name of ["EventFile", "EventReader", "SeriesReader", "collect"]) if (events?.[name]) defineHidden(name, events[name]);
  if (setup.input === null) return;
  // Opened on first use, so that a cell engine starts even where there is no capture yet.
  let opened: unknown;
  Object.defineProperty(globalThis, "reader", {
    configurable: true,
    enumerable: false,
    get() {
      if (opened === undefined) opened = openReader(events, problem, setup);
      return opened;
    },
    set(value: unknown) {
      defineHidden("reader", value);
    },
  });
}

function openReader(events: Record<string, unknown> | undefined, problem: string, setup: LibrarySetup): unknown {
  const EventFile = events?.EventFile as (new (path: string) => unknown) & { defaultInput?(cwd: string): unknown };
  if (!EventFile) throw new Error(`reader: the events library ${problem}`);
  if (typeof setup.input === "string") return new EventFile(setup.input);
  const found = EventFile.defaultInput?.(setup.cwd);
  if (typeof found === "string") return new EventFile(found);
  if (found) return found;
  throw new Error(`reader: no capture in ${setup.cwd} (retis.data, retis.data.0..); pass one with -i FILE`);
}

/** A value as text, for a terminal: its own Jupyter text/plain when it has one, else Node's inspection. */
export function plainText(value: unknown): string {
  try {
    const own = (value as Record<symbol, unknown> | null)?.[Symbol.for("Jupyter.display")];
    if (typeof own === "function") {
      const bundle = (own as () => Record<string, unknown> | undefined).call(value);
      if (bundle && typeof bundle["text/plain"] === "string") return bundle["text/plain"];
    }
  } catch {
    // A broken display method: fall back to Node's view of the value.
  }
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false });
}
