// `retis sort`: tag events with tracking information (which packet, which position) and group them into
// series, one per packet, flushed oldest first so that memory stays bounded by --max-buffer.
import type { Event as EventLike, OvsFields, OvsFlowInfoFields, SkbTrackingFields, TrackingFields } from "../typings/index.js";
import { RetisFormatError, RetisUsageError, type SourcePos } from "./errors.js";
import { Event, memberInsertion } from "./event.js";
import { isSectionKey, sectionRank } from "./sections/index.js";
import type { SectionBase } from "./sections/base.js";
import { EventSeries } from "./series.js";

/** Tracking state of one packet, shared by every event of its series (OVS upcalls included). */
interface Info {
  skb: SkbTrackingFields;
  idx: number;
  /** idOf(skb), made once per packet. */
  id: string;
}

function idOf(t: SkbTrackingFields): string {
  return `${t.timestamp}:${t.orig_head}`;
}

/**
 * What grouping reads of an event, taken from its sections — here, or in another thread (`retis sort
 * --threads`), where the event was parsed and checked.
 */
export interface SortFacts {
  /** `common.timestamp`. */
  timestamp: bigint;
  skbTracking?: SkbTrackingFields;
  ovs?: OvsFields;
  detrace?: OvsFlowInfoFields;
}

/** The sections of `e` that sorting reads, as plain data. */
export function sortFacts(e: Event): SortFacts {
  const facts: SortFacts = { timestamp: e.common.timestamp };
  const t = e.skb_tracking;
  if (t) facts.skbTracking = { orig_head: t.orig_head, timestamp: t.timestamp, skb: t.skb };
  const ovs = e.ovs;
  // The sections' own JSON (not copies): read, never changed.
  if (ovs) facts.ovs = (ovs as unknown as SectionBase<OvsFields>).json();
  const detrace = e.ovs_detrace;
  if (detrace) facts.detrace = (detrace as unknown as SectionBase<OvsFlowInfoFields>).json();
  return facts;
}

/** Step 1: decides each event's tracking section, as Retis's AddTracking. */
class Tagger {
  private readonly bySkb = new Map<string, Info>();
  private readonly byUpcall = new Map<string, Info>();
  private readonly byQueue = new Map<number, Info>();

  /** The tracking section for an event, or undefined when the event is not tied to a packet. */
  tag(e: SortFacts, source: SourcePos | undefined): { tracking: TrackingFields; id: string } | undefined {
    const ovs = e.ovs;
    const fail = (problem: string): never => {
      throw RetisFormatError.at(source, problem);
    };
    const queued = (queueId: number): Info => this.byQueue.get(queueId) ?? fail(`Queue Id lookup failed for queue_id ${queueId}; expected an earlier upcall_enqueue event with it`);
    let info: Info | undefined;
    switch (ovs?.event_type) {
      case "upcall_enqueue": {
        const key = `${ovs.upcall_cpu}:${ovs.upcall_ts}`;
        info = this.byUpcall.get(key) ?? fail("Enqueue without an associated upcall event.");
        info.idx++;
        this.byQueue.set(ovs.queue_id, info);
        break;
      }
      case "recv_upcall":
      case "flow_operation":
        info = queued(ovs.queue_id);
        info.idx++;
        break;
      case "action_execute":
        if (ovs.queue_id !== undefined) {
          info = queued(ovs.queue_id);
          info.idx++;
          // The packet ovs-vswitchd re-injects is a new skb: it joins the original packet's series.
          const own = e.skbTracking;
          if (own) this.bySkb.set(idOf(own), info);
          break;
        }
        info = this.fromSkb(e);
        break;
      default:
        info = this.fromSkb(e);
        if (ovs?.event_type === "upcall" && info) this.byUpcall.set(`${ovs.cpu}:${e.timestamp}`, info);
        if (ovs?.event_type === "upcall_return") this.byUpcall.delete(`${ovs.upcall_cpu}:${ovs.upcall_ts}`);
    }
    if (!info) return undefined;
    const { orig_head, timestamp, skb } = info.skb;
    return { tracking: { skb: { orig_head, timestamp, skb }, idx: info.idx }, id: info.id };
  }

  private fromSkb(e: SortFacts): Info | undefined {
    const t = e.skbTracking;
    if (!t) return undefined;
    const id = idOf(t);
    const known = this.bySkb.get(id);
    if (known) {
      known.idx++;
      return known;
    }
    const info = { skb: { orig_head: t.orig_head, timestamp: t.timestamp, skb: t.skb }, idx: 0, id };
    this.bySkb.set(id, info);
    return info;
  }
}

/** An event placed in its series: its tracking section, and the flow info a flow lookup is enriched with. */
export interface Placed<I> {
  item: I;
  tracking?: TrackingFields;
  flow?: OvsFlowInfoFields;
  /** The event's `ovs` section, kept until the series is flushed (flow lookups are enriched then). */
  ovs?: OvsFields;
}

interface Pending {
  timestamp: bigint;
  origHead: bigint;
  id: string;
  events: Placed<unknown>[];
}

/** Min-heap of series by (first-seen timestamp, orig_head): Retis's BTreeMap order. */
class SeriesHeap {
  private readonly items: Pending[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  private less(a: Pending, b: Pending): boolean {
    return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.origHead < b.origHead);
  }

  push(p: Pending): void {
    const h = this.items;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  pop(): Pending | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

export interface SortOptions {
  /** Events kept in memory before the oldest series are written out; 0 keeps all (Retis's default is 1000). */
  maxBuffer?: number;
}

/**
 * Groups events into series, as `retis sort`, whatever an event is held as (`I`): an Event, or a line of
 * text whose sections were read elsewhere. Feed events with add(); take series from the returns.
 */
export class Grouper<I> {
  private readonly tagger = new Tagger();
  private readonly open = new Map<string, Pending>();
  private readonly heap = new SeriesHeap();
  private readonly untracked: { item: I; timestamp: bigint }[] = [];
  private untrackedHead = 0;
  private buffered = 0;
  private readonly flowInfo = new Map<string, OvsFlowInfoFields>();
  private readonly maxBuffer: number;

  constructor(options: SortOptions = {}) {
    this.maxBuffer = options.maxBuffer ?? 1000;
  }

  /** Adds an event (its sections in `facts`); returns the series that had to be flushed to respect the buffer limit. */
  add(item: I, facts: SortFacts, source?: SourcePos): Placed<I>[][] {
    if (facts.detrace) this.flowInfo.set(flowKey(facts.detrace), facts.detrace);
    const tagged = this.tagger.tag(facts, source);
    if (tagged === undefined) {
      this.untracked.push({ item, timestamp: facts.timestamp });
    } else {
      const { tracking, id } = tagged;
      let pending = this.open.get(id);
      if (!pending) {
        pending = { timestamp: tracking.skb.timestamp, origHead: tracking.skb.orig_head, id, events: [] };
        this.open.set(id, pending);
        this.heap.push(pending);
      }
      pending.events.push({ item, tracking, ovs: facts.ovs });
    }
    this.buffered++;
    const out: Placed<I>[][] = [];
    while (this.maxBuffer > 0 && this.buffered >= this.maxBuffer) out.push(this.popOldest()!);
    return out;
  }

  /** Everything still buffered, oldest first (end of input). */
  *drain(): Generator<Placed<I>[]> {
    for (let s = this.popOldest(); s; s = this.popOldest()) yield s;
  }

  /** Events currently held in memory. */
  get size(): number {
    return this.buffered;
  }

  private popOldest(): Placed<I>[] | undefined {
    const series = this.heap.peek();
    const loose = this.untracked[this.untrackedHead];
    if (loose && (!series || loose.timestamp <= series.timestamp)) {
      this.untracked[this.untrackedHead++] = undefined as unknown as { item: I; timestamp: bigint };
      if (this.untrackedHead > 1024 && this.untrackedHead * 2 > this.untracked.length) {
        this.untracked.splice(0, this.untrackedHead);
        this.untrackedHead = 0;
      }
      this.buffered--;
      return [{ item: loose.item }];
    }
    if (!series) return undefined;
    this.heap.pop();
    this.open.delete(series.id);
    this.buffered -= series.events.length;
    const events = series.events as Placed<I>[];
    // Flow lookups get their datapath and OpenFlow flows from ovs-detrace events, at flush time as Retis.
    for (const p of events) {
      if (p.ovs?.event_type === "flow_lookup") p.flow = this.flowInfo.get(flowKey(p.ovs));
      p.ovs = undefined;
    }
    return events;
  }
}

/** Groups events into series, as `retis sort`. Feed events with add(); take series from the returns. */
export class Sorter {
  private readonly grouper: Grouper<Event>;

  constructor(options: SortOptions = {}) {
    this.grouper = new Grouper(options);
  }

  /**
   * Adds an event; returns the series that had to be flushed to respect the buffer limit. Takes the
   * typings' Event (what `reader.events()` is typed as in cells) but needs one read by this library.
   */
  add(input: EventLike): EventSeries[] {
    if (!(input instanceof Event)) throw new RetisUsageError("Sorter.add takes events read by this library (EventFile, Event.fromLine)");
    return this.grouper.add(input, sortFacts(input), input.source).map(seriesOf);
  }

  /** Everything still buffered, oldest first (end of input). */
  *drain(): Generator<EventSeries> {
    for (const s of this.grouper.drain()) yield seriesOf(s);
  }

  /** Events currently held in memory. */
  get size(): number {
    return this.grouper.size;
  }
}

function seriesOf(placed: Placed<Event>[]): EventSeries {
  return EventSeries.fromEvents(placed.map((p) => withPlacement(p.item, p)));
}

/** The event as written in its series: with its tracking section, and a flow lookup's flows. */
export function withPlacement(e: Event, p: Placed<unknown>): Event {
  let out = p.tracking ? e.withSection("tracking", p.tracking) : e;
  const flow = p.flow;
  if (flow) out = out.withSection("ovs", { ...(out.ovs!.toDict() as object), dpflow: flow.dpflow, ofpflows: [...flow.ofpflows] });
  return out;
}

function flowKey(f: { ufid: number[]; flow: bigint; sf_acts: bigint }): string {
  return `${f.ufid.join(",")}:${f.flow}:${f.sf_acts}`;
}

/** Sorts a stream of events into series (all of them, flushed as the buffer fills). */
export function* sortEvents(events: Iterable<EventLike>, options: SortOptions = {}): Generator<EventSeries> {
  const sorter = new Sorter(options);
  for (const e of events) yield* sorter.add(e);
  yield* sorter.drain();
}

const TRACKING_RANK = sectionRank("tracking");
const COMMAS = ["none", "before", "after"] as const;

/**
 * Where `line` takes its tracking section, as Event.withSection puts it, encoded as one number (offset × 4 +
 * comma); -1 when the line needs withSection's general path. Found where the line is parsed (another
 * thread), so that the sorting thread only splices.
 */
export function trackingInsertion(line: string): number {
  const p = memberInsertion(line, "tracking", (k) => isSectionKey(k) && sectionRank(k) > TRACKING_RANK);
  return p === undefined ? -1 : p.at * 4 + COMMAS.indexOf(p.comma);
}

/** `line` with its tracking section at `insertion` (trackingInsertion): the text withSection writes. */
export function withTracking(line: string, insertion: number, t: TrackingFields): string {
  const at = Math.floor(insertion / 4);
  const comma = COMMAS[insertion % 4];
  const s = t.skb;
  // stringifyExact of Tagger's object, key for key.
  const member = `"tracking":{"skb":{"orig_head":${s.orig_head},"timestamp":${s.timestamp},"skb":${s.skb}},"idx":${t.idx}}`;
  return `${line.slice(0, at)}${comma === "before" ? "," : ""}${member}${comma === "after" ? "," : ""}${line.slice(at)}`;
}
