// The one argument parser of the `retis` command. Every subcommand declares its options, positionals,
// defaults and help once (a CommandSpec); this module parses against it and writes the help from it.
// Rules, as clap applies them to Retis's commands: an option is matched only by the exact name it was
// given (`--cmd` is never an abbreviation of anything), `--name=value` and `-xVALUE` work, short flags
// cluster (`-eh`), `--` ends the options. Bad usage is a UsageError: one line, exit status 2.
import { UsageError } from "./errors.js";

export interface OptionSpec {
  /** Long name without dashes; also the key of the parsed value. */
  long: string;
  short?: string;
  /**
   * "none": a flag (true when present). "required": takes the next argument whatever it looks like
   * (`--stop-after -1` is then refused by the option's own check, with its value quoted). "optional": takes
   * the next argument only when it does not start with '-' (`-o -c skb` leaves -c alone), else `missing`.
   */
  takes?: "none" | "required" | "optional";
  /** Shown in the help: `-o, --out [FILE]`. */
  valueName?: string;
  /** The value of an "optional" option given without one (clap's default_missing_value). */
  missing?: string;
  /** May be given several times; the values accumulate in order. */
  multiple?: boolean;
  /** Each value is split on this (clap's value_delimiter). */
  delimiter?: string;
  /** The only accepted values. */
  choices?: readonly string[];
  /** The value when the option is absent. */
  default?: string | string[];
  help: string;
  /** Not listed in the help (plumbing between `retis` and its helpers). */
  hidden?: boolean;
  /** Only the short form exists (Retis's `-e`); `long` is then just the key of the value. */
  noLong?: boolean;
}

export interface PositionalSpec {
  name: string;
  help: string;
  default?: string;
  required?: boolean;
}

export interface CommandSpec {
  /** As typed: "retis collect". */
  name: string;
  about: string;
  options: OptionSpec[];
  positionals?: PositionalSpec[];
  /**
   * What follows the positionals: undefined refuses extra arguments; "rest" hands everything after the
   * last positional to the command untouched (`retis ts SCRIPT ARGS…`: the script's own options).
   */
  trailing?: "rest";
  /** Extra text at the end of the help (examples, notes). */
  notes?: string;
  /** Said after an unknown option instead of pointing at --help. */
  unknownHint?: string;
  /** The synopsis after "usage:" when the generated one says less (`retis lsp --stdio`). */
  synopsis?: string;
}

export type Value = string | string[] | boolean | undefined;

export interface Parsed {
  /** By long name: true for flags, a string, or a string[] for `multiple`/`delimiter` options. */
  values: Record<string, Value>;
  /** Long names of the options the user actually gave (defaults excluded). */
  given: Set<string>;
  positionals: Record<string, string | undefined>;
  rest: string[];
  help: boolean;
}

const HELP: OptionSpec = { long: "help", short: "h", help: "Print help" };

function usageError(spec: CommandSpec, message: string, hint = `see ${spec.name} --help`): UsageError {
  return new UsageError(`${message} (${hint})`);
}

function optionLabel(o: OptionSpec): string {
  if (o.noLong) return `-${o.short}`;
  return o.short ? `-${o.short}, --${o.long}` : `--${o.long}`;
}

/** Parses `args` against `spec`; throws a one-line UsageError on any mistake. */
export function parseCommand(spec: CommandSpec, args: readonly string[]): Parsed {
  const options = [...spec.options, HELP];
  const byLong = new Map(options.filter((o) => !o.noLong).map((o) => [o.long, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const values: Record<string, Value> = {};
  const given = new Set<string>();
  const free: string[] = [];
  let rest: string[] = [];
  const positionalCount = spec.positionals?.length ?? 0;

  const store = (o: OptionSpec, raw: string | true) => {
    if (raw === true) {
      if (given.has(o.long) && !o.multiple) throw usageError(spec, `the option '${optionLabel(o)}' cannot be used multiple times`);
      values[o.long] = true;
      given.add(o.long);
      return;
    }
    const parts = o.delimiter !== undefined ? raw.split(o.delimiter) : [raw];
    for (const p of parts) {
      if (o.choices && !o.choices.includes(p)) {
        const c = o.choices;
        const expected = c.length <= 2 ? c.join(" or ") : `one of ${c.slice(0, -1).join(", ")} or ${c.at(-1)}`;
        throw new UsageError(`invalid ${o.noLong ? `-${o.short}` : `--${o.long}`} '${p}': expected ${expected}`);
      }
    }
    if (o.multiple || o.delimiter !== undefined) {
      const prev = given.has(o.long) ? (values[o.long] as string[]) : [];
      if (given.has(o.long) && !o.multiple) throw usageError(spec, `the option '${optionLabel(o)}' cannot be used multiple times`);
      values[o.long] = [...prev, ...parts];
    } else {
      if (given.has(o.long)) throw usageError(spec, `the option '${optionLabel(o)}' cannot be used multiple times`);
      values[o.long] = raw;
    }
    given.add(o.long);
  };

  /** The value of `o`: attached (`--x=v`, `-xv`), else the next argument; returns how many args it ate. */
  const take = (o: OptionSpec, attached: string | undefined, next: string | undefined): number => {
    const takes = o.takes ?? "none";
    if (takes === "none") {
      if (attached !== undefined) throw usageError(spec, `the flag '${optionLabel(o)}' takes no value (got '${attached}')`);
      store(o, true);
      return 0;
    }
    if (attached !== undefined) {
      store(o, attached);
      return 0;
    }
    if (takes === "optional") {
      if (next !== undefined && !next.startsWith("-")) {
        store(o, next);
        return 1;
      }
      store(o, o.missing ?? "");
      return 0;
    }
    if (next === undefined) throw usageError(spec, `a value is required for '${optionLabel(o)} <${o.valueName ?? "VALUE"}>' but none was supplied`);
    store(o, next);
    return 1;
  };

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      const after = args.slice(i + 1);
      if (spec.trailing === "rest") {
        const room = positionalCount - free.length;
        free.push(...after.slice(0, room));
        rest = after.slice(room);
      } else free.push(...after);
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const o = byLong.get(name);
      if (!o) throw usageError(spec, `unknown option '${a}'`, spec.unknownHint);
      i += take(o, eq < 0 ? undefined : a.slice(eq + 1), args[i + 1]);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // a cluster of short options; the first one that takes a value ends it
      for (let j = 1; j < a.length; j++) {
        const o = byShort.get(a[j]!);
        if (!o) throw usageError(spec, `unknown option '-${a[j]}'`, spec.unknownHint);
        if ((o.takes ?? "none") === "none") {
          take(o, undefined, undefined);
          continue;
        }
        const attached = j + 1 < a.length ? a.slice(j + 1).replace(/^=/, "") : undefined;
        i += take(o, attached, args[i + 1]);
        break;
      }
      continue;
    }
    free.push(a);
    if (spec.trailing === "rest" && free.length === positionalCount) {
      rest = args.slice(i + 1);
      break;
    }
  }

  if (free.length > positionalCount) throw usageError(spec, `unexpected argument '${free[positionalCount]}' found`);
  const positionals: Record<string, string | undefined> = {};
  (spec.positionals ?? []).forEach((p, k) => {
    positionals[p.name] = free[k] ?? p.default;
    if (positionals[p.name] === undefined && p.required && values.help !== true) {
      throw usageError(spec, `the required argument <${p.name}> was not provided`);
    }
  });
  for (const o of spec.options) {
    if (!given.has(o.long) && o.default !== undefined) values[o.long] = o.default;
  }
  return { values, given, positionals, rest, help: values.help === true };
}

/** The help text of a command, from its spec. */
export function helpText(spec: CommandSpec): string {
  const options = [...spec.options.filter((o) => !o.hidden), HELP];
  const label = (o: OptionSpec) => {
    const base = o.noLong ? `-${o.short}` : o.short ? `-${o.short}, --${o.long}` : `    --${o.long}`;
    const v = o.valueName ?? "VALUE";
    if ((o.takes ?? "none") === "none") return base;
    return o.takes === "optional" ? `${base} [${v}]` : `${base} <${v}>`;
  };
  const pos = spec.positionals ?? [];
  const usage = spec.synopsis !== undefined ? `usage: ${spec.synopsis}` : [
    `usage: ${spec.name}`,
    options.length > 1 ? "[OPTIONS]" : "",
    ...pos.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)),
    spec.trailing === "rest" ? "[ARGS]..." : "",
  ]
    .filter((s) => s.length > 0)
    .join(" ");
  const lines = [spec.about, "", usage];
  const indent = (text: string) => text.split("\n").map((l) => (l.length > 0 ? `          ${l}` : l));
  if (pos.length > 0) {
    lines.push("", "Arguments:");
    for (const p of pos) {
      lines.push(`  [${p.name}]`, ...indent(p.help + (p.default !== undefined ? ` [default: ${p.default}]` : "")));
    }
  }
  lines.push("", "Options:");
  for (const o of options) {
    const extra: string[] = [];
    if (o.choices) extra.push(`[possible values: ${o.choices.join(", ")}]`);
    if (o.default !== undefined) extra.push(`[default: ${Array.isArray(o.default) ? o.default.join(",") : o.default}]`);
    lines.push(`  ${label(o)}`, ...indent([o.help, ...extra].join(" ")));
  }
  if (spec.notes) lines.push("", spec.notes);
  return lines.join("\n");
}

/** Parses, and prints the help when asked: returns undefined then (the command exits 0). */
export function parseOrHelp(spec: CommandSpec, args: readonly string[]): Parsed | undefined {
  const parsed = parseCommand(spec, args);
  if (parsed.help) {
    console.log(helpText(spec));
    return undefined;
  }
  return parsed;
}

/** A string option's value (undefined when absent and without default). */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}
