// An event is a line of a capture file. It is split into sections without parsing them; each section is
// parsed, checked against typings/ and made an object the first time it is read. `common` has a fast path
// because every tool reads it. Unchanged sections are written back as the bytes they came from.
//
// Events behave like plain data (issue F): `"skb_drop" in e`, Object.keys, spreading and for…in see exactly
// the present sections. Defining own accessors per event costs microseconds (measured: more than reading the
// event), and knowing the sections up front means scanning every line; a Proxy answers those questions
// lazily, from the line, and costs one allocation per event and one trap per property read.
import type * as T from "../typings/index.js";
import { applyCompat, sectionLocal, type FormatVersion } from "./compat.js";
import { RetisFormatError, type SourcePos } from "./errors.js";
import { DEFAULT_DISPLAY, Formatter, type DisplayOptions } from "./format/formatter.js";
import { SECTIONS } from "./generated/schema.js";
import { JsonSyntaxError, parseMarked, unmark, type JsonValue } from "./json/exact.js";
import { fastCommon } from "./json/fast-common.js";
import { splitObject, valueEnd } from "./json/split.js";
import { stringifyExact } from "./json/write.js";
import { hideToJSON, jsonData, plainCopy } from "./plain.js";
import type { SectionBase } from "./sections/base.js";
import {
  CommonSection,
  SECTION_CLASSES,
  SECTION_KEYS,
  isSectionKey,
  sectionKeyOf,
  sectionName,
  sectionRank,
  type KernelSection,
  type SkbSection,
} from "./sections/index.js";
import { ShapeError, conform } from "./validate.js";
import { eventBundle } from "./display/event.js";

type AnySection = SectionBase<object>;

const COMMON_PREFIX = '{"common":';

export class Event implements T.Event {
  /** The line as read; undefined for an event built from data. */
  #line: string | undefined;
  /** Raw JSON text of each member, in file order; split on first need. */
  #raw: Map<string, string> | undefined;
  /** Parsed sections and unknown members; `null` marks an absent section. */
  // Allocated on first parse: most events in a scan only ever touch `common`.
  #parsedMap: Map<string, AnySection | JsonValue | null> | undefined;
  #common: AnySection | undefined;
  /** Every member's JSON value from one parse of the line (long integers marked), on first full need. */
  #values: { [key: string]: JsonValue } | undefined;
  readonly #source: SourcePos | undefined;
  /** Set for files older than the current format: section-local fix-ups still to apply when parsing. */
  #compat: FormatVersion | undefined;
  /** The capture's clock offset, for UTC time; set by readers from the startup event. */
  monotonicOffset: T.TimeSpec | undefined;

  private constructor(line: string | undefined, raw: Map<string, string> | undefined, source: SourcePos | undefined) {
    this.#line = line;
    this.#raw = raw;
    this.#source = source;
  }

  /**
   * An event from one line of an events file (or one element of a series line). Nothing is parsed yet,
   * unless the file's version `compat` needs fix-ups that move data between sections.
   */
  static fromLine(line: string, source?: SourcePos, compat?: FormatVersion, monotonicOffset?: T.TimeSpec): Event {
    const e = new Event(line, undefined, source);
    e.monotonicOffset = monotonicOffset;
    if (compat === undefined) return Event.#plain(e);
    if (sectionLocal(compat)) {
      e.#compat = compat;
      return Event.#plain(e);
    }
    const whole: { [key: string]: JsonValue } = {};
    for (const [key, raw] of e.members()) whole[key] = unmark(e.parseRaw(key, raw));
    try {
      applyCompat(whole, compat);
    } catch (err) {
      e.fail((err as Error).message);
    }
    const members = new Map<string, string>();
    for (const [key, value] of Object.entries(whole)) if (value !== null) members.set(key, stringifyExact(value));
    const fixed = new Event(undefined, members, source);
    fixed.monotonicOffset = monotonicOffset;
    return Event.#plain(fixed);
  }

  /** The event as users see it: `in`, Object.keys, spreading and for…in answered from its sections. */
  static #plain(e: Event): Event {
    return new Proxy(e, Event.#handler);
  }

  static readonly #handler: ProxyHandler<Event> = {
    // Methods run on the event itself (they use private fields); section getters get it as `this` too.
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" && METHODS.has(key) ? value.bind(target) : value;
    },
    set(target, key, value) {
      return Reflect.set(target, key, value, target);
    },
    has(target, key) {
      const section = typeof key === "string" ? SECTION_OF_NAME.get(key) : undefined;
      return section === undefined ? Reflect.has(target, key) : target.#present(section);
    },
    ownKeys(target) {
      return target.#presentNames();
    },
    getOwnPropertyDescriptor(target, key) {
      const section = typeof key === "string" ? SECTION_OF_NAME.get(key) : undefined;
      if (section === undefined) return Reflect.getOwnPropertyDescriptor(target, key);
      // Reported as configurable: the target (extensible) does not hold it, as the Proxy invariants require.
      // One frozen descriptor per section: the engine only reads it (callers get their own copy).
      return target.#present(section) ? PRESENT_DESCRIPTORS.get(section) : undefined;
    },
  };

  /** True when the line has the section (not null), without parsing it. */
  #present(key: T.SectionKey): boolean {
    if (this.#values !== undefined) {
      const v = this.#values[key];
      return v !== undefined && v !== null;
    }
    if (key === "common" && this.#common !== undefined) return true;
    const raw = this.members().get(key);
    return raw !== undefined && raw !== "null";
  }

  /** Property names of the present sections, in file order. */
  #presentNames(): string[] {
    const names: string[] = [];
    for (const key of this.memberKeys()) if (isSectionKey(key) && this.#present(key)) names.push(sectionName(key));
    return names;
  }

  private parseRaw(key: string, raw: string): JsonValue {
    try {
      return parseMarked(raw);
    } catch (e) {
      if (e instanceof JsonSyntaxError) this.fail(`section '${key}': ${e.message}`);
      throw e;
    }
  }

  get #parsed(): Map<string, AnySection | JsonValue | null> {
    return (this.#parsedMap ??= new Map());
  }

  /** Where the event was read from, if from a file. */
  get source(): SourcePos | undefined {
    return this.#source;
  }

  private fail(problem: string): never {
    throw RetisFormatError.at(this.#source, problem);
  }

  private members(): Map<string, string> {
    if (this.#raw === undefined) {
      try {
        this.#raw = splitObject(this.#line!);
      } catch (e) {
        if (e instanceof JsonSyntaxError) this.fail(`${e.message}; expected one JSON object per line`);
        throw e;
      }
      if (!this.#raw.has("common")) this.fail("event has no 'common' section; expected every event to have one");
    }
    return this.#raw;
  }

  /** Every member's value, from one JSON.parse of the whole line: cheaper than a parse per section. */
  private values(): { [key: string]: JsonValue } {
    if (this.#values !== undefined) return this.#values;
    let values: { [key: string]: JsonValue };
    if (this.#raw === undefined) {
      let whole: JsonValue;
      try {
        whole = parseMarked(this.#line!);
      } catch (e) {
        if (e instanceof JsonSyntaxError) this.fail(`${e.message}; expected one JSON object per line`);
        throw e;
      }
      if (typeof whole !== "object" || whole === null || Array.isArray(whole)) this.fail("expected a JSON object (an event) on this line");
      values = whole;
    } else {
      values = {};
      for (const [key, raw] of this.#raw) values[key] = this.parseRaw(key, raw);
    }
    if (values.common === undefined) this.fail("event has no 'common' section; expected every event to have one");
    this.#values = values;
    return values;
  }

  /** Keys of the members, in file order, without splitting the line when it was parsed whole. */
  private memberKeys(): Iterable<string> {
    return this.#raw?.keys() ?? Object.keys(this.values());
  }

  private rawOf(key: string): string | undefined {
    // Fast path: reading `common` of `{"common":{...},...}` needs only its own braces.
    if (key === "common" && this.#raw === undefined && this.#line!.startsWith(COMMON_PREFIX)) {
      try {
        return this.#line!.slice(COMMON_PREFIX.length, valueEnd(this.#line!, COMMON_PREFIX.length));
      } catch {
        return this.members().get(key);
      }
    }
    return this.members().get(key);
  }

  /** The parsed section (or unknown member) under `key`, or undefined. */
  private member(key: string): AnySection | JsonValue | undefined {
    if (key === "common") {
      if (this.#common !== undefined) return this.#common;
      // Most lines' common is recognised in place; anything else takes the general path below.
      if (this.#values === undefined && this.#compat === undefined && this.#line !== undefined) {
        const dict = fastCommon(this.#line);
        if (dict !== undefined) return (this.#common = new CommonSection(dict));
      }
    }
    const cached = this.#parsedMap?.get(key);
    if (cached !== undefined) return cached ?? undefined;
    if (this.#parsedMap?.has(key)) return undefined;
    // One section read alone (sort reads skb-tracking and ovs) is cut out of the line and parsed by itself;
    // readers of every section (print, toDict) parse the whole line once first, through values().
    let json: JsonValue | undefined;
    if (this.#values !== undefined) json = Object.hasOwn(this.#values, key) ? this.#values[key] : undefined;
    else {
      const raw = this.rawOf(key);
      json = raw === undefined ? undefined : this.parseRaw(key, raw);
    }
    let value: AnySection | JsonValue | null = null;
    if (json !== undefined) {
      if (this.#compat !== undefined && json !== null) {
        const holder = { [key]: json };
        try {
          applyCompat(holder, this.#compat, key);
        } catch (err) {
          this.fail((err as Error).message);
        }
        json = holder[key]!;
      }
      if (json !== null) {
        if (isSectionKey(key)) {
          try {
            conform(json, SECTIONS[key]!);
          } catch (e) {
            if (e instanceof ShapeError) this.fail(`section '${key}': ${e.message}`);
            throw e;
          }
          value = new SECTION_CLASSES[key](json);
        } else value = unmark(json);
      }
    }
    if (key === "common" && value !== null) this.#common = value as AnySection;
    else this.#parsed.set(key, value);
    return value ?? undefined;
  }

  private section<S>(key: T.SectionKey): S | undefined {
    return this.member(key) as S | undefined;
  }

  /** Parses every member now: a bad section fails here rather than when first read. */
  parseAll(): this {
    this.values();
    for (const key of this.memberKeys()) this.member(key);
    if (this.section("common") === undefined) this.fail("event has no 'common' section; expected every event to have one");
    return this;
  }

  get common(): T.CommonEvent {
    const c = this.section<T.CommonEvent>("common");
    return c ?? this.fail("event has no 'common' section; expected every event to have one");
  }

  declare readonly kernel?: T.KernelEvent;
  declare readonly userspace?: T.UserEvent;
  declare readonly tracking?: T.TrackingInfo;
  declare readonly skb_tracking?: T.SkbTrackingEvent;
  declare readonly skb_drop?: T.SkbDropEvent;
  declare readonly packet?: T.PacketEvent;
  declare readonly skb?: T.SkbEvent;
  declare readonly netns?: T.NetnsEvent;
  declare readonly dev?: T.DevEvent;
  declare readonly ovs?: T.OvsEvent;
  declare readonly ovs_detrace?: T.OvsFlowInfoEvent;
  declare readonly nft?: T.NftEvent;
  declare readonly ct?: T.CtEvent;
  declare readonly startup?: T.StartupEvent;

  get<N extends keyof T.SectionsByName>(name: N): T.SectionsByName[N] | undefined {
    const key = sectionKeyOf(name);
    return key === undefined ? undefined : (this.section(key) as T.SectionsByName[N] | undefined);
  }

  has(name: keyof T.SectionsByName): boolean {
    const key = sectionKeyOf(name);
    return key !== undefined && this.section(key) !== undefined;
  }

  sections(): T.SectionName[] {
    this.values();
    return SECTION_KEYS.filter((k) => this.section(k) !== undefined)
      .map(sectionName)
      .sort();
  }

  /** JSON keys of the members present, in file order (unknown keys included). */
  keys(): string[] {
    return [...this.memberKeys()];
  }

  toDict(): T.EventDict {
    this.values();
    const out: Record<string, unknown> = {};
    for (const key of this.memberKeys()) {
      const m = this.member(key);
      if (m === undefined) continue;
      out[key] = isSectionKey(key) ? (m as AnySection).toDict() : plainCopy(m);
    }
    // Every event holds a bigint (common.timestamp): the whole gets the hidden toJSON too.
    hideToJSON(out);
    return out as T.EventDict;
  }

  /** `JSON.stringify(e)`: the event's JSON, keys as in the file, u64 values as exact decimal strings. */
  toJSON(): T.JsonData<T.EventDict> {
    return jsonData(this.toDict());
  }

  toJSONLine(): string {
    if (this.#compat !== undefined) {
      // Written in the current format: fixed-up sections are serialised again.
      const parts: string[] = [];
      for (const key of this.members().keys()) {
        const m = this.member(key);
        if (m === undefined) continue;
        const json = isSectionKey(key) ? (m as AnySection).json() : m;
        parts.push(`${JSON.stringify(key)}:${stringifyExact(json)}`);
      }
      return `{${parts.join(",")}}`;
    }
    if (this.#line !== undefined) return this.#line;
    const parts: string[] = [];
    // Members are written as read, `null` ones too (an unknown key's null is data; compat leaves none).
    for (const [key, raw] of this.members()) {
      parts.push(`${JSON.stringify(key)}:${raw}`);
    }
    return `{${parts.join(",")}}`;
  }

  /** A copy with `section` set under `key`, placed where Retis writes it; used by sort to add `tracking`. */
  withSection(key: T.SectionKey, dict: object): Event {
    const text = stringifyExact(dict);
    const rank = sectionRank(key);
    const goesBefore = (k: string) => k !== key && isSectionKey(k) && sectionRank(k) > rank;
    let e: Event;
    const line = this.#line !== undefined && this.#raw === undefined && this.#compat === undefined ? insertMember(this.#line, key, text, goesBefore) : undefined;
    if (line !== undefined) {
      // The new member is spliced into the line: members before it are scanned, none re-serialised.
      e = new Event(line, undefined, this.#source);
    } else {
      const members = new Map<string, string>();
      let placed = false;
      for (const [k, raw] of this.members()) {
        if (k === key) continue;
        if (!placed && goesBefore(k)) {
          members.set(key, text);
          placed = true;
        }
        members.set(k, raw);
      }
      if (!placed) members.set(key, text);
      e = new Event(undefined, members, this.#source);
    }
    const plain = Event.#plain(e);
    e.monotonicOffset = this.monotonicOffset;
    e.#compat = this.#compat;
    if (this.#values !== undefined) {
      const values: { [key: string]: JsonValue } = {};
      let placed = false;
      for (const k in this.#values) {
        if (k === key) continue;
        if (!placed && goesBefore(k)) {
          values[key] = structuredClone(dict) as JsonValue;
          placed = true;
        }
        values[k] = this.#values[k]!;
      }
      if (!placed) values[key] = structuredClone(dict) as JsonValue;
      e.#values = values;
    }
    for (const [k, v] of this.#parsedMap ?? []) if (k !== key) e.#parsed.set(k, v);
    if (key !== "common") e.#common = this.#common;
    return plain;
  }

  /** Writes the event's text (Retis's `Event::event_fmt`). */
  fmt(f: Formatter, o: DisplayOptions): void {
    const values = this.values();
    // Most sections are absent from most events: those are answered from the parsed line, not looked up.
    const s = (key: T.SectionKey) => (values[key] == null ? undefined : (this.member(key) as AnySection | undefined));
    (this.common as unknown as AnySection).fmt(f, o);
    const kernel = s("kernel") as KernelSection | undefined;
    const origin = kernel ?? s("userspace");
    if (origin) {
      f.write(" ");
      origin.fmt(f, o);
    }
    const tracking = s("tracking") ?? s("skb-tracking");
    if (tracking) {
      f.write(" ");
      tracking.fmt(f, o);
    }
    const drop = s("skb-drop");
    if (drop) {
      f.write(" ");
      drop.fmt(f, o);
    }
    const sep = o.multiline ? "\n" : " ";
    if (kernel?.stack_trace !== undefined) {
      f.incLevel(4);
      f.write(sep);
      kernel.fmtStack(f, o);
      f.resetLevel();
    }
    f.incLevel(2);
    const netns = s("netns");
    for (const key of BODY_SECTIONS) {
      const section = s(key);
      if (section === undefined) continue;
      if (key === "skb" && !(section as SkbSection).printable(o)) continue;
      // Retis keeps the device on the namespace's line.
      f.write(key === "dev" && netns !== undefined ? " " : sep);
      section.fmt(f, o);
    }
    f.resetLevel();
  }

  format(options: T.FormatOptions = {}): string {
    const f = new Formatter();
    this.fmt(f, displayOptions(options, this.monotonicOffset));
    return f.finish();
  }

  toString(): string {
    const f = new Formatter();
    this.fmt(f, DEFAULT_DISPLAY);
    return f.finish();
  }

  /** console.log and the shells show an event as Retis's text, not as its private state. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** A notebook shows an event as Retis's text and a table of its sections (events/display/). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return eventBundle(this);
  }
}

/**
 * `line` with `"key":text` inserted before the first top-level member for which `before(member)` holds (or
 * at the end); undefined when the line already has `key` or cannot be scanned.
 */
function insertMember(line: string, key: string, text: string, before: (k: string) => boolean): string | undefined {
  const p = memberInsertion(line, key, before);
  if (p === undefined) return undefined;
  const member = `${JSON.stringify(key)}:${text}`;
  return `${line.slice(0, p.at)}${p.comma === "before" ? "," : ""}${member}${p.comma === "after" ? "," : ""}${line.slice(p.at)}`;
}

/**
 * Where insertMember puts `"key":…` in `line`: the offset, and the comma that goes with it (after the new
 * member when it goes before another, before it at the end of a non-empty object). Undefined when the line
 * already has `key` or cannot be scanned. `retis sort` computes it where the line is parsed (another thread).
 */
export function memberInsertion(line: string, key: string, before: (k: string) => boolean): { at: number; comma: "before" | "after" | "none" } | undefined {
  // The key may come after the insertion point (sections out of Retis's order): replacing it there needs
  // the members split (the caller's other path). Its text inside a value only costs that slower path.
  if (line.includes(`${JSON.stringify(key)}:`)) return undefined;
  const open = line.indexOf("{") + 1;
  if (open === 0) return undefined;
  let i = open;
  try {
    for (;;) {
      while (line.charCodeAt(i) === 32) i++;
      if (line.charCodeAt(i) === 125) return { at: i, comma: i > open ? "before" : "none" };
      const keyEnd = valueEnd(line, i);
      const k = line.slice(i + 1, keyEnd - 1);
      if (k === key || k.includes("\\")) return undefined;
      if (before(k)) return { at: i, comma: "after" };
      let j = keyEnd;
      while (line.charCodeAt(j) === 32) j++;
      if (line.charCodeAt(j) !== 58) return undefined;
      j++;
      while (line.charCodeAt(j) === 32) j++;
      j = valueEnd(line, j);
      while (line.charCodeAt(j) === 32) j++;
      if (line.charCodeAt(j) === 44) i = j + 1;
      else if (line.charCodeAt(j) === 125) i = j;
      else return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Sections printed under an event's first line, in Retis's order. */
const BODY_SECTIONS = ["packet", "netns", "dev", "skb", "ovs", "ovs-detrace", "nft", "ct", "startup"] as const;

/** Public format options → what sections read. */
export function displayOptions(options: T.FormatOptions, offset?: T.TimeSpec): DisplayOptions {
  return {
    multiline: (options.format ?? "multi-line") === "multi-line",
    utc: options.utc ?? false,
    offset: options.monotonicOffset ?? offset,
    linkLayer: options.linkLayer ?? false,
  };
}

/** Section property name (`skb_drop`) → JSON key (`skb-drop`). */
const SECTION_OF_NAME = new Map<string, T.SectionKey>(SECTION_KEYS.map((k) => [sectionName(k), k]));

// One getter per optional section, named as typings/ names them. On the prototype (not enumerable): the
// Proxy reports present sections as own enumerable properties with the same getter.
const SECTION_GETTERS = new Map<T.SectionKey, (this: Event) => unknown>();
for (const key of SECTION_KEYS) {
  const getter =
    key === "common"
      ? Object.getOwnPropertyDescriptor(Event.prototype, "common")!.get!
      : function (this: Event) {
          return this.get(key);
        };
  SECTION_GETTERS.set(key, getter);
  if (key === "common") continue;
  Object.defineProperty(Event.prototype, sectionName(key), { get: getter, enumerable: false, configurable: true });
}

/** What the Proxy reports for a present section: enumerable, with the section's getter. */
const PRESENT_DESCRIPTORS = new Map<T.SectionKey, PropertyDescriptor>(
  SECTION_KEYS.map((k) => [k, Object.freeze({ get: SECTION_GETTERS.get(k), set: undefined, enumerable: true, configurable: true })]),
);

/** Methods of Event, bound to the event when read through its Proxy. */
const METHODS = new Set<PropertyKey>(
  Reflect.ownKeys(Event.prototype).filter((k) => k !== "constructor" && typeof Object.getOwnPropertyDescriptor(Event.prototype, k)?.value === "function"),
);
