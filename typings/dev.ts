import type { Section } from "./section.js";

/** JSON shape of the `dev` section. */
export interface DevFields {
  /** Device name (`dev->name`); may be empty. JSON `name`. */
  name: string;
  /** Device index (`dev->ifindex`). JSON `ifindex` (u32). */
  ifindex: number;
  /** Index of the device the packet arrived on (`skb->skb_iif`); absent when not received yet. JSON `rx_ifindex` (u32). */
  rx_ifindex?: number;
}

/** The `dev` section: the network device of the packet. Retis `DevEvent`. */
export interface DevEvent extends DevFields, Section<DevFields> {}
