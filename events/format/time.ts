// Event times: monotonic nanoseconds as written, or wall-clock UTC as chrono's `%F %T.%6f` once the
// capture's clock offset is known.
import type { TimeSpec } from "../../typings/section.js";

const NS_PER_S = 1_000_000_000n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `timestamp` as text: raw nanoseconds, or `2025-03-18 23:12:45.860103` (UTC, microseconds truncated). */
export function formatTimestamp(timestamp: bigint, utc: boolean, offset?: TimeSpec): string {
  if (!utc || offset === undefined) return timestamp.toString();
  const total = timestamp + BigInt(offset.sec) * NS_PER_S + BigInt(offset.nsec);
  const secs = total / NS_PER_S;
  const micros = Number((total % NS_PER_S) / 1000n);
  const d = new Date(Number(secs) * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(micros, 6)}`
  );
}
