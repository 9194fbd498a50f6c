// The options of every command that prints events as text (print, sort, collect --print), as Retis's:
// --format, --utc, -e. Apart from input.ts so that `retis collect` gets them without loading the library.
import type { FormatOptions } from "../typings/index.js";
import { flag, str, type OptionSpec, type Parsed } from "./args.js";

/** Options every text-printing command takes, as Retis's print: --format, --utc, -e. */
export const TEXT_OPTIONS: OptionSpec[] = [
  { long: "format", takes: "required", valueName: "FORMAT", choices: ["multi-line", "single-line"], default: "multi-line", help: "Format used when printing an event" },
  { long: "utc", help: "Print the time as UTC" },
  { long: "print-link-layer", short: "e", noLong: true, help: "Print link-layer information from the packet" },
];

/** `--changes` of the commands that print series (sort, print of a sorted file): what changed under each hop. */
export const CHANGES_OPTION: OptionSpec = {
  long: "changes",
  help: "Under each event of a series, print what changed since the previous ones: addresses and ports (NAT), ttl, len, vlan, tunnel headers, device, namespace, conntrack state, status and mark (not in Retis)",
};

export function formatOptions(p: Parsed): FormatOptions {
  // --changes is false where a command does not declare it (collect prints events, not series).
  return { format: str(p, "format") as "multi-line" | "single-line", utc: flag(p, "utc"), linkLayer: flag(p, "print-link-layer"), changes: flag(p, "changes") };
}
