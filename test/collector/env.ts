// Process-level test fixtures for the native collector: two network namespaces joined by a veth pair
// (10.200.0.0/24, inside the namespaces only), and `retis collect` started in the root namespace.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { repoRoot } from "../samples.js";

export const cli = join(repoRoot, "dist/cli/main.js");
export const collectorBinary = join(repoRoot, "collector/.output/retis-collector");

/**
 * True when this machine can run BPF probes (root, kernel BTF, collector built). Otherwise the test says so
 * loudly and skips — except under CI=true, where that is a failure.
 */
export function canCollect(t: TestContext): boolean {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("not root");
  if (!existsSync("/sys/kernel/btf/vmlinux")) missing.push("no kernel BTF (/sys/kernel/btf/vmlinux)");
  if (!existsSync(collectorBinary)) missing.push(`collector not built (${collectorBinary}; run make -C collector)`);
  if (missing.length === 0) return true;
  const why = `cannot collect: ${missing.join(", ")}`;
  if (process.env.CI === "true") throw new Error(why);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  t.skip(why);
  return false;
}

/** Runs a command, throwing with its stderr when it fails. */
export function sh(cmd: string, args: string[], timeoutMs = 20_000): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface Netns {
  a: string;
  b: string;
  vethA: string;
  vethB: string;
  inumA: number;
  inumB: number;
  ipA: string;
  ipB: string;
  /** Runs a command inside a namespace, bounded in time. */
  exec(ns: string, cmd: string[], timeoutMs?: number): string;
  destroy(): void;
}

/**
 * Unique names per run (the tag, the pid and a random part), so that concurrent or leftover runs never
 * collide.
 */
export function createNetns(tag = "rts"): Netns {
  const id = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const a = `${tag}-a-${id}`;
  const b = `${tag}-b-${id}`;
  const vethA = `${tag}a${id}`.slice(0, 15);
  const vethB = `${tag}b${id}`.slice(0, 15);
  const env: Netns = {
    a,
    b,
    vethA,
    vethB,
    inumA: 0,
    inumB: 0,
    ipA: "10.200.0.1",
    ipB: "10.200.0.2",
    exec: (ns, cmd, timeoutMs = 20_000) => sh("ip", ["netns", "exec", ns, ...cmd], timeoutMs),
    destroy: () => {
      for (const ns of [a, b]) spawnSync("ip", ["netns", "del", ns], { timeout: 10_000 });
    },
  };
  try {
    sh("ip", ["netns", "add", a]);
    sh("ip", ["netns", "add", b]);
    sh("ip", ["link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b]);
    sh("ip", ["-n", a, "addr", "add", `${env.ipA}/24`, "dev", vethA]);
    sh("ip", ["-n", b, "addr", "add", `${env.ipB}/24`, "dev", vethB]);
    for (const [ns, dev] of [[a, vethA], [b, vethB], [a, "lo"], [b, "lo"]] as const) {
      sh("ip", ["-n", ns, "link", "set", dev, "up"]);
    }
    env.inumA = Number(env.exec(a, ["stat", "-L", "-c", "%i", "/proc/self/ns/net"]).trim());
    env.inumB = Number(env.exec(b, ["stat", "-L", "-c", "%i", "/proc/self/ns/net"]).trim());
  } catch (err) {
    env.destroy();
    throw err;
  }
  return env;
}

export interface Collection {
  child: ChildProcess;
  /** Sends SIGINT and waits for the exit: the collector drains and flushes before it exits. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stderr: string }>;
  /** Waits for the exit without signalling (--timeout, --stop-after). */
  exited(): Promise<{ code: number | null; stderr: string }>;
  /** Waits for the process to end, whoever else holds its output pipes. */
  ended(): Promise<void>;
  stderr(): string;
  stdout(): string;
}

/** Starts `retis collect ARGS` and resolves once the probes are attached. */
export function startCollect(args: string[], timeoutMs = 20_000): Promise<Collection> {
  return startUntil(process.execPath, [cli, "collect", ...args], /collecting events/, "ready", timeoutMs);
}

/**
 * Starts the native collector itself (not through `retis collect`) and resolves once it says its probes
 * are attached: the interface `retis collect` drives.
 */
export function startCollector(args: string[], timeoutMs = 20_000): Promise<Collection> {
  return startUntil(collectorBinary, args, /^retis-collector: attached$/m, "attached", timeoutMs);
}

/** Spawns a collection and resolves once its stderr matches `ready`; a process that exits first is an error. */
async function startUntil(command: string, args: string[], ready: RegExp, what: string, timeoutMs: number): Promise<Collection> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exit = new Promise<{ code: number | null; stderr: string }>((ok) =>
    child.once("close", (code) => ok({ code, stderr })),
  );
  const ended = new Promise<void>((ok) => child.once("exit", () => ok()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  exit.finally(() => clearTimeout(killer)).catch(() => undefined);
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`collector not ${what} after ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const check = () => {
      if (ready.test(stderr)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stderr!.on("data", check);
    exit.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`collector exited (${code}) before it was ${what}: ${stderr.trim()}`));
    });
  }).catch(async (err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    child,
    stop: (signal = "SIGINT") => {
      child.kill(signal);
      return exit;
    },
    exited: () => exit,
    ended: () => ended,
    stderr: () => stderr,
    stdout: () => stdout,
  };
}

/** The JSON lines of a file; u64 values lose precision here, exact ones are read with `u64Fields`. */
export function readLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  if (text.length > 0 && !text.endsWith("\n")) throw new Error(`${path}: last line is not terminated`);
  return text.split("\n").filter((l) => l.length > 0);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function parse(lines: string[]): Json[] {
  return lines.map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (err) {
      throw new Error(`line ${i + 1} is not JSON: ${(err as Error).message}: ${l.slice(0, 200)}`);
    }
  });
}

/** The exact decimal text of a u64 field in a raw line, e.g. u64Field(line, "orig_head"). */
export function u64Field(line: string, key: string): bigint {
  const m = new RegExp(`"${key}":(\\d+)`).exec(line);
  if (!m) throw new Error(`no ${key} in ${line.slice(0, 200)}`);
  return BigInt(m[1]!);
}

/** The IPv4 view of a captured frame (Ethernet first, as Retis's packet section always is). */
export interface Ip4 {
  ethertype: number;
  src: string;
  dst: string;
  proto: number;
  icmpType?: number;
  dport?: number;
}

export function ip4(packet: { data: string } | undefined): Ip4 | undefined {
  if (!packet) return undefined;
  const d = Buffer.from(packet.data, "base64");
  if (d.length < 34) return undefined;
  const ethertype = d.readUInt16BE(12);
  if (ethertype !== 0x0800) return { ethertype, src: "", dst: "", proto: -1 };
  const ihl = (d[14]! & 0x0f) * 4;
  const l4 = 14 + ihl;
  const proto = d[23]!;
  const out: Ip4 = {
    ethertype,
    src: [...d.subarray(26, 30)].join("."),
    dst: [...d.subarray(30, 34)].join("."),
    proto,
  };
  if (proto === 1 && d.length > l4) out.icmpType = d[l4];
  if ((proto === 17 || proto === 6) && d.length >= l4 + 4) out.dport = d.readUInt16BE(l4 + 2);
  return out;
}

/** Sends one UDP datagram from inside a namespace (bash's /dev/udp). */
export function sendUdp(env: Netns, ns: string, dst: string, port: number): void {
  env.exec(ns, ["bash", "-c", `echo retis-test > /dev/udp/${dst}/${port}`]);
}
