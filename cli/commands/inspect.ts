// `retis inspect -p [PATTERN]`: what can be probed. Lists the kernel's tracepoints carrying an skb as
// tp:GROUP:NAME, filtered by a glob (default 'tp:*'); the collector reads them from the kernel's BTF.
import { spawnSync } from "node:child_process";
import { UsageError } from "../errors.js";
import { requireCollector } from "./collect.js";

const USAGE = `usage: retis inspect -p [PATTERN]

  -p, --probe PATTERN  list probe targets matching a glob, e.g. 'tp:*' or 'tp:net:*' (default 'tp:*')`;

export async function run(args: string[]): Promise<number> {
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return 0;
    }
    if (a === "-p" || a === "--probe") {
      const next = args[i + 1];
      pattern = next !== undefined && !next.startsWith("-") ? args[++i]! : "tp:*";
    } else if (a.startsWith("--probe=")) pattern = a.slice(8);
    else throw new UsageError(`unknown option '${a}'\n${USAGE}`);
  }
  if (pattern === undefined) throw new UsageError(`nothing to inspect\n${USAGE}`);
  // kprobes do not exist on this kind of kernel: only tracepoints can be listed
  if (/^(k|kr|kprobe|kretprobe):/.test(pattern)) {
    console.error("retis: kprobes are not available with this collector, only tracepoints (tp:GROUP:NAME)");
    return 1;
  }
  const glob = pattern.includes(":") ? pattern : `tp:${pattern}`;
  const r = spawnSync(requireCollector(), ["--inspect", glob], { stdio: "inherit" });
  if (r.error) throw new Error(`could not run the collector: ${r.error.message}`);
  return r.status ?? 1;
}
