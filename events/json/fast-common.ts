// Reading `common` is what every tool does first (time, CPU, task), so its usual shape is recognised
// directly in the line: `{"common":{"timestamp":N,"smp_id":N,"task":{"pid":N,"tgid":N,"comm":"…"}},…`,
// the members in the order Retis writes them, with no white space. This is a recogniser of a strict subset:
// whatever it does not take exactly (white space, escapes, negative or long numbers, other keys) is left to
// the general path (strict scan, JSON.parse, shape check), which reads or refuses it and words the error.
// What it takes, it builds exactly as that path would.
import type { CommonFields } from "../../typings/common.js";

const HEAD = '{"common":{"timestamp":';
const SMP = ',"smp_id":';
const TASK = ',"task":{"pid":';
const TGID = ',"tgid":';
const COMM = ',"comm":"';

const U64_MAX = (1n << 64n) - 1n;

// Offset just past the last number `digits` read.
let end = 0;

/** The unsigned integer at `i` (no sign, no leading zero, at most `maxDigits`); sets `end`; -1 if none. */
function digits(t: string, i: number, maxDigits: number): number {
  let c = t.charCodeAt(i);
  if (c === 48) {
    end = i + 1;
    return 0;
  }
  if (!(c >= 49 && c <= 57)) return -1;
  let n = c - 48;
  let j = i + 1;
  for (;;) {
    c = t.charCodeAt(j);
    if (!(c >= 48 && c <= 57)) break;
    n = n * 10 + (c - 48);
    j++;
  }
  if (j - i > maxDigits) return -1;
  end = j;
  return n;
}

/**
 * `common` of an event line in its usual shape, with `timestamp` as bigint, or undefined when the line does
 * not start that way (then the general path decides). Only `common` is looked at.
 */
export function fastCommon(t: string): CommonFields | undefined {
  if (!t.startsWith(HEAD)) return undefined;
  let i = HEAD.length;
  // Up to 15 digits are exact in a double; longer ones (still within u64) go through BigInt.
  const ts0 = i;
  const tsNum = digits(t, i, 20);
  if (tsNum < 0) return undefined;
  i = end;
  let timestamp: bigint;
  if (i - ts0 <= 15) timestamp = BigInt(tsNum);
  else {
    timestamp = BigInt(t.slice(ts0, i));
    if (timestamp > U64_MAX) return undefined;
  }
  if (t.charCodeAt(i) === 125) return after(t, i + 1) ? { timestamp } : undefined;
  if (!t.startsWith(SMP, i)) return undefined;
  const smp_id = digits(t, i + SMP.length, 10);
  if (smp_id < 0 || smp_id > 4294967295) return undefined;
  i = end;
  if (t.charCodeAt(i) === 125) return after(t, i + 1) ? { timestamp, smp_id } : undefined;
  if (!t.startsWith(TASK, i)) return undefined;
  const pid = digits(t, i + TASK.length, 10);
  if (pid < 0 || pid > 2147483647) return undefined;
  i = end;
  if (!t.startsWith(TGID, i)) return undefined;
  const tgid = digits(t, i + TGID.length, 10);
  if (tgid < 0 || tgid > 2147483647) return undefined;
  i = end;
  if (!t.startsWith(COMM, i)) return undefined;
  i += COMM.length;
  const c0 = i;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 34) break;
    // A backslash, a control character, a surrogate or the end of the line (NaN): the general path.
    if (!(c >= 0x20 && c !== 92 && c < 0xd800)) return undefined;
    i++;
  }
  const comm = t.slice(c0, i);
  if (t.charCodeAt(i + 1) !== 125 || t.charCodeAt(i + 2) !== 125 || !after(t, i + 3)) return undefined;
  return { timestamp, smp_id, task: { pid, tgid, comm } };
}

/** After `common`'s closing brace: the next member or the end of the event. */
function after(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c === 44 || c === 125;
}
