// Retis's collect options → the native collector's arguments. The one owner of that translation: `retis
// collect` (cli/) turns its parsed command line into CollectOptions and comes here, as `collect()` does, so
// the two cannot drift. Every check that can be made before the collector starts is made here; a mistake is
// one RetisOptionError line naming the option as its caller spells it (`--stop-after` or `stopAfter`).
import { accessSync, constants, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as T from "../../typings/index.js";
import { RetisOptionError } from "../errors.js";
import { checkMetaFilter } from "./meta-filter.js";
import { parseProbe } from "./probes.js";

/** The package root: this file is dist/events/collect/options.js. */
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

/** The line the collector prints on stderr once every probe is attached (`cmd` waits for it). */
export const ATTACHED = "retis-collector: attached";
/** What older collectors print at the same point. */
export const ATTACHED_OLD = /^retis: collecting events/;

/** Retis's collector names; those this kernel cannot run are refused with the reason. */
export const COLLECTORS = ["auto", "skb-tracking", "skb", "skb-drop", "ovs", "nft", "ct", "dev", "ns"] as const satisfies readonly T.CollectorName[];
const UNAVAILABLE: Record<string, string> = {
  ovs: "the ovs collector needs Open vSwitch's kernel datapath and kprobes (ovs_dp_upcall, ovs_execute_actions), which this kernel does not have",
  nft: "the nft collector needs a kprobe on __nft_trace_packet, and kprobes are not available on this kernel",
};
/** Retis's --skb-sections values: these three select sections, "all" every one, the rest are ignored. */
export const SKB_SECTIONS = ["all", "eth", "meta", "dataref", "gso", "arp", "ip", "tcp", "udp", "icmp", "packet", "vlan", "dev", "ns"] as const satisfies readonly T.SkbSectionName[];
const SKB_DEPRECATED = new Set(["arp", "ip", "tcp", "udp", "icmp", "packet", "vlan", "dev", "ns"]);

/** The tracepoints Retis uses when nothing else asks for probes. */
const DEFAULT_PROBES = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"];

/** Each option's key and its command-line flag, in the order errors are looked for. */
const FLAGS: Record<keyof T.CollectOptions, string> = {
  collectors: "--collectors",
  probes: "--probe",
  filter: "--filter-packet",
  metaFilter: "--filter-meta",
  out: "--out",
  outRotate: "--out-rotate",
  outRotateCount: "--out-rotate-count",
  stack: "--stack",
  skbSections: "--skb-sections",
  cmd: "--cmd",
  stopAfter: "--stop-after",
  timeout: "--timeout",
  netns: "--netns",
  ifindex: "--ifindex",
  rawTp: "--raw-tp",
  userFilter: "--user-filter",
  verbose: "--verbose",
  allowSystemChanges: "--allow-system-changes",
  kconf: "--kconf",
  probeStack: "--probe-stack",
  ovsTrack: "--ovs-track",
  ovsEnrichFlows: "--ovs-enrich-flows",
  nftVerdicts: "--nft-verdicts",
};
type Key = keyof T.CollectOptions;

export interface PlanContext {
  /** How errors name an option: the command line's flag (`--stop-after`) or collect()'s key (`stopAfter`). */
  spelling: "cli" | "api";
  /** A profile was applied (Retis then adds no default probes). */
  profiles: boolean;
  /** The collector binary (wildcard probes are expanded with its BTF listing); called only when needed. */
  binary: () => string;
  /** The command line the startup event records. */
  cmdline: string;
  /** The file when `out` is not given; undefined: none (events printed only, as `retis collect` without -o). */
  defaultOut: string | undefined;
  /** Events also on the collector's stdout (`--print`, or no file). */
  print: boolean;
  /** `retis --kconf` (the global option). */
  kconf?: string;
}

/** What the collector is run with, and what the caller does around it. */
export interface CollectPlan {
  args: string[];
  /** The file written (absolute), or undefined when events are only printed. */
  out: string | undefined;
  /** `outRotate` given: the parts are `out.0`, `out.1`… once the capture ends. */
  rotate: boolean;
  cmd: string | undefined;
  allowSystemChanges: boolean;
}

/** `--out-rotate` as Retis reads it: `(\d+)(M|G)B` anywhere in the value, MB = 10^6 bytes; at most u64. */
export function rotateLimit(text: string, name = "--out-rotate"): bigint {
  const m = /(\d+)(M|G)B/.exec(text);
  if (!m) throw new RetisOptionError(`invalid ${name} '${text}': expected a size with a unit, e.g. 64MB or 1GB`);
  const bytes = BigInt(m[1]!) * (m[2] === "M" ? 1_000_000n : 1_000_000_000n);
  if (bytes === 0n) throw new RetisOptionError(`invalid ${name} '${text}': the size must not be 0`);
  if (bytes >= 1n << 64n) throw new RetisOptionError(`invalid ${name} '${text}': ${m[1]}${m[2]}B does not fit in 64 bits of bytes`);
  return bytes;
}

/** Reads CollectOptions whatever the caller passed (a script may pass anything): one line per mistake. */
class Reader {
  constructor(
    readonly options: T.CollectOptions,
    readonly ctx: PlanContext,
  ) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new RetisOptionError(`collect() takes an object of options (e.g. { probes: ["tp:skb:kfree_skb"], timeout: 10 }), not ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
    }
    for (const key of Object.keys(options)) {
      if (!(key in FLAGS)) {
        throw new RetisOptionError(`unknown collect() option '${key}' (expected one of ${Object.keys(FLAGS).join(", ")})`);
      }
    }
  }

  name(key: Key): string {
    return this.ctx.spelling === "cli" ? FLAGS[key] : key;
  }

  private bad(key: Key, value: unknown, expected: string): never {
    const shown = typeof value === "string" ? `'${value}'` : typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value);
    throw new RetisOptionError(`invalid ${this.name(key)} ${shown}: expected ${expected}`);
  }

  str(key: Key): string | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") this.bad(key, v, "a string");
    return v;
  }

  flag(key: Key): boolean {
    const v = this.options[key];
    if (v === undefined) return false;
    if (typeof v !== "boolean") this.bad(key, v, "true or false");
    return v;
  }

  /** A list: an array, or Retis's comma-separated text; numbers allowed where `numbers`. */
  list(key: Key, numbers = false): string[] {
    const v = this.options[key];
    if (v === undefined) return [];
    if (typeof v === "string") return v === "" ? [] : v.split(",");
    if (numbers && typeof v === "number") return [String(v)];
    if (!Array.isArray(v)) this.bad(key, v, numbers ? "a list (array) of numbers or strings" : "a list (array) of strings");
    return v.map((x: unknown) => {
      if (typeof x === "string" || (numbers && typeof x === "number")) return String(x);
      return this.bad(key, x, numbers ? "numbers or strings in the list" : "strings in the list");
    });
  }

  /** A number given as a number, a bigint or its text: the text, as the collector reads it. */
  numberText(key: Key): string | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v === "number" || typeof v === "bigint") return String(v);
    if (typeof v !== "string") this.bad(key, v, "a number");
    return v;
  }

  positiveInteger(key: Key, what: string): string | undefined {
    const text = this.numberText(key);
    if (text !== undefined && (!/^\d+$/.test(text) || BigInt(text) === 0n || BigInt(text) >= 1n << 64n)) this.bad(key, text, what);
    return text;
  }

  positiveSeconds(key: Key): string | undefined {
    const text = this.numberText(key);
    if (text === undefined) return undefined;
    const v = Number(text);
    if (!/^\s*[0-9.eE+]+\s*$/.test(text) || !Number.isFinite(v) || v <= 0) this.bad(key, text, "a positive number of seconds");
    return text;
  }

  choices(key: Key, allowed: readonly string[]): string[] {
    const values = this.list(key);
    for (const v of values) if (!allowed.includes(v)) this.bad(key, v, `one of ${allowed.join(", ")}`);
    return values;
  }
}

function checkKconf(path: string, name: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new RetisOptionError(`could not read the kernel configuration ${name} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Tracepoints matching a wildcard probe, from the collector's own BTF listing. */
function expandWildcard(binary: () => string, text: string, target: string, stack: boolean): string[] {
  const r = spawnSync(binary(), ["--inspect", `tp:${target}`], { encoding: "utf8", timeout: 30_000 });
  if (r.error) throw new Error(`could not run the collector: ${r.error.message}`);
  const found = r.stdout.split("\n").filter((l) => l.startsWith("tp:"));
  if (found.length === 0) throw new RetisOptionError(`invalid probe '${text}': no tracepoint carrying an skb matches tp:${target}`);
  return found.map((p) => (stack ? `${p}/stack` : p));
}

/** The collector's arguments for Retis's collect options; throws RetisOptionError before anything runs. */
export function planCollect(options: T.CollectOptions, ctx: PlanContext): CollectPlan {
  const o = new Reader(options, ctx);
  const args: string[] = [];
  const collectors = o.options.collectors === undefined ? ["auto"] : o.choices("collectors", COLLECTORS);
  if (collectors.length === 0) throw new RetisOptionError(`invalid ${o.name("collectors")}: expected at least one collector (or auto)`);
  for (const c of collectors) {
    if (UNAVAILABLE[c]) throw new RetisOptionError(`collector '${c}' is not available: ${UNAVAILABLE[c]}`);
  }
  const auto = collectors.includes("auto");
  for (const key of ["ovsTrack", "ovsEnrichFlows", "nftVerdicts"] as const) {
    const given = key === "nftVerdicts" ? o.str(key) !== undefined : o.flag(key);
    const owner = key === "nftVerdicts" ? "nft" : "ovs";
    if (given) throw new RetisOptionError(`${o.name(key)} is an option of the ${owner} collector: ${UNAVAILABLE[owner]}`);
  }
  if (o.flag("probeStack")) throw new RetisOptionError(`${o.name("probeStack")} adds kprobes at run time on the functions seen in stack traces: kprobes are not available on this kernel`);

  let probes: string[] = [];
  for (const text of o.list("probes")) {
    const probe = parseProbe(text);
    const spelled = `tp:${probe.target}${probe.stack ? "/stack" : ""}`;
    probes.push(...(probe.target.includes("*") ? expandWildcard(ctx.binary, text, probe.target, probe.stack) : [spelled]));
  }
  probes = [...new Set(probes)];
  if (probes.length === 0) {
    // Retis: default probes only without -p, without a profile and with the collectors left to auto;
    // otherwise only what the collectors install themselves (skb-drop: tp:skb:kfree_skb).
    if (auto && !ctx.profiles) probes = DEFAULT_PROBES;
    else if (auto || collectors.includes("skb-drop")) probes = ["tp:skb:kfree_skb"];
    else throw new RetisOptionError(`No probe was enabled: with ${o.name("collectors")} and no ${o.name("probes")}, Retis adds no default probes (add ${ctx.spelling === "cli" ? "-p " : ""}tp:GROUP:NAME)`);
  }
  for (const probe of probes) args.push("-p", probe);
  args.push("-c", collectors.join(","));

  const sections = o.choices("skbSections", SKB_SECTIONS);
  for (const s of sections.filter((x) => SKB_DEPRECATED.has(x))) console.error(`retis: warning: Use of '${s}' in --skb-sections is deprecated`);
  const kept = sections.filter((x) => x === "all" || x === "meta" || x === "dataref" || x === "gso");
  if (kept.length > 0) args.push("--skb-sections", [...new Set(kept)].join(","));

  const packetFilter = o.str("filter");
  if (packetFilter !== undefined) {
    if (packetFilter.trim().length === 0) throw new RetisOptionError(`invalid ${o.name("filter")} '': expected a pcap-filter(7) expression`);
    args.push("-f", packetFilter);
  }
  const metaFilter = o.str("metaFilter");
  if (metaFilter !== undefined) {
    checkMetaFilter(metaFilter);
    args.push("--filter-meta", metaFilter);
  }
  if (o.flag("stack")) args.push("--stack");

  const given = o.str("out");
  if (given === "") throw new RetisOptionError(`invalid ${o.name("out")} '': expected a file name`);
  const file = given ?? ctx.defaultOut;
  const rotate = o.str("outRotate");
  if (rotate !== undefined) {
    rotateLimit(rotate, o.name("outRotate"));
    if (file === undefined) throw new RetisOptionError("the argument '--out-rotate <LIMIT>' requires '--out [<OUT>]'");
    args.push("--out-rotate", rotate);
  }
  const count = o.positiveInteger("outRotateCount", "a positive number of files");
  if (count !== undefined) {
    if (rotate === undefined) throw new RetisOptionError(`${o.name("outRotateCount")} requires ${o.name("outRotate")}`);
    args.push("-R", count);
  }
  // Retis writes nowhere but stdout without --out; the collector always writes a file, here none.
  const out = file === undefined ? undefined : resolve(file);
  // as given: the collector's messages name the file as the user wrote it
  args.push("-o", file ?? "/dev/null");

  const stopAfter = o.positiveInteger("stopAfter", "a positive number of events");
  if (stopAfter !== undefined) args.push("--stop-after", stopAfter);
  const timeout = o.positiveSeconds("timeout");
  if (timeout !== undefined) args.push("--timeout", timeout);
  for (const ns of o.list("netns", true)) args.push("--netns", ns);
  for (const i of o.list("ifindex", true)) args.push("--ifindex", i);
  if (o.flag("rawTp")) args.push("--raw-tp");
  if (o.flag("userFilter")) args.push("--user-filter");
  if (o.flag("verbose")) args.push("-v");
  const kconf = o.str("kconf");
  if (kconf !== undefined) checkKconf(kconf, o.name("kconf"));
  if (ctx.kconf !== undefined) checkKconf(ctx.kconf, "--kconf");
  const cmd = o.str("cmd");
  if (cmd !== undefined && cmd.trim() === "") throw new RetisOptionError(`invalid ${o.name("cmd")} '': expected a shell command`);
  const allowSystemChanges = o.flag("allowSystemChanges");

  // the startup event records the command as the user typed it
  args.push("--cmdline", ctx.cmdline);
  if (ctx.print) args.push("--stdout-json");
  // should the caller die, the collector still drains and closes the file
  args.push("--die-with-parent");
  return { args, out, rotate: rotate !== undefined, cmd, allowSystemChanges };
}

/** The same options as a `retis collect` command line (for the startup event of a collect() capture). */
export function commandLine(options: T.CollectOptions): string {
  const words = ["retis", "collect"];
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  for (const [key, value] of Object.entries(options) as [Key, unknown][]) {
    const flag = FLAGS[key];
    if (flag === undefined || value === undefined || value === false) continue;
    if (value === true) words.push(flag);
    else if (Array.isArray(value) && key !== "collectors" && key !== "skbSections") for (const v of value) words.push(flag, quote(String(v)));
    else words.push(flag, quote(Array.isArray(value) ? value.join(",") : String(value)));
  }
  return words.join(" ");
}
