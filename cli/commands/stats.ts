// `retis stats [INPUT]`: what a capture holds — version, command line, counts, time span, probes, drops.
import { formatTimestamp } from "../../events/format/time.js";
import type { Event } from "../../events/index.js";
import type { TimeSpec } from "../../typings/index.js";
import { openInput, Output, parseOptions, Progress } from "../input.js";

const USAGE = "usage: retis stats [INPUT]";

function countDescending(map: Map<string, number>): string[] {
  return [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `  ${k}: ${n}`);
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { help: { type: "boolean", short: "h" } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = openInput(positionals[0]);
  const startup = file.startup();
  let events = 0;
  let series = 0;
  let first: bigint | undefined;
  let last: bigint | undefined;
  const probes = new Map<string, number>();
  const drops = new Map<string, number>();
  const progress = new Progress("reading");
  const count = (e: Event) => {
    // Every command reads every section (README, "Strict reading"): a bad line is refused by all alike.
    e.parseAll();
    if (e.startup !== undefined) return;
    events++;
    const ts = e.common.timestamp;
    if (first === undefined || ts < first) first = ts;
    if (last === undefined || ts > last) last = ts;
    const probe = e.kernel ?? e.userspace;
    if (probe) probes.set(`${probe.probe_type}/${probe.symbol}`, (probes.get(`${probe.probe_type}/${probe.symbol}`) ?? 0) + 1);
    const drop = e.skb_drop;
    if (drop) {
      const reason = drop.reason();
      drops.set(reason, (drops.get(reason) ?? 0) + 1);
    }
    progress.tick(events);
  };
  if (file.sorted()) {
    for (const s of file.series()) {
      if (!s.every((e) => e.startup !== undefined)) series++;
      s.forEach(count);
    }
  } else for (const e of file.events()) count(e);
  progress.done();
  const offset: TimeSpec = startup.clock_monotonic_offset;
  const lines = [`Retis version: ${startup.retis_version}`, `Retis cmdline: ${startup.cmdline}`];
  if (startup.split_file !== undefined) lines.push(`Split index: ${startup.split_file.id}`);
  if (file.sorted()) lines.push(`Number of series: ${series}`);
  lines.push(`Number of events: ${events}`);
  if (first !== undefined && last !== undefined) {
    lines.push(`First event at: ${formatTimestamp(first, true, offset)}`, `Last event at: ${formatTimestamp(last, true, offset)}`);
  }
  lines.push("Probes:", ...countDescending(probes));
  if (drops.size > 0) lines.push("Drop reasons:", ...countDescending(drops));
  // A checked write: console.log would drop a failed write silently.
  const out = new Output();
  out.write(`${lines.join("\n")}\n`);
  out.flush();
  return 0;
}
