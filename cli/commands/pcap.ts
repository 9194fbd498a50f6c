// `retis pcap [INPUT] [-p PROBE] [-o FILE] | -l`: the packets of a capture as pcapng, as Retis writes them
// (events/pcap/), for tcpdump, tshark or Wireshark. Without -p every probe's events are written.
import { closeSync, openSync, writeSync } from "node:fs";
import { PcapExport } from "../../events/pcap/export.js";
import { flag, parseOrHelp, str, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";
import { INPUT, openInput } from "../input.js";
import { parseAnyProbe } from "../../events/collect/probes.js";

export const spec: CommandSpec = {
  name: "retis pcap",
  about: "Generate a PCAP file from stored events.",
  options: [
    { long: "out", short: "o", takes: "required", valueName: "OUT", help: "Write the generated PCAP output to a file rather than stdout" },
    { long: "list-probes", short: "l", help: "List probes that are available in the input file" },
    { long: "probe", short: "p", takes: "required", valueName: "PROBE", help: "Filter events from this probe. Probes should follow the [TYPE:]TARGET pattern. See `retis collect --help` for more details on the probe format" },
  ],
  positionals: [INPUT],
};

/** Writes to a file descriptor, whole buffers at a time. */
function writeAll(fd: number, b: Buffer): void {
  for (let at = 0; at < b.length; ) at += writeSync(fd, b, at);
}

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const out = str(p, "out");
  if (flag(p, "list-probes") && out !== undefined) throw new UsageError("the argument '--list-probes' cannot be used with '--out <OUT>'");
  const file = openInput(p.positionals.INPUT);

  if (flag(p, "list-probes")) {
    const probes = new Set<string>();
    for (const e of file.events()) {
      if (e.kernel && e.packet) probes.add(`${e.kernel.probe_type}:${e.kernel.symbol}`);
    }
    if (probes.size === 0) throw new Error("Could not find any compatible probe in provided data set");
    console.log([...probes].sort().join("\n"));
    return 0;
  }

  const probeText = str(p, "probe");
  const probe = probeText === undefined ? undefined : parseAnyProbe(probeText);
  const selected = (type: string, symbol: string) => probe === undefined || (type === probe.type && symbol === probe.target);

  const exporter = new PcapExport();
  let fd: number | undefined;
  let matched = false;
  try {
    for (const e of file.events()) {
      if (e.startup !== undefined) {
        exporter.offset = e.startup.clock_monotonic_offset;
        continue;
      }
      const kernel = e.kernel;
      if (!kernel || !selected(kernel.probe_type, kernel.symbol)) continue;
      matched = true;
      for (const b of exporter.blocks(e)) {
        if (fd === undefined) {
          try {
            fd = out === undefined ? 1 : openSync(out, "w");
          } catch (err) {
            throw new Error(`Could not create or open '${out}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          }
        }
        writeAll(fd, b);
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EPIPE") return 0;
    throw err;
  } finally {
    if (fd !== undefined && fd !== 1) closeSync(fd);
  }
  if (!matched) throw new Error(probeText === undefined ? "No event from a kernel probe in the input" : `Probe not found in the events: ${probeText} (see retis pcap -l)`);
  const { processed, missingPacket } = exporter.stats;
  console.error(`retis: ${processed} event(s) were processed`);
  if (missingPacket > 0) console.error(`retis: warning: ${missingPacket} event(s) were skipped because of missing raw packet`);
  return 0;
}
