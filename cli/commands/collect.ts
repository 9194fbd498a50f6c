// `retis collect [options]`: Retis's collect options, parsed here and translated by the library's one owner of
// that translation (events/collect/options.ts, also behind `collect()`), then the native collector (collector/,
// C + libbpf) run as a child process with its own flags. The collector writes the Retis file itself; with
// --print (or without --out, as Retis prints then) this side renders each event as it arrives.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { CollectOptions } from "../../typings/index.js";
import { ATTACHED, ATTACHED_OLD, COLLECTORS, planCollect, requireCollector, SKB_SECTIONS } from "../../events/collect/options.js";
import { mountTracefs } from "../../events/collect/tracefs.js";
import { flag, list, parseOrHelp, str, type CommandSpec, type Parsed } from "../args.js";
import type { Globals } from "../globals.js";
import { formatOptions, TEXT_OPTIONS } from "../text-options.js";

export const spec: CommandSpec = {
  name: "retis collect",
  about: `Collect events.

The collect sub-command uses "collectors" to retrieve data and emit events. Collectors extract data from different places of the kernel using eBPF. The list of enabled collectors can be configured using the --collectors argument. Here the native collector (collector/) runs on kernel tracepoints only: kprobes, and the ovs and nft collectors that need them, are not available on this kernel.`,
  options: [
    { long: "collectors", short: "c", takes: "required", valueName: "COLLECTORS", delimiter: ",", multiple: true, choices: COLLECTORS, default: ["auto"], help: "Comma-separated list of collectors to enable.\n\nIf 'auto' is in the list, all collectors not explicitly added are enabled if their prerequisites are met." },
    { long: "probe", short: "p", takes: "required", valueName: "PROBE", multiple: true, help: "Add a probe on the given target. Can be used multiple times. Probes follow the [TYPE:]TARGET[/OPTIONS] pattern.\n\nWhen TYPE is not given it is 'kprobe', except if a single ':' is found in TARGET, in which case it is 'raw_tracepoint'. Valid TYPEs: kprobe | k, kretprobe | kr (not available on this kernel), raw_tracepoint | tp. Wildcards (*) can be used, e.g. \"tp:skb:*\". OPTIONS: stack (stack traces for this probe, as --stack).\n\nWithout --probe, --profile and explicit --collectors, tp:net:netif_receive_skb and tp:net:net_dev_start_xmit are used." },
    { long: "filter-packet", short: "f", takes: "required", valueName: "FILTER-PACKET", help: "Add a packet filter to all targets. The syntax follows the structure of pcap-filter(7).\n\nExample: --filter-packet \"ip dst host 10.0.0.1\"" },
    { long: "filter-meta", short: "m", takes: "required", valueName: "FILTER-META", help: "Add a meta filter to all targets: a field within a kernel structure compared to a value.\n\nsk_buff.member1.[...].memberN.member_leaf [==|!=|<|<=|>|>=] value\n\nWith value ::= \"string\" | number; '==' is the only operator valid for strings (char arrays and char pointers).\n\nExamples:\n--filter-meta 'sk_buff.dev.name == \"eth0\"'\n--filter-meta 'sk_buff.dev.nd_net.net.ns.inum == 4026531840'" },
    { long: "out", short: "o", takes: "optional", valueName: "OUT", missing: "retis.data", help: "Write the events to a file rather than to stdout. If the flag is used without a file name, defaults to \"retis.data\"." },
    { long: "out-rotate", takes: "required", valueName: "LIMIT", help: "Rotate the output file (see --out) once LIMIT is reached: a size in bytes with a unit (MB, GB), e.g. '--out-rotate 64MB'. The file names are <OUT>.X, X from 0." },
    { long: "print", help: "Write the events to stdout even if --out is used." },
    { long: "stack", help: "Include stack traces in the kernel events." },
    ...TEXT_OPTIONS,
    { long: "probe-stack", help: "Add probes at runtime on the functions seen in stack traces (kprobes: not available on this kernel)." },
    { long: "cmd", takes: "required", valueName: "CMD", help: "Execute a command (through a shell) once the probes are attached and terminate the collection once it exits." },
    { long: "allow-system-changes", help: "Allow the tool to set up the system changes needed for tracing: mounting tracefs on /sys/kernel/tracing if it is not mounted (unmounted when the collection stops)." },
    { long: "kconf", takes: "required", valueName: "KCONF", help: "Path to kernel configuration (e.g. /boot/config-6.3.8-200.fc38.x86_64; default: auto-detect)" },
    { long: "skb-sections", takes: "required", valueName: "SKB_SECTIONS", delimiter: ",", multiple: true, choices: SKB_SECTIONS, help: "collector 'skb': comma separated list of extra information to collect from skbs: meta (len, data_len, hash…), dataref (cloned, users, data refs…), gso, all. The packet, dev and ns sections are always retrieved; eth, arp, ip, tcp, udp, icmp are part of the raw packet and ignored." },
    { long: "ovs-track", help: "collector 'ovs': not available on this kernel" },
    { long: "ovs-enrich-flows", help: "collector 'ovs': not available on this kernel" },
    { long: "nft-verdicts", takes: "required", valueName: "NFT_VERDICTS", help: "collector 'nft': not available on this kernel" },
    // Beyond Retis: the collector's own limits and switches.
    { long: "stop-after", takes: "required", valueName: "N", help: "Stop after N events (not in Retis)" },
    { long: "timeout", takes: "required", valueName: "SECONDS", help: "Stop after this many seconds (not in Retis)" },
    { long: "out-rotate-count", short: "R", takes: "required", valueName: "N", help: "Keep only the last N split files (not in Retis)" },
    { long: "netns", takes: "required", valueName: "NS", multiple: true, help: "Only packets seen in this network namespace: inode, name or path (not in Retis)" },
    { long: "ifindex", takes: "required", valueName: "N", multiple: true, help: "Only packets seen on this interface index (not in Retis)" },
    { long: "raw-tp", help: "Use raw tracepoints instead of BTF-typed ones (not in Retis)" },
    { long: "user-filter", help: "Run --filter-packet in user space (libpcap) instead of in the kernel (not in Retis)" },
    { long: "verbose", short: "v", help: "Show libbpf's own messages (not in Retis)" },
  ],
};

/** Retis's options as parsed from the command line, for the one translation (events/collect/options.ts). */
export function collectOptions(p: Parsed): CollectOptions {
  return {
    collectors: list(p, "collectors").join(","),
    probes: list(p, "probe"),
    filter: str(p, "filter-packet"),
    metaFilter: str(p, "filter-meta"),
    out: str(p, "out"),
    outRotate: str(p, "out-rotate"),
    outRotateCount: str(p, "out-rotate-count"),
    stack: flag(p, "stack"),
    skbSections: list(p, "skb-sections").join(","),
    cmd: str(p, "cmd"),
    stopAfter: str(p, "stop-after"),
    timeout: str(p, "timeout"),
    netns: list(p, "netns"),
    ifindex: list(p, "ifindex"),
    rawTp: flag(p, "raw-tp"),
    userFilter: flag(p, "user-filter"),
    verbose: flag(p, "verbose"),
    allowSystemChanges: flag(p, "allow-system-changes"),
    kconf: str(p, "kconf"),
    probeStack: flag(p, "probe-stack"),
    ovsTrack: p.given.has("ovs-track"),
    ovsEnrichFlows: p.given.has("ovs-enrich-flows"),
    nftVerdicts: str(p, "nft-verdicts"),
  };
}

/** The collector's arguments for a parsed `retis collect` command line. */
export function collectorArgs(p: Parsed, globals: Globals, binary: () => string, argv: readonly string[]): { args: string[]; print: boolean } {
  const print = str(p, "out") === undefined || flag(p, "print");
  const plan = planCollect(collectOptions(p), {
    spelling: "cli",
    profiles: globals.profiles.length > 0,
    binary,
    cmdline: ["retis", ...argv].join(" "),
    defaultOut: undefined,
    print,
    kconf: globals.kconf,
  });
  return { args: plan.args, print };
}

type Render = (line: string) => string | undefined;

/** Retis's text for one JSON line (nothing for the startup event); the raw line if it cannot be read. */
async function renderer(p: Parsed): Promise<Render> {
  const events = await import("../../events/index.js");
  const options = formatOptions(p);
  const blank = options.format === "multi-line" ? "\n" : "";
  let offset: import("../../typings/index.js").TimeSpec | undefined;
  return (line) => {
    try {
      const e = events.eventFromLine(line);
      if (e.startup !== undefined) {
        offset = e.startup.clock_monotonic_offset;
        return undefined;
      }
      return `${e.format({ ...options, monotonicOffset: offset })}\n${blank}`;
    } catch {
      return `${line}\n`;
    }
  };
}

function runCmd(cmd: string): ChildProcess {
  return spawn("/bin/sh", ["-c", cmd], { stdio: ["ignore", "inherit", "inherit"] });
}

export async function run(args: string[], globals: Globals = { profiles: [], logLevel: "info" }): Promise<number> {
  const p = parseOrHelp(spec, args);
  if (!p) return 0;
  // every check first: a mistake is reported even where the collector is not built
  const { args: childArgs, print } = collectorArgs(p, globals, requireCollector, process.argv.slice(2));
  const binary = requireCollector();
  const unmount = flag(p, "allow-system-changes") ? mountTracefs() : undefined;
  try {
    return await collect(binary, childArgs, print ? await renderer(p) : undefined, str(p, "cmd"));
  } finally {
    unmount?.();
  }
}

async function collect(binary: string, childArgs: string[], render: Render | undefined, cmd: string | undefined): Promise<number> {
  const child = spawn(binary, childArgs, { stdio: ["ignore", render ? "pipe" : "inherit", "pipe"] });
  // A terminal's Ctrl-C reaches the collector too; a kill aimed at us only is passed on. Either way we wait
  // for the collector to drain its ring buffer and close the file.
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);

  let command: ChildProcess | undefined;
  const stderrDone = (async () => {
    for await (const line of createInterface({ input: child.stderr!, crlfDelay: Infinity })) {
      const attached = line === ATTACHED || ATTACHED_OLD.test(line);
      if (line !== ATTACHED) process.stderr.write(`${line}\n`);
      if (attached && cmd !== undefined && command === undefined) {
        command = runCmd(cmd);
        command.once("exit", () => {
          if (child.exitCode === null) child.kill("SIGINT");
        });
      }
    }
  })();

  // `retis collect | head`: once the reader is gone the collection ends as after Ctrl-C
  let readerGone = false;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    readerGone = true;
    if (child.exitCode === null) child.kill("SIGINT");
  });
  const printed = (async () => {
    if (!render || !child.stdout) return;
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (line.length === 0) continue;
      const text = render(line);
      if (readerGone) continue;
      if (text !== undefined && !process.stdout.write(text)) {
        await new Promise((ok) => process.stdout.once("drain", ok));
      }
    }
  })();

  const code = await new Promise<number>((ok, fail) => {
    child.once("error", (err) => fail(new Error(`could not start the collector ${binary}: ${err.message}`)));
    child.once("close", (status, signal) => ok(status ?? (signal ? 128 + (signalNumber[signal] ?? 0) : 1)));
  });
  await Promise.all([printed, stderrDone]);
  // the collection ended first (an error, --timeout): the command does not outlive it
  if (command && command.exitCode === null && command.signalCode === null) command.kill("SIGTERM");
  process.off("SIGINT", onInt);
  process.off("SIGTERM", onTerm);
  return code;
}

const signalNumber: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
