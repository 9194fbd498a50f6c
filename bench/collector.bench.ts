// The native collector under paced load between two namespaces: packets/s without and with the collector,
// events/s written, cost per event (in the kernel, from bpf_stats; in user space, from the collector's own CPU
// time), and events lost. Baseline and measurements come from the same run.
//
// Traffic: retis-pktgen (collector/tools/pktgen.c) sends 64-byte UDP datagrams from namespace A to B, where an
// nft rule drops them: 3 events per packet (net_dev_start_xmit, netif_receive_skb, kfree_skb NETFILTER_DROP).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { collectorBinary, createNetns, type Netns } from "../test/collector/env.js";
import { repoRoot } from "../test/samples.js";

const pktgen = join(repoRoot, "collector/.output/retis-pktgen");
const SECONDS = 4;
const EVENTS_PER_PACKET = 3;

interface Sent {
  sent: number;
  seconds: number;
  pps: number;
  cpu_user_us: number;
  cpu_sys_us: number;
}

interface Summary {
  events: number;
  lost: number;
  prog_run_cnt: number;
  prog_run_time_ns: number;
  cpu_user_us: number;
  cpu_sys_us: number;
}

interface Run {
  label: string;
  sent: Sent;
  summary?: Summary;
}

/** Pins to a CPU when there are two: sender on CPU 0, collector on CPU 1, as the notes' measurements. */
function pinned(cpu: number, cmd: string[]): string[] {
  return availableParallelism() >= 2 ? ["taskset", "-c", String(cpu), ...cmd] : cmd;
}

function send(env: Netns, pps: number, seconds: number): Sent {
  const out = env.exec(env.a, pinned(0, [pktgen, env.ipB, "9", String(pps), String(seconds)]), (seconds + 20) * 1000);
  return JSON.parse(out) as Sent;
}

async function withCollector(
  env: Netns,
  dir: string,
  fn: () => Sent,
  extra: string[] = [],
): Promise<{ sent: Sent; summary: Summary }> {
  const out = join(dir, "bench.data");
  const [cmd, ...args] = pinned(1, [collectorBinary, "-o", out, "--netns", env.a, "--netns", env.b, "--summary-json", ...extra]);
  const child = spawn(cmd!, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.once("close", ok));
  const deadline = Date.now() + 20_000;
  while (!/collecting events/.test(stderr)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`collector did not start: ${stderr}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  try {
    const sent = fn();
    child.kill("SIGINT");
    const code = await exited;
    if (code !== 0) throw new Error(`collector exited ${code}: ${stderr}`);
    const line = stderr.split("\n").find((l) => l.startsWith('{"events"'));
    if (!line) throw new Error(`no summary from the collector: ${stderr}`);
    return { sent, summary: JSON.parse(line) as Summary };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(out, { force: true });
  }
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? (Object.is(n, -0) ? 0 : n).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

function row(r: Run, base?: Run): string {
  const cpuPerPkt = ((r.sent.cpu_user_us + r.sent.cpu_sys_us) * 1000) / r.sent.sent;
  const cols = [r.label.padEnd(34), fmt(r.sent.pps).padStart(9), `${fmt(cpuPerPkt)} ns`.padStart(10)];
  if (base) {
    const drop = Math.max(0, 1 - r.sent.pps / base.sent.pps);
    const basePerPkt = ((base.sent.cpu_user_us + base.sent.cpu_sys_us) * 1000) / base.sent.sent;
    cols.push(`${fmt(drop * 100, 1)}%`.padStart(8), `${fmt((cpuPerPkt / basePerPkt - 1) * 100, 0)}%`.padStart(8));
  } else cols.push("".padStart(8), "".padStart(8));
  const s = r.summary;
  if (s) {
    // per probe hit: with a filter most hits write no event
    const kernelNs = s.prog_run_cnt ? s.prog_run_time_ns / s.prog_run_cnt : NaN;
    const userNs = s.events ? ((s.cpu_user_us + s.cpu_sys_us) * 1000) / s.events : NaN;
    cols.push(
      fmt(s.events / r.sent.seconds).padStart(9),
      `${fmt(kernelNs)} ns`.padStart(10),
      `${fmt(userNs)} ns`.padStart(9),
      fmt(s.lost).padStart(8),
    );
  }
  return cols.join("  ");
}

export default async function (): Promise<void> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("not root");
  if (!existsSync("/sys/kernel/btf/vmlinux")) missing.push("no kernel BTF");
  for (const bin of [collectorBinary, pktgen]) if (!existsSync(bin)) missing.push(`${bin} missing (make -C collector)`);
  if (missing.length) {
    console.log(`*** collector bench SKIPPED: ${missing.join(", ")} ***`);
    return;
  }
  const statsPath = "/proc/sys/kernel/bpf_stats_enabled";
  const statsBefore = readFileSync(statsPath, "utf8").trim();
  const dir = mkdtempSync(join(tmpdir(), "retis-bench-"));
  const env = createNetns();
  try {
    env.exec(env.b, [
      "nft",
      "add table inet bench ; add chain inet bench input { type filter hook input priority 0 ; policy accept ; } ; add rule inet bench input udp dport 9 drop",
    ]);
    // per-program run time for the in-kernel cost; restored below
    writeFileSync(statsPath, "1");
    send(env, 5000, 0.5); // warm-up: ARP, neighbour entries, caches

    const runs: [Run, Run | undefined][] = [];
    const base20 = { label: "20,000 pkt/s, no collector", sent: send(env, 20_000, SECONDS) };
    runs.push([base20, undefined]);
    runs.push([{ label: "20,000 pkt/s, collector", ...(await withCollector(env, dir, () => send(env, 20_000, SECONDS))) }, base20]);
    // every hit goes through the in-kernel packet filter, which rejects it: the cost of filtering out
    runs.push([{ label: "20,000 pkt/s, collector, -f tcp", ...(await withCollector(env, dir, () => send(env, 20_000, SECONDS), ["-f", "tcp"])) }, base20]);
    const pps50k = Math.round(50_000 / EVENTS_PER_PACKET);
    const base50 = { label: `${fmt(pps50k)} pkt/s (50k ev/s), no collector`, sent: send(env, pps50k, SECONDS) };
    runs.push([base50, undefined]);
    runs.push([{ label: `${fmt(pps50k)} pkt/s (50k ev/s), collector`, ...(await withCollector(env, dir, () => send(env, pps50k, SECONDS))) }, base50]);
    const baseMax = { label: "unpaced, no collector", sent: send(env, 0, 3) };
    runs.push([baseMax, undefined]);
    runs.push([{ label: "unpaced, collector", ...(await withCollector(env, dir, () => send(env, 0, 3))) }, baseMax]);

    console.log(`${SECONDS} s per paced run, 64-byte UDP, ${EVENTS_PER_PACKET} events per packet; sender on CPU 0, collector on CPU 1`);
    console.log(
      ["run".padEnd(34), "pkt/s".padStart(9), "cpu/pkt".padStart(10), "rate -".padStart(8), "cpu +".padStart(8),
        "events/s".padStart(9), "kernel/hit".padStart(10), "coll/ev".padStart(9), "lost".padStart(8)].join("  "),
    );
    for (const [r, base] of runs) console.log(row(r, base));
    const c20 = runs[1]![0];
    const c50 = runs[4]![0];
    const kernelNs = c20.summary!.prog_run_time_ns / c20.summary!.prog_run_cnt;
    console.log(
      [
        "",
        "targets:",
        `  per event in the kernel ${fmt(kernelNs)} ns (target <= 1000 ns)`,
        `  loss at ~50k events/s: ${c50.summary!.lost} (target 0)`,
        `  packet-rate overhead at 20k pkt/s: ${fmt(Math.max(0, 1 - c20.sent.pps / base20.sent.pps) * 100, 1)}% (target <= 15%)`,
        "  (cpu + is the sender's CPU time per packet, which on veth includes the receive path and every probe)",
      ].join("\n"),
    );
  } finally {
    writeFileSync(statsPath, statsBefore);
    env.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

