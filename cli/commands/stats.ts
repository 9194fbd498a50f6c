// `retis stats [INPUT]`: what a capture holds, as Retis prints it — one block per file of a split set
// (`retis.data.0..`), each with its split index, counts, first/last event and probes. Drop reasons are an
// addition of this implementation.
import { formatTimestamp } from "../../events/format/time.js";
import type { Event } from "../../events/index.js";
import type { StartupEvent } from "../../typings/index.js";
import { parseOrHelp, type CommandSpec } from "../args.js";
import { INPUT, openInput, Output, Progress } from "../input.js";

export const spec: CommandSpec = { name: "retis stats", about: "Print information about a capture.", options: [], positionals: [INPUT] };

function countDescending(map: Map<string, number>): string[] {
  return [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `  ${k}: ${n}`);
}

/** The statistics of one file of the capture (Retis's FileStats). */
class FileStats {
  events = 0;
  series = 0;
  first: bigint | undefined;
  last: bigint | undefined;
  readonly probes = new Map<string, number>();
  readonly drops = new Map<string, number>();
  readonly errors = new Map<string, number>();

  constructor(readonly startup: StartupEvent) {}

  add(e: Event): void {
    if (e.startup !== undefined) return;
    const probe = e.kernel ?? e.userspace;
    if (!probe) {
      const error = "Invalid event: no kernel or userspace section";
      this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
      return;
    }
    const name = `${probe.probe_type}/${probe.symbol}`;
    this.probes.set(name, (this.probes.get(name) ?? 0) + 1);
    const ts = e.common.timestamp;
    this.first ??= ts;
    if (this.last === undefined || ts > this.last) this.last = ts;
    const drop = e.skb_drop;
    if (drop) this.drops.set(drop.reason(), (this.drops.get(drop.reason()) ?? 0) + 1);
    this.events++;
  }

  lines(): string[] {
    const out: string[] = [];
    const common = [`Retis version: ${this.startup.retis_version}`, `Retis cmdline: ${this.startup.cmdline}`];
    const split = this.startup.split_file;
    if (split !== undefined) {
      if (split.id === 0) out.push(...common);
      out.push("", `Split index: ${split.id}`);
    } else out.push(...common);
    if (this.series > 0) out.push(`Number of series: ${this.series}`);
    out.push(`Number of events: ${this.events}`);
    const offset = this.startup.clock_monotonic_offset;
    if (this.first !== undefined) out.push(`First event at: ${formatTimestamp(this.first, true, offset)}`);
    if (this.last !== undefined) out.push(`Last event at: ${formatTimestamp(this.last, true, offset)}`);
    if (this.probes.size > 0) out.push("Probes:", ...countDescending(this.probes));
    if (this.drops.size > 0) out.push("Drop reasons:", ...countDescending(this.drops));
    if (this.errors.size > 0) out.push("Errors:", ...countDescending(this.errors));
    return out;
  }
}

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const file = openInput(p.positionals.INPUT);
  const files: FileStats[] = [];
  const progress = new Progress("reading");
  let n = 0;
  // Every command reads every section (README, "Strict reading"), the startup event's too: a bad line is
  // refused by all alike.
  if (file.sorted()) {
    // sorted files are never split: one block
    const stats = new FileStats(file.startup());
    files.push(stats);
    for (const s of file.series()) {
      for (const e of s) e.parseAll();
      if (s.every((e) => e.startup !== undefined)) continue;
      stats.series++;
      s.forEach((e) => stats.add(e));
      progress.tick(++n);
    }
  } else {
    for (const e of file.events()) {
      e.parseAll();
      // Each file of a split set opens with its startup event (detection requires it of the first).
      if (e.startup !== undefined) files.push(new FileStats(e.startup));
      else files.at(-1)!.add(e);
      progress.tick(++n);
    }
  }
  progress.done();
  // A checked write: console.log would drop a failed write silently.
  const out = new Output();
  out.write(`${files.flatMap((f) => f.lines()).join("\n")}\n`);
  out.flush();
  return 0;
}
