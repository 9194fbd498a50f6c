import type { Section } from "./section.js";

/** How a kernel probe was attached. JSON `kernel.probe_type`. */
export type KernelProbeType = "kprobe" | "kretprobe" | "raw_tracepoint";

/** JSON shape of the `kernel` section. */
export interface KernelFields {
  /** The probe that made the event: a kernel function (`kfree_skb_reason`) or a tracepoint as `group:name` (`skb:kfree_skb`). JSON `symbol`. */
  symbol: string;
  /** How the probe is attached: `kprobe`, `kretprobe` or `raw_tracepoint` (printed `[k]`, `[kr]`, `[tp]`). JSON `probe_type`. */
  probe_type: KernelProbeType | (string & {});
  /** Kernel call stack when the probe fired, innermost first, as `symbol+0xoffset` (or `0xaddress` when unknown). Only with `--stack`. JSON `stack_trace`. */
  stack_trace?: string[];
}

/** The `kernel` section: which kernel probe made the event. Retis `KernelEvent`. */
export interface KernelEvent extends KernelFields, Section<KernelFields> {}
