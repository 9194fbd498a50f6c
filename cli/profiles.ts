// Retis's profiles: YAML files holding named sets of `collect`/`pcap` arguments (`retis -p dropmon
// collect`). Same files, same lookup order and same expansion as Retis (profiles/profiles.rs): the first
// directory holding a profile of that name wins; `args` keys become `--key-with-dashes`, in key order; a
// list repeats the option, a null value is a flag; among a subcommand's entries, the first whose `when`
// conditions hold applies.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { UsageError } from "./errors.js";
import { parseProbe } from "../events/collect/probes.js";

/** Profile API version this reader implements (Retis's API_VERSION_STR). */
const API_MAJOR = 1;

type ArgValue = string | string[] | null;

interface Condition {
  type: "version" | "symbol";
  version?: string;
  name?: string;
  exists?: boolean;
}

export interface SubcommandProfile {
  name: string;
  when: Condition[];
  args: Record<string, ArgValue>;
}

export interface Profile {
  name: string;
  version: string;
  about?: string;
  collect: SubcommandProfile[];
  pcap: SubcommandProfile[];
  /** The file it was read from. */
  file: string;
}

/** The profiles shipped with this package (Retis installs its own in /usr/share/retis/profiles/). */
export const packageProfilesDir = resolve(fileURLToPath(import.meta.url), "../../../profiles");

/** Directories searched, highest priority first, as Retis's get_profile_paths (plus this package's). */
export function profilePaths(): string[] {
  const paths: string[] = [];
  if (process.env.HOME) paths.push(join(process.env.HOME, ".config/retis/profiles/"));
  paths.push("/usr/share/retis/profiles/", "/etc/retis/profiles/", packageProfilesDir);
  return paths;
}

function fail(file: string, what: string): never {
  throw new Error(`${file}: ${what}`);
}

function asArgs(file: string, v: unknown): Record<string, ArgValue> {
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v)) fail(file, "'args' must be a mapping of option names to values");
  const out: Record<string, ArgValue> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === null) out[k] = null;
    else if (Array.isArray(x)) out[k] = x.map(String);
    else if (typeof x === "object") fail(file, `argument '${k}': expected a value, a list of values or nothing`);
    else out[k] = String(x);
  }
  return out;
}

function asSubcommands(file: string, v: unknown): SubcommandProfile[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(file, "'collect' and 'pcap' must be lists of {name, when, args}");
  return v.map((x: Record<string, unknown>) => {
    if (typeof x !== "object" || x === null || !("args" in x)) fail(file, "each 'collect'/'pcap' entry needs 'args'");
    const when = (x.when ?? []) as Condition[];
    if (!Array.isArray(when) || when.some((c) => c.type !== "version" && c.type !== "symbol")) {
      fail(file, "'when' must be a list of conditions of type 'version' or 'symbol'");
    }
    return { name: typeof x.name === "string" ? x.name : "Default", when, args: asArgs(file, x.args) };
  });
}

/** Every profile of a file (a file may hold several YAML documents); throws on a malformed one. */
export function loadProfiles(file: string): Profile[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out: Profile[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      fail(file, `line ${e.linePos?.[0]?.line ?? "?"}: ${e.message.split("\n")[0]}`);
    }
    const d = doc.toJS() as Record<string, unknown> | null;
    if (d === null) continue;
    if (typeof d !== "object" || typeof d.name !== "string") fail(file, "expected a profile with at least 'version' and 'name'");
    if (d.version === undefined) fail(file, `profile ${d.name}: missing 'version'`);
    const version = String(d.version);
    if (Number.parseInt(version, 10) !== API_MAJOR) {
      console.error(`retis: warning: ${file} ${d.name}: profile version ${version} is not supported (expected 1.x); skipping`);
      continue;
    }
    out.push({
      name: d.name,
      version,
      about: typeof d.about === "string" ? d.about : undefined,
      collect: asSubcommands(file, d.collect),
      pcap: asSubcommands(file, d.pcap),
      file,
    });
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join(dir, f));
}

/** The profile named `name`, or a one-line error; two of that name in one directory is an error too. */
export function findProfile(name: string): Profile {
  for (const dir of profilePaths().filter((p) => existsSync(p))) {
    let found: Profile | undefined;
    for (const file of yamlFiles(dir)) {
      let profiles: Profile[];
      try {
        profiles = loadProfiles(file);
      } catch {
        continue; // Retis skips files it cannot read as profiles
      }
      for (const p of profiles.filter((x) => x.name === name)) {
        if (found) throw new UsageError(`Found two profiles with name '${name}' in ${dir}`);
        found = p;
      }
    }
    if (found) return found;
  }
  throw new UsageError(`Profile with name ${name} not found (looked in ${profilePaths().join(", ")})`);
}

/** `x.y.z` of the running kernel, as numbers. */
function kernelVersion(): number[] {
  return release().split(/[.-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** A Cargo-style requirement list: ">4.6.1, <5.1.1", "=4.6.1", "> 9". */
export function versionMatches(req: string, version = kernelVersion()): boolean {
  return req.split(/,|\s+(?=[<>=])/).filter((part) => part.trim().length > 0).every((part) => {
    const m = /^\s*(>=|<=|>|<|=)?\s*(\d+(?:\.\d+){0,2})\s*$/.exec(part);
    if (!m) throw new UsageError(`invalid kernel version requirement '${req}': expected e.g. '>=5.10, <6.2'`);
    const c = compareVersions(version, m[2]!.split(".").map(Number));
    switch (m[1] ?? "=") {
      case ">=": return c >= 0;
      case "<=": return c <= 0;
      case ">": return c > 0;
      case "<": return c < 0;
      default: return c === 0;
    }
  });
}

let kallsyms: Set<string> | undefined;

/** Whether a probe target exists here: tracepoints by their `__tracepoint_` symbol, functions by name. */
function symbolExists(name: string): boolean {
  kallsyms ??= new Set(readFileSync("/proc/kallsyms", "utf8").split("\n").map((l) => l.split(" ")[2] ?? ""));
  const colon = name.split(":");
  return colon.length === 2 ? kallsyms.has(`__tracepoint_${colon[1]}`) : kallsyms.has(name);
}

function matches(p: SubcommandProfile): boolean {
  return p.when.every((c) =>
    c.type === "version" ? versionMatches(String(c.version ?? "")) : symbolExists(String(c.name ?? "")) === (c.exists ?? true),
  );
}

/** The arguments `profile` adds to `subcommand`, as Retis's `cli_args`. */
export function profileArgs(profile: Profile, subcommand: string): string[] {
  const entries = subcommand === "collect" ? profile.collect : subcommand === "pcap" ? profile.pcap : undefined;
  if (entries === undefined) throw new UsageError(`Subcommand ${subcommand} does not support profile enhancement`);
  const chosen = entries.find(matches);
  if (!chosen) {
    console.error(`retis: warning: None of the ${subcommand} profiles defined in ${profile.name} were selected`);
    return [];
  }
  const out: string[] = [];
  for (const key of Object.keys(chosen.args).sort()) {
    const flag = `--${key.replace(/_/g, "-")}`;
    const v = chosen.args[key]!;
    if (v === null) out.push(flag);
    else for (const x of Array.isArray(v) ? v : [v]) out.push(flag, x);
  }
  return out;
}

/** What keeps a profile from running here, or undefined: its probes need kprobes, or it needs nft/ovs. */
export function profileLimitation(profile: Profile): string | undefined {
  const needs = new Set<string>();
  for (const sub of [...profile.collect, ...profile.pcap]) {
    for (const probe of [sub.args.probe ?? []].flat()) {
      if (probe === null) continue;
      try {
        parseProbe(probe);
      } catch {
        needs.add("kprobes");
      }
    }
    for (const c of String(sub.args.collectors ?? "").split(",")) if (c === "nft" || c === "ovs") needs.add(`the ${c} collector`);
  }
  return needs.size > 0 ? `needs ${[...needs].join(" and ")}: not available on this kernel` : undefined;
}
