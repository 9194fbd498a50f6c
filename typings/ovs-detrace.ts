import type { Section } from "./section.js";

/** Unique flow id of an OVS datapath flow: four u32. Printed as a UUID. */
export type Ufid = [number, number, number, number];

/** JSON shape of the `ovs-detrace` section. */
export interface OvsFlowInfoFields {
  /** Unique flow id of the datapath flow. JSON `ufid` (4 × u32). */
  ufid: Ufid;
  /** Address of the kernel flow (`struct sw_flow`). JSON `flow` (u64). */
  flow: bigint;
  /** Address of the flow's actions (`struct sw_flow_actions`). JSON `sf_acts` (u64). */
  sf_acts: bigint;
  /** The datapath flow, as `ovs-appctl dpctl/dump-flows` prints it. JSON `dpflow`. */
  dpflow: string;
  /** OpenFlow flows that made the datapath flow. JSON `ofpflows`. */
  ofpflows: string[];
}

/** The `ovs-detrace` section (`--ovs-enrich-flows`): the OpenFlow rules behind a datapath flow. Retis `OvsFlowInfoEvent`. */
export interface OvsFlowInfoEvent extends OvsFlowInfoFields, Section<OvsFlowInfoFields> {}
