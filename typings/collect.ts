// Capturing from TypeScript: `collect({...})` runs the native collector as `retis collect` does, with the same
// options under camelCase names, and `EventFile.follow(path)` / `cap.follow()` read a capture while it is
// written. The options are Retis's collect options; `retis collect` itself is translated through them.
import type { Event } from "./event.js";
import type { EventFile } from "./file.js";

/** Retis's collector names (`-c, --collectors`). `ovs` and `nft` need kprobes, which this kernel kind lacks: refused. */
export type CollectorName = "auto" | "skb-tracking" | "skb" | "skb-drop" | "ovs" | "nft" | "ct" | "dev" | "ns";

/**
 * Retis's `--skb-sections` values: `meta`, `dataref`, `gso` select extra sections, `all` every one; the
 * others are always collected or part of the raw packet, and are accepted with a deprecation warning.
 */
export type SkbSectionName = "all" | "eth" | "meta" | "dataref" | "gso" | "arp" | "ip" | "tcp" | "udp" | "icmp" | "packet" | "vlan" | "dev" | "ns";

/**
 * The options of `retis collect`, checked before anything starts (a mistake is one `RetisUsageError` line).
 * Lists accept an array or Retis's comma-separated text; numbers accept their text as on the command line.
 *
 * ```ts
 * const cap = await collect({ probes: ["tp:skb:kfree_skb"], filter: "udp port 53", timeout: 10 });
 * ```
 */
export interface CollectOptions {
  /**
   * `-c, --collectors`: the collectors to enable (default `["auto"]`: every collector whose prerequisites are
   * met). Example: `["skb", "skb-drop", "skb-tracking"]`.
   */
  collectors?: readonly CollectorName[] | string;
  /**
   * `-p, --probe`: probes as `[TYPE:]TARGET[/stack]`; only tracepoints here (`tp:net:netif_receive_skb`,
   * wildcards `tp:skb:*`). Without probes, profiles or explicit collectors: `tp:net:netif_receive_skb` and
   * `tp:net:net_dev_start_xmit`; with `skb-drop`, `tp:skb:kfree_skb` is always added.
   */
  probes?: readonly string[] | string;
  /** `-f, --filter-packet`: a pcap-filter(7) expression, e.g. `"ip dst host 10.0.0.1"` (run in the kernel). */
  filter?: string;
  /**
   * `-m, --filter-meta`: a kernel field compared to a value, e.g. `'sk_buff.dev.name == "eth0"'`
   * (`and`/`or`, parentheses; `==` only for strings).
   */
  metaFilter?: string;
  /** `-o, --out`: the file to write (default `"retis.data"`, relative to the current directory). */
  out?: string;
  /** `--out-rotate`: split the output once it reaches a size, e.g. `"64MB"`; the parts are `OUT.0`, `OUT.1`… */
  outRotate?: string;
  /** `-R, --out-rotate-count`: keep only the last N parts (needs `outRotate`). Not in Retis. */
  outRotateCount?: number | bigint | string;
  /** `--stack`: a kernel stack trace in every event. */
  stack?: boolean;
  /** `--skb-sections`: extra skb sections: `meta`, `dataref`, `gso` or `all`. */
  skbSections?: readonly SkbSectionName[] | string;
  /**
   * `--cmd`: a shell command run once the probes are attached; the capture stops when it exits. Its output
   * goes to this process's stdout and stderr.
   */
  cmd?: string;
  /** `--stop-after`: stop after N events. Not in Retis. */
  stopAfter?: number | bigint | string;
  /** `--timeout`: stop after this many seconds. Not in Retis. */
  timeout?: number | string;
  /** `--netns`: only packets seen in these network namespaces: inode number, name (`ip netns`) or path. Not in Retis. */
  netns?: number | string | readonly (number | string)[];
  /** `--ifindex`: only packets seen on these interface indexes. Not in Retis. */
  ifindex?: number | string | readonly (number | string)[];
  /** `--raw-tp`: use raw tracepoints instead of BTF-typed ones. Not in Retis. */
  rawTp?: boolean;
  /** `--user-filter`: run `filter` in user space (libpcap) instead of in the kernel. Not in Retis. */
  userFilter?: boolean;
  /** `-v, --verbose`: libbpf's own messages on stderr. Not in Retis. */
  verbose?: boolean;
  /** `--allow-system-changes`: mount tracefs on /sys/kernel/tracing for the capture when it is not mounted. */
  allowSystemChanges?: boolean;
  /** `--kconf`: the kernel configuration file to read (default: auto-detect). */
  kconf?: string;
  /** `--probe-stack`: needs kprobes; refused on this kernel kind. */
  probeStack?: boolean;
  /** `--ovs-track` (ovs collector): needs kprobes; refused on this kernel kind. */
  ovsTrack?: boolean;
  /** `--ovs-enrich-flows` (ovs collector): needs kprobes; refused on this kernel kind. */
  ovsEnrichFlows?: boolean;
  /** `--nft-verdicts` (nft collector): needs kprobes; refused on this kernel kind. */
  nftVerdicts?: string;
}

/** Counters of a running or finished capture, as the collector reports them (about 4 times a second). */
export interface CaptureStats {
  /** Events written to the file. */
  readonly events: number;
  /** Of those, events of dropped packets (with an `skb_drop` section). */
  readonly drops: number;
  /** Events lost: dropped by the kernel (ring buffer full) plus those that could not be written. */
  readonly lost: number;
  /** Seconds since the probes were attached (0 before). */
  readonly elapsed: number;
  /** True until the collector has exited. */
  readonly running: boolean;
}

/**
 * A running capture: `await` it (or `.then`) for the `EventFile` it wrote, once it ends (`stopAfter`,
 * `timeout`, `cmd` exiting, `stop()`, Ctrl-C in a script, the stop button in a notebook).
 */
export interface Capture extends PromiseLike<EventFile> {
  /** The file being written (absolute). With `outRotate`, the current part; finished parts are `out.0`, `out.1`… */
  readonly out: string;
  /** Live counters (events, drops, lost, elapsed). */
  readonly stats: CaptureStats;
  /** Resolves once every probe is attached (send test traffic after this); rejects when the start failed. */
  readonly attached: Promise<void>;
  /** Calls `listener` on every counter update and once more when the capture ends; returns the unsubscribe. */
  onStats(listener: (stats: CaptureStats) => void): () => void;
  /** Ends the capture cleanly (the collector drains its buffer and closes the file); resolves as the capture. */
  stop(): Promise<EventFile>;
  /**
   * The events as the collector appends them, across rotation; ends when the capture ends (after the last
   * event) or when the loop breaks. Each call starts from the first line.
   */
  follow(): AsyncIterableIterator<Event, undefined, undefined>;
  /** Resolves or rejects as the capture. */
  catch<T = never>(onrejected?: ((reason: unknown) => T | PromiseLike<T>) | null): Promise<EventFile | T>;
  /** Runs `onfinally` once the capture ended. */
  finally(onfinally?: (() => void) | null): Promise<EventFile>;
}

/** Options of `EventFile.follow(path, options)`. */
export interface FollowOptions {
  /**
   * Ends following once this settles (e.g. the writer's exit) and the file is read to its end, or at once
   * when the signal aborts. Without it, following ends when no process holds the file open for writing any
   * more (Linux /proc) and every line was read.
   */
  until?: PromiseLike<unknown> | AbortSignal;
  /**
   * How long to wait for the file to appear, in milliseconds (default 0: it must exist). A capture's file
   * appears once its probes are loaded.
   */
  waitForFile?: number;
}

/** `collect(options)`: the function behind `retis collect`, for notebooks, scripts and the library. */
export type CollectFunction = (options?: CollectOptions) => Capture;
