import type { NftEvent, NftFields } from "../../typings/nft.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface NftSection extends NftFields {}
export class NftSection extends SectionBase<NftFields> implements NftEvent {
  fmt(f: Formatter): void {
    f.write(`table ${this.table_name} (${this.table_handle}) chain ${this.chain_name} (${this.chain_handle})`);
    if (this.rule_handle !== undefined) f.write(` handle ${this.rule_handle}`);
    f.write(` ${this.verdict}`);
    if (this.policy) f.write(" (policy)");
    if (this.verdict_chain_name !== undefined) f.write(` chain ${this.verdict_chain_name}`);
  }
}
