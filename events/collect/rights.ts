// Can a collector started from here load BPF programs? Tracing programs need CAP_BPF and CAP_PERFMON (or
// CAP_SYS_ADMIN, which implies both). What matters is the child's capabilities after exec: for root, its
// bounding set (exec gives root every capability left there); for another user, its ambient set, unless the
// binary is set-user-ID root. File capabilities on the binary are not looked at (Node reads no xattrs): such a
// setup is refused here. The collector checks again, with the same words, before it creates anything.
import { readFileSync, statSync } from "node:fs";
import { RetisPermissionError } from "../errors.js";

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

/** The words of the one error, shared with the collector's own check (collector/src/main.c). */
export const RIGHTS_NEEDED = "collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON";

function capSet(status: string, name: string): bigint | undefined {
  const m = new RegExp(`^${name}:\\s*([0-9a-f]+)$`, "m").exec(status);
  return m ? BigInt(`0x${m[1]}`) : undefined;
}

const has = (set: bigint, cap: bigint) => ((set >> cap) & 1n) === 1n;

/** Why a collector started by this process could not load BPF programs, or undefined when it can. */
export function missingRights(binary: string): string | undefined {
  let status: string;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    return undefined; // no /proc: the collector's own check decides
  }
  const root = process.geteuid?.() === 0;
  const set = capSet(status, root ? "CapBnd" : "CapAmb");
  if (set === undefined) return undefined;
  if (has(set, CAP_SYS_ADMIN) || (has(set, CAP_BPF) && has(set, CAP_PERFMON))) return undefined;
  try {
    const st = statSync(binary);
    // a set-user-ID root collector runs as root whoever starts it
    if (st.mode & 0o4000 && st.uid === 0) return undefined;
  } catch {
    // a missing binary is reported by whoever runs it
  }
  const lacking = [has(set, CAP_BPF) ? undefined : "CAP_BPF", has(set, CAP_PERFMON) ? undefined : "CAP_PERFMON"].filter(Boolean).join(" and ");
  const who = root ? `root without ${lacking} (dropped from its bounding set)` : `user ${process.geteuid?.() ?? "?"} without ${lacking}`;
  return `${RIGHTS_NEEDED}: this process runs as ${who}; run as root (e.g. with sudo) or grant CAP_BPF and CAP_PERFMON`;
}

/** Throws RetisPermissionError when a collector started from here could not load its programs. */
export function checkRights(binary: string): void {
  const why = missingRights(binary);
  if (why !== undefined) throw new RetisPermissionError(why);
}
