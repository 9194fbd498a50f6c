// Probe names as Retis's CLI reads them (`parse_cli_probe`): `[TYPE:]TARGET[/OPTIONS]`. Without a TYPE,
// a TARGET holding exactly one ':' is a tracepoint and anything else a kprobe. Only tracepoints exist on
// this kind of kernel: the other types parse (so `retis pcap -p kprobe:x` can still select stored
// events) but cannot be collected.
import { RetisOptionError } from "../errors.js";

export type ProbeType = "kprobe" | "kretprobe" | "raw_tracepoint" | "usdt";

export interface Probe {
  type: ProbeType;
  /** `net:netif_receive_skb` for a tracepoint, a function name otherwise; may hold `*` wildcards. */
  target: string;
  stack: boolean;
}

const TYPES: Record<string, ProbeType> = {
  kprobe: "kprobe",
  k: "kprobe",
  kretprobe: "kretprobe",
  kr: "kretprobe",
  raw_tracepoint: "raw_tracepoint",
  tp: "raw_tracepoint",
  usdt: "usdt",
  u: "usdt",
};

/** Parses a probe of any type; throws a one-line RetisOptionError on bad syntax. */
export function parseAnyProbe(text: string): Probe {
  const [spec, ...options] = text.split("/");
  let stack = false;
  for (const o of options) {
    if (o === "stack") stack = true;
    else throw new RetisOptionError(`invalid probe '${text}': unknown option '${o}' (expected stack)`);
  }
  const colon = spec!.indexOf(":");
  let type: ProbeType;
  let target: string;
  if (colon >= 0 && TYPES[spec!.slice(0, colon)] !== undefined) {
    type = TYPES[spec!.slice(0, colon)]!;
    target = spec!.slice(colon + 1);
  } else {
    target = spec!;
    type = target.split(":").length === 2 ? "raw_tracepoint" : "kprobe";
  }
  if (target.length === 0) throw new RetisOptionError(`invalid probe '${text}': no target (expected [TYPE:]TARGET[/OPTIONS])`);
  // a glob may span the group (`tp:*`); a plain name must be GROUP:NAME
  if (type === "raw_tracepoint" && !/^[^:\s]+:[^:\s]+$/.test(target) && !(target.includes("*") && !/[:\s]{2}|\s/.test(target))) {
    throw new RetisOptionError(`invalid probe '${text}': a tracepoint is GROUP:NAME, e.g. tp:net:netif_receive_skb`);
  }
  return { type, target, stack };
}

/** A probe that can be collected here (a tracepoint); other types get the one line saying why not. */
export function parseProbe(text: string): Probe {
  const p = parseAnyProbe(text);
  if (p.type === "kprobe" || p.type === "kretprobe") {
    throw new RetisOptionError(`invalid probe '${text}': kprobes are not available on this kernel (only tracepoints, tp:GROUP:NAME)`);
  }
  if (p.type === "usdt") throw new RetisOptionError(`invalid probe '${text}': USDT probes are not supported by this collector (only kernel tracepoints, tp:GROUP:NAME)`);
  return p;
}
