import type { UserEvent, UserFields } from "../../typings/userspace.js";
import type { Formatter } from "../format/formatter.js";
import { SectionBase } from "./base.js";

export interface UserSection extends UserFields {}
export class UserSection extends SectionBase<UserFields> implements UserEvent {
  fmt(f: Formatter): void {
    f.write(`[u] ${this.symbol}`);
    const slash = this.path.lastIndexOf("/");
    if (slash >= 0) f.write(` (${this.path.slice(slash + 1)})`);
  }
}
