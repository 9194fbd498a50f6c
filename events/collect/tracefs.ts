// --allow-system-changes: the one system change collecting may need, tracefs mounted for the capture.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Mounts tracefs on /sys/kernel/tracing when it is not; the returned function unmounts it. */
export function mountTracefs(): (() => void) | undefined {
  if (existsSync("/sys/kernel/tracing/available_events")) return undefined;
  const r = spawnSync("mount", ["-t", "tracefs", "tracefs", "/sys/kernel/tracing"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`could not mount tracefs on /sys/kernel/tracing: ${(r.stderr || r.error?.message || "").trim()}`);
  return () => void spawnSync("umount", ["/sys/kernel/tracing"]);
}
