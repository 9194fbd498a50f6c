// The contract: every section, the event and the readers, with a doc comment per field.
// events/ implements these declarations; completion and hover show their comments.
export type * from "./section.js";
export type * from "./common.js";
export type * from "./kernel.js";
export type * from "./userspace.js";
export type * from "./tracking.js";
export type * from "./skb-tracking.js";
export type * from "./skb-drop.js";
export type * from "./packet.js";
export type * from "./packet-layers.js";
export type * from "./skb.js";
export type * from "./netns.js";
export type * from "./dev.js";
export type * from "./ovs.js";
export type * from "./ovs-detrace.js";
export type * from "./nft.js";
export type * from "./ct.js";
export type * from "./startup.js";
export type * from "./event.js";
export type * from "./changes.js";
export type * from "./file.js";
export type * from "./collect.js";
