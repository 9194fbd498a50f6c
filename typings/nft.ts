import type { Section } from "./section.js";

/** An nftables verdict, as Retis names it. */
export type NftVerdict =
  | "continue" | "break" | "jump" | "goto" | "return" | "drop" | "accept" | "stolen" | "queue" | "repeat" | "stop"
  | "unknown";

/** JSON shape of the `nft` section. */
export interface NftFields {
  /** Name of the nftables table. JSON `table_name`. */
  table_name: string;
  /** Name of the chain. JSON `chain_name`. */
  chain_name: string;
  /** Verdict of the rule or policy. JSON `verdict`. */
  verdict: NftVerdict | (string & {});
  /** Target chain of a `jump` or `goto` verdict. JSON `verdict_chain_name`. */
  verdict_chain_name?: string;
  /** Handle of the table. JSON `table_handle` (i64). */
  table_handle: number;
  /** Handle of the chain. JSON `chain_handle` (i64). */
  chain_handle: number;
  /** Handle of the rule; absent when the verdict came from the chain's policy. JSON `rule_handle` (i64). */
  rule_handle?: number;
  /** True when the verdict is the chain's policy. JSON `policy`. */
  policy: boolean;
}

/** The `nft` section: an nftables rule or policy that gave a verdict on the packet. Retis `NftEvent`. */
export interface NftEvent extends NftFields, Section<NftFields> {}
