// The section registry: JSON key, property name and class of each section, in Retis's serialisation order.
import type { SectionKey, SectionName } from "../../typings/event.js";
import type { SectionBase } from "./base.js";
import { CommonSection } from "./common.js";
import { CtSection } from "./ct.js";
import { DevSection } from "./dev.js";
import { KernelSection } from "./kernel.js";
import { NetnsSection } from "./netns.js";
import { NftSection } from "./nft.js";
import { OvsSection } from "./ovs.js";
import { OvsDetraceSection } from "./ovs-detrace.js";
import { PacketSection } from "./packet.js";
import { SkbSection } from "./skb.js";
import { SkbDropSection } from "./skb-drop.js";
import { SkbTrackingSection } from "./skb-tracking.js";
import { StartupSection } from "./startup.js";
import { TrackingSection } from "./tracking.js";
import { UserSection } from "./userspace.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SectionClass = new (dict: any) => SectionBase<object>;

export const SECTION_CLASSES: Record<SectionKey, SectionClass> = {
  common: CommonSection,
  kernel: KernelSection,
  userspace: UserSection,
  tracking: TrackingSection,
  "skb-tracking": SkbTrackingSection,
  "skb-drop": SkbDropSection,
  packet: PacketSection,
  skb: SkbSection,
  netns: NetnsSection,
  dev: DevSection,
  ovs: OvsSection,
  "ovs-detrace": OvsDetraceSection,
  nft: NftSection,
  ct: CtSection,
  startup: StartupSection,
};

/** Section keys in the order Retis writes them. */
export const SECTION_KEYS = Object.keys(SECTION_CLASSES) as SectionKey[];

const ORDER = new Map<string, number>(SECTION_KEYS.map((k, i) => [k, i]));

/** Position of a key in Retis's order; unknown keys after all known ones. */
export function sectionRank(key: string): number {
  return ORDER.get(key) ?? SECTION_KEYS.length;
}

export function isSectionKey(key: string): key is SectionKey {
  return ORDER.has(key);
}

// Looked up, not computed: events ask for these on every section read.
const NAME_OF = new Map<string, SectionName>(SECTION_KEYS.map((k) => [k, k.replace("-", "_") as SectionName]));
const KEY_OF = new Map<string, SectionKey>(SECTION_KEYS.flatMap((k) => [[k, k] as const, [NAME_OF.get(k)!, k] as const]));

/** `skb-tracking` → `skb_tracking`. */
export function sectionName(key: SectionKey): SectionName {
  return NAME_OF.get(key)!;
}

/** Either spelling → the JSON key, or undefined when no such section exists. */
export function sectionKeyOf(name: string): SectionKey | undefined {
  return KEY_OF.get(name);
}

export {
  CommonSection,
  CtSection,
  DevSection,
  KernelSection,
  NetnsSection,
  NftSection,
  OvsSection,
  OvsDetraceSection,
  PacketSection,
  SkbSection,
  SkbDropSection,
  SkbTrackingSection,
  StartupSection,
  TrackingSection,
  UserSection,
};
