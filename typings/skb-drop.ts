import type { Section } from "./section.js";

/** JSON shape of the `skb-drop` section. */
export interface SkbDropFields {
  /** Why the kernel dropped the packet: `enum skb_drop_reason` name without its `SKB_DROP_REASON_` prefix, e.g. `NO_SOCKET`, `NETFILTER_DROP`, `NOT_SPECIFIED`. JSON `drop_reason`. */
  drop_reason: string;
  /** Subsystem that owns the reason, lowercase (`openvswitch`, `mac80211_unusable`, `qdisc`); absent for core reasons. JSON `subsys`. */
  subsys?: string;
}

/** The `skb-drop` section: the packet was freed as a drop, with the kernel's reason. Retis `SkbDropEvent`. */
export interface SkbDropEvent extends SkbDropFields, Section<SkbDropFields> {
  /** The reason as Retis prints it: `subsys/REASON` (`openvswitch/…`), or just `REASON` for core reasons. */
  reason(): string;
}
