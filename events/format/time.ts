// Event times: monotonic nanoseconds as written, or wall-clock UTC as chrono's `%F %T.%6f` once the
// capture's clock offset is known.
import type { TimeSpec } from "../../typings/section.js";

const NS_PER_S = 1_000_000_000n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

// Events come in time order: the date and time of the last second seen are kept, so a Date is made once
// per second of capture rather than once per event.
let cachedSecond: bigint | undefined;
let cachedText = "";

/** `secs` (since the epoch) as `2025-03-18 23:12:45`. */
function secondText(secs: bigint): string {
  if (secs !== cachedSecond) {
    const d = new Date(Number(secs) * 1000);
    cachedText =
      `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
      `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    cachedSecond = secs;
  }
  return cachedText;
}

/** `timestamp` as text: raw nanoseconds, or `2025-03-18 23:12:45.860103` (UTC, microseconds truncated). */
export function formatTimestamp(timestamp: bigint, utc: boolean, offset?: TimeSpec): string {
  if (!utc || offset === undefined) return timestamp.toString();
  const total = timestamp + BigInt(offset.sec) * NS_PER_S + BigInt(offset.nsec);
  const secs = total / NS_PER_S;
  const micros = Number((total % NS_PER_S) / 1000n);
  return `${secondText(secs)}.${pad(micros, 6)}`;
}
