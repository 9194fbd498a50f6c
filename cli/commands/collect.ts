// `retis collect [options]`: Retis's collect options, checked here, then the native collector (collector/,
// C + libbpf) run as a child process with its own flags. The collector writes the Retis file itself; with
// --print (or without --out, as Retis prints then) this side renders each event as it arrives.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { flag, list, parseOrHelp, str, type CommandSpec, type Parsed } from "../args.js";
import { UsageError } from "../errors.js";
import type { Globals } from "../globals.js";
import { checkMetaFilter } from "../meta-filter.js";
import { parseProbe } from "../probes.js";
import { formatOptions, TEXT_OPTIONS } from "../text-options.js";

/** The package root: this file is dist/cli/commands/collect.js. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where `make -C collector` puts the binary; RETIS_COLLECTOR overrides it. */
export function collectorPath(): string {
  return process.env.RETIS_COLLECTOR ?? resolve(packageRoot, "collector/.output/retis-collector");
}

/** The collector binary, or a one-line error saying how to build it. */
export function requireCollector(): string {
  const path = collectorPath();
  if (!existsSync(path)) {
    throw new Error(`the native collector is not built (${path} is missing): run 'make -C collector' or ./install.sh`);
  }
  return path;
}

/** Retis's collector names; those this kernel cannot run are refused with the reason. */
const COLLECTORS = ["auto", "skb-tracking", "skb", "skb-drop", "ovs", "nft", "ct", "dev", "ns"] as const;
const UNAVAILABLE: Record<string, string> = {
  ovs: "the ovs collector needs Open vSwitch's kernel datapath and kprobes (ovs_dp_upcall, ovs_execute_actions), which this kernel does not have",
  nft: "the nft collector needs a kprobe on __nft_trace_packet, and kprobes are not available on this kernel",
};
/** Retis's --skb-sections values: these three select sections, "all" every one, the rest are ignored. */
const SKB_SECTIONS = ["all", "eth", "meta", "dataref", "gso", "arp", "ip", "tcp", "udp", "icmp", "packet", "vlan", "dev", "ns"] as const;
const SKB_DEPRECATED = new Set(["arp", "ip", "tcp", "udp", "icmp", "packet", "vlan", "dev", "ns"]);

/** The line the collector prints on stderr once every probe is attached (--cmd waits for it). */
const ATTACHED = "retis-collector: attached";
/** What older collectors print at the same point. */
const ATTACHED_OLD = /^retis: collecting events/;

/** The tracepoints Retis uses when nothing else asks for probes. */
const DEFAULT_PROBES = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"];

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

/** `--out-rotate` as Retis reads it: `(\d+)(M|G)B` anywhere in the value, MB = 10^6 bytes; at most u64. */
export function rotateLimit(text: string): bigint {
  const m = /(\d+)(M|G)B/.exec(text);
  if (!m) throw new UsageError(`invalid --out-rotate '${text}': expected a size with a unit, e.g. 64MB or 1GB`);
  const bytes = BigInt(m[1]!) * (m[2] === "M" ? 1_000_000n : 1_000_000_000n);
  if (bytes === 0n) throw new UsageError(`invalid --out-rotate '${text}': the size must not be 0`);
  if (bytes >= 1n << 64n) throw new UsageError(`invalid --out-rotate '${text}': ${m[1]}${m[2]}B does not fit in 64 bits of bytes`);
  return bytes;
}

function positiveInteger(name: string, text: string, what: string): string {
  if (!/^\d+$/.test(text) || BigInt(text) === 0n || BigInt(text) >= 1n << 64n) {
    throw new UsageError(`invalid ${name} '${text}': expected ${what}`);
  }
  return text;
}

function positiveSeconds(text: string): string {
  const v = Number(text);
  if (!/^\s*[0-9.eE+]+\s*$/.test(text) || !Number.isFinite(v) || v <= 0) {
    throw new UsageError(`invalid --timeout '${text}': expected a positive number of seconds`);
  }
  return text;
}

function checkKconf(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new UsageError(`could not read the kernel configuration --kconf '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Tracepoints matching a wildcard probe, from the collector's own BTF listing. */
function expandWildcard(binary: () => string, text: string, target: string, stack: boolean): string[] {
  const r = spawnSync(binary(), ["--inspect", `tp:${target}`], { encoding: "utf8", timeout: 30_000 });
  if (r.error) throw new Error(`could not run the collector: ${r.error.message}`);
  const found = r.stdout.split("\n").filter((l) => l.startsWith("tp:"));
  if (found.length === 0) throw new UsageError(`invalid probe '${text}': no tracepoint carrying an skb matches tp:${target}`);
  return found.map((p) => (stack ? `${p}/stack` : p));
}

/** The collector's arguments for Retis's options; every check that can be made here is made here. */
export function collectorArgs(p: Parsed, globals: Globals, binary: () => string, argv: readonly string[]): { args: string[]; print: boolean } {
  const out: string[] = [];
  const collectors = list(p, "collectors");
  for (const c of collectors) {
    if (UNAVAILABLE[c]) throw new UsageError(`collector '${c}' is not available: ${UNAVAILABLE[c]}`);
  }
  const auto = collectors.includes("auto");
  for (const o of ["ovs-track", "ovs-enrich-flows", "nft-verdicts"]) {
    if (p.given.has(o)) throw new UsageError(`--${o} is an option of the ${o.startsWith("ovs") ? "ovs" : "nft"} collector: ${UNAVAILABLE[o.startsWith("ovs") ? "ovs" : "nft"]}`);
  }
  if (flag(p, "probe-stack")) throw new UsageError("--probe-stack adds kprobes at run time on the functions seen in stack traces: kprobes are not available on this kernel");

  let probes: string[] = [];
  for (const text of list(p, "probe")) {
    const probe = parseProbe(text);
    const spelled = `tp:${probe.target}${probe.stack ? "/stack" : ""}`;
    probes.push(...(probe.target.includes("*") ? expandWildcard(binary, text, probe.target, probe.stack) : [spelled]));
  }
  probes = [...new Set(probes)];
  if (probes.length === 0) {
    // Retis: default probes only without -p, without a profile and with the collectors left to auto;
    // otherwise only what the collectors install themselves (skb-drop: tp:skb:kfree_skb).
    if (auto && globals.profiles.length === 0) probes = DEFAULT_PROBES;
    else if (auto || collectors.includes("skb-drop")) probes = ["tp:skb:kfree_skb"];
    else throw new UsageError("No probe was enabled: with --collectors and no --probe, Retis adds no default probes (add -p tp:GROUP:NAME)");
  }
  for (const probe of probes) out.push("-p", probe);
  out.push("-c", collectors.join(","));

  const sections = list(p, "skb-sections");
  for (const s of sections.filter((x) => SKB_DEPRECATED.has(x))) console.error(`retis: warning: Use of '${s}' in --skb-sections is deprecated`);
  const kept = sections.filter((x) => x === "all" || x === "meta" || x === "dataref" || x === "gso");
  if (kept.length > 0) out.push("--skb-sections", [...new Set(kept)].join(","));

  const packetFilter = str(p, "filter-packet");
  if (packetFilter !== undefined) {
    if (packetFilter.trim().length === 0) throw new UsageError("invalid --filter-packet '': expected a pcap-filter(7) expression");
    out.push("-f", packetFilter);
  }
  const metaFilter = str(p, "filter-meta");
  if (metaFilter !== undefined) {
    checkMetaFilter(metaFilter);
    out.push("--filter-meta", metaFilter);
  }
  if (flag(p, "stack")) out.push("--stack");

  const file = str(p, "out");
  const rotate = str(p, "out-rotate");
  if (rotate !== undefined) {
    rotateLimit(rotate);
    if (file === undefined) throw new UsageError("the argument '--out-rotate <LIMIT>' requires '--out [<OUT>]'");
    out.push("--out-rotate", rotate);
  }
  const count = str(p, "out-rotate-count");
  if (count !== undefined) {
    if (rotate === undefined) throw new UsageError("--out-rotate-count requires --out-rotate");
    out.push("-R", positiveInteger("--out-rotate-count", count, "a positive number of files"));
  }
  // Retis writes nowhere but stdout without --out; the collector always writes a file, here none.
  out.push("-o", file ?? "/dev/null");

  const stopAfter = str(p, "stop-after");
  if (stopAfter !== undefined) out.push("--stop-after", positiveInteger("--stop-after", stopAfter, "a positive number of events"));
  const timeout = str(p, "timeout");
  if (timeout !== undefined) out.push("--timeout", positiveSeconds(timeout));
  for (const ns of list(p, "netns")) out.push("--netns", ns);
  for (const i of list(p, "ifindex")) out.push("--ifindex", i);
  if (flag(p, "raw-tp")) out.push("--raw-tp");
  if (flag(p, "user-filter")) out.push("--user-filter");
  if (flag(p, "verbose")) out.push("-v");
  for (const k of [str(p, "kconf"), globals.kconf]) if (k !== undefined) checkKconf(k);

  const print = file === undefined || flag(p, "print");
  // the startup event records the command as the user typed it
  out.push("--cmdline", ["retis", ...argv].join(" "));
  if (print) out.push("--stdout-json");
  // should this process die, the collector still drains and closes the file
  out.push("--die-with-parent");
  return { args: out, print };
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

/** --allow-system-changes: tracefs mounted for the collection when it is not; unmounted after. */
function mountTracefs(): (() => void) | undefined {
  if (existsSync("/sys/kernel/tracing/available_events")) return undefined;
  const r = spawnSync("mount", ["-t", "tracefs", "tracefs", "/sys/kernel/tracing"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`could not mount tracefs on /sys/kernel/tracing: ${(r.stderr || r.error?.message || "").trim()}`);
  return () => void spawnSync("umount", ["/sys/kernel/tracing"]);
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
