// `retis inspect -p [PATTERN]`: what can be probed. Lists the kernel's tracepoints carrying an skb as
// tp:GROUP:NAME, filtered by a glob (default 'tp:*'); the collector reads them from the kernel's BTF.
import { spawnSync } from "node:child_process";
import { parseOrHelp, str, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";
import { parseAnyProbe } from "../../events/collect/probes.js";
import { requireCollector } from "../../events/collect/options.js";

export const spec: CommandSpec = {
  name: "retis inspect",
  about: "Inspect the current machine: list what can be probed.",
  options: [
    { long: "probe", short: "p", takes: "optional", valueName: "PATTERN", missing: "tp:*", help: "List probe targets matching a [TYPE:]PATTERN glob, e.g. 'tp:*' or 'tp:net:*' (default 'tp:*'). Only tracepoints carrying an skb exist here." },
  ],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  const pattern = str(p, "probe");
  if (pattern === undefined) throw new UsageError("nothing to inspect: give -p [PATTERN] (see retis inspect --help)");
  const probe = parseAnyProbe(pattern);
  if (probe.type !== "raw_tracepoint") {
    // say why, rather than list nothing: a bare name is a kprobe for Retis
    const how = pattern.includes(":") ? "" : ` ('${pattern}' has no TYPE and no single ':', so Retis reads it as a kprobe)`;
    console.error(`retis: no ${probe.type} can be listed: ${probe.type === "usdt" ? "USDT probes are not supported here" : "kprobes are not available on this kernel"}${how}; tracepoints are listed with -p 'tp:GROUP:NAME' (wildcards allowed)`);
    return 1;
  }
  const r = spawnSync(requireCollector(), ["--inspect", `tp:${probe.target}`], { encoding: "utf8" });
  if (r.error) throw new Error(`could not run the collector: ${r.error.message}`);
  process.stderr.write(r.stderr);
  process.stdout.write(r.stdout);
  if (r.stdout.trim().length === 0 && r.stderr.trim().length === 0) {
    console.error(`retis: no tracepoint carrying an skb matches 'tp:${probe.target}' (see retis inspect -p 'tp:*')`);
    return 1;
  }
  return r.status ?? 1;
}
