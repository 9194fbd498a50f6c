// How long from a packet on the wire to its event in a `for await (… of cap.follow())` loop (issue K's closing
// note). A sender inside a namespace made here puts its CLOCK_MONOTONIC time (process.hrtime.bigint(), the
// clock of the events' timestamps too) in each UDP payload; the loop reads it back from the captured packet.
// Prints the median and p95 of: send → seen by the loop, and probe hit (the event's own timestamp) → seen.
// Run as root: `node dist/bench/follow-latency.js [PACKETS] [INTERVAL_MS]`. A measurement, not a test.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect } from "../events/index.js";

const packets = Number(process.argv[2] ?? 200);
const interval = Number(process.argv[3] ?? 20);
const ns = `kcap-lat-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "kcap-lat-"));
const port = 9999;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

execFileSync("ip", ["netns", "add", ns]);
try {
  execFileSync("ip", ["-n", ns, "link", "set", "lo", "up"]);
  const cap = collect({ out: join(dir, "lat.data"), netns: ns, probes: ["tp:net:netif_receive_skb"], collectors: ["skb"], filter: `udp dst port ${port}` });
  await cap.attached;
  const wire: number[] = [];
  const probe: number[] = [];
  const loop = (async () => {
    for await (const e of cap.follow()) {
      const seen = process.hrtime.bigint();
      const data = e.packet?.data;
      if (!data) continue;
      const m = /ts=(\d+)/.exec(Buffer.from(data).toString("latin1"));
      if (!m) continue;
      wire.push(Number(seen - BigInt(m[1]!)) / 1e6);
      probe.push(Number(seen - e.common!.timestamp) / 1e6);
      if (wire.length === packets) break;
    }
  })();
  const sender = `const s = require("node:dgram").createSocket("udp4"); let n = 0;
    const t = setInterval(() => { s.send("ts=" + process.hrtime.bigint(), ${port}, "127.0.0.1"); if (++n === ${packets}) { clearInterval(t); setTimeout(() => s.close(), 100); } }, ${interval});`;
  await new Promise<void>((ok, fail) => {
    const child = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", sender], { stdio: "inherit", timeout: 120_000 });
    child.once("close", (code) => (code === 0 ? ok() : fail(new Error(`sender exited ${code}`))));
  });
  await Promise.race([loop, new Promise((ok) => setTimeout(ok, 5_000))]);
  await cap.stop();
  for (const [name, values] of [
    ["packet sent → event in the loop", wire],
    ["probe hit → event in the loop", probe],
  ] as const) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${name}: n=${sorted.length} median ${quantile(sorted, 0.5).toFixed(2)} ms, p95 ${quantile(sorted, 0.95).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`);
  }
  console.log(`capture: ${JSON.stringify(cap.stats)}`);
} finally {
  execFileSync("ip", ["netns", "del", ns]);
  rmSync(dir, { recursive: true, force: true });
}
