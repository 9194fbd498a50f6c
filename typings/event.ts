import type { CommonEvent, CommonFields } from "./common.js";
import type { KernelEvent, KernelFields } from "./kernel.js";
import type { UserEvent, UserFields } from "./userspace.js";
import type { TrackingInfo, TrackingFields } from "./tracking.js";
import type { SkbTrackingEvent, SkbTrackingFields } from "./skb-tracking.js";
import type { SkbDropEvent, SkbDropFields } from "./skb-drop.js";
import type { PacketEvent, PacketFields } from "./packet.js";
import type { SkbEvent, SkbFields } from "./skb.js";
import type { NetnsEvent, NetnsFields } from "./netns.js";
import type { DevEvent, DevFields } from "./dev.js";
import type { OvsEvent, OvsFields } from "./ovs.js";
import type { OvsFlowInfoEvent, OvsFlowInfoFields } from "./ovs-detrace.js";
import type { NftEvent, NftFields } from "./nft.js";
import type { CtEvent, CtFields } from "./ct.js";
import type { StartupEvent, StartupFields } from "./startup.js";
import type { JsonData, TimeSpec } from "./section.js";
import type { HopChanges } from "./changes.js";

/** An event line as JSON-shaped data: top-level keys as Retis writes them (kebab-case), u64 values as `bigint`. */
export interface EventDict {
  common: CommonFields;
  kernel?: KernelFields;
  userspace?: UserFields;
  tracking?: TrackingFields;
  "skb-tracking"?: SkbTrackingFields;
  "skb-drop"?: SkbDropFields;
  packet?: PacketFields;
  skb?: SkbFields;
  netns?: NetnsFields;
  dev?: DevFields;
  ovs?: OvsFields;
  "ovs-detrace"?: OvsFlowInfoFields;
  nft?: NftFields;
  ct?: CtFields;
  startup?: StartupFields;
  /** Keys this version does not know are kept as they were read. */
  [unknown: string]: unknown;
}

/** The section objects of an event, by their JSON key. */
export interface SectionsByKey {
  common: CommonEvent;
  kernel: KernelEvent;
  userspace: UserEvent;
  tracking: TrackingInfo;
  "skb-tracking": SkbTrackingEvent;
  "skb-drop": SkbDropEvent;
  packet: PacketEvent;
  skb: SkbEvent;
  netns: NetnsEvent;
  dev: DevEvent;
  ovs: OvsEvent;
  "ovs-detrace": OvsFlowInfoEvent;
  nft: NftEvent;
  ct: CtEvent;
  startup: StartupEvent;
}

/** A section's JSON key, as in the file: `skb-tracking`. */
export type SectionKey = keyof SectionsByKey;

/** A section's property name on `Event`, snake_case: `skb_tracking`. */
export type SectionName = SectionKey extends infer K ? (K extends `${infer A}-${infer B}` ? `${A}_${B}` : K) : never;

/** Both spellings of a section's name, mapped to its section object. */
export type SectionsByName = SectionsByKey & { [K in SectionKey as K extends `${infer A}-${infer B}` ? `${A}_${B}` : never]: SectionsByKey[K] };

/** How an event is turned into text. */
export interface FormatOptions {
  /** `multi-line` (default): one line per section group; `single-line`: all on one line. */
  format?: "multi-line" | "single-line";
  /** Show wall-clock UTC time (`2025-03-18 23:12:45.860103`) instead of monotonic nanoseconds; needs `monotonicOffset`. */
  utc?: boolean;
  /** CLOCK_REALTIME − CLOCK_MONOTONIC of the capture, from its startup event; readers fill it in for their events. */
  monotonicOffset?: TimeSpec;
  /** Print link-layer details (MAC addresses, ethertypes, VLAN accel): Retis `-e`. */
  linkLayer?: boolean;
  /** Series only: under each hop, what changed since the hop before (`changed daddr … → …`), as `retis sort --changes` (not in Retis). */
  changes?: boolean;
}

/**
 * One Retis event: a set of sections, each a property (snake_case) when present. Retis `Event`.
 *
 * It behaves like plain data: `"skb_drop" in e` is true only when the event has that section, and
 * `Object.keys(e)`, `{...e}` and `for…in` list the present sections (file order). `JSON.stringify(e)` writes
 * the event's JSON with u64 values as exact decimal strings; `toJSONLine()` is the line as Retis writes it.
 * `console.log(e)` prints Retis's text.
 *
 * ```ts
 * for (const e of reader.events())
 *   if (e.skb_drop) console.log(e.common.timestamp, e.skb_drop.drop_reason);
 * ```
 */
export interface Event {
  /** Time, CPU and task of the event. JSON `common`; always present. */
  readonly common: CommonEvent;
  /** The kernel probe that made the event. JSON `kernel`. */
  readonly kernel?: KernelEvent;
  /** The user-space (USDT) probe that made the event. JSON `userspace`. */
  readonly userspace?: UserEvent;
  /** Series and position, added by `retis sort`. JSON `tracking`. */
  readonly tracking?: TrackingInfo;
  /** Identity of the packet across the stack. JSON `skb-tracking`. */
  readonly skb_tracking?: SkbTrackingEvent;
  /** The packet was dropped, and why. JSON `skb-drop`. */
  readonly skb_drop?: SkbDropEvent;
  /** The first bytes of the packet. JSON `packet`. */
  readonly packet?: PacketEvent;
  /** Selected `struct sk_buff` fields. JSON `skb`. */
  readonly skb?: SkbEvent;
  /** The network namespace of the packet. JSON `netns`. */
  readonly netns?: NetnsEvent;
  /** The network device of the packet. JSON `dev`. */
  readonly dev?: DevEvent;
  /** An Open vSwitch event. JSON `ovs`. */
  readonly ovs?: OvsEvent;
  /** OpenFlow rules behind a datapath flow. JSON `ovs-detrace`. */
  readonly ovs_detrace?: OvsFlowInfoEvent;
  /** An nftables verdict. JSON `nft`. */
  readonly nft?: NftEvent;
  /** The packet's conntrack entry. JSON `ct`. */
  readonly ct?: CtEvent;
  /** Description of the capture; only on a file's first event. JSON `startup`. */
  readonly startup?: StartupEvent;

  /** Where the event was read from (file and 1-based line), when read from a file. */
  readonly source: { readonly file: string; readonly line: number } | undefined;

  /** The section named `name` (`"skb-tracking"` or `"skb_tracking"`), or `undefined` when absent (Python `e["skb-tracking"]`). */
  get<N extends keyof SectionsByName>(name: N): SectionsByName[N] | undefined;
  /** True when the section is present (Python `"skb" in e`). Accepts both spellings. */
  has(name: keyof SectionsByName): boolean;
  /** Names of the present sections, snake_case and sorted, as Retis ≥ 1.6 (`["common", "kernel", "skb_tracking"]`). */
  sections(): SectionName[];
  /**
   * The event as JSON-shaped data, keys as in the file; unknown keys are kept; u64 values are `bigint`.
   * (Python `to_dict()`.) `JSON.stringify(e.toDict())` works too: its u64 values are written as decimal strings.
   */
  toDict(): EventDict;
  /** What `JSON.stringify(e)` writes: the event's JSON (keys as in the file), every u64 as an exact decimal string. */
  toJSON(): JsonData<EventDict>;
  /** The event as one JSON line as Retis writes it (without the newline): unchanged sections byte for byte, u64 values exact. */
  toJSONLine(): string;
  /** Parses and checks every section now, so that a bad section fails here (file and line) rather than when first read. */
  parseAll(): this;
  /** Multi-line text as `retis print` shows it, with monotonic time (Python `str(e)`). */
  toString(): string;
  /** Text with options: single-line, UTC time, link-layer details. */
  format(options?: FormatOptions): string;
}

/** The `Event` value: for `e instanceof Event`; events come from readers, not from a constructor. */
export interface EventConstructor extends Function {
  readonly prototype: Event;
}

/**
 * The events of one packet, in capture order: one line of a sorted file (`retis sort -o`). Retis `EventSeries`.
 * `JSON.stringify(series)` writes its events' JSON (u64 values as decimal strings); `toJSONLine()` the line.
 */
export interface EventSeries extends ReadonlyArray<Event> {
  /** Tracking id of the series' packet (from its first tracked event), or `undefined` for an untracked event. */
  trackingId(): bigint | undefined;
  /** Text as `retis sort` prints it: the first event, then each later one indented under `↳`. */
  toString(): string;
  /** Text with options. */
  format(options?: FormatOptions): string;
  /**
   * What changed at each hop: one entry per event after the first, comparing it with the hops before it —
   * addresses and ports (NAT), TTL, length, VLAN, tunnel headers, device, namespace, conntrack state, status
   * and mark (retis-org/retis issue #33; not in Retis).
   */
  changes(): HopChanges[];
  /** The series as one line of a sorted file (a JSON array of events), u64 values exact. */
  toJSONLine(): string;
}

/** The `EventSeries` value: `EventSeries.fromEvents(events)`, and `s instanceof EventSeries`. */
export interface EventSeriesConstructor extends Function {
  /** A series of the given events, in the given order (a series is the events of one packet). */
  fromEvents(events: Iterable<Event>): EventSeries;
  readonly prototype: EventSeries;
}
