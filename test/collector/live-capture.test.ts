// Capturing from the library (issue K): collect({...}) runs the real collector in namespaces created here,
// counts while it runs, follow() and EventFile.follow(path) yield the lines as they are written — across
// rotation — and the files read afterwards (plain JSON lines, not the library) are the oracle. Without the
// rights to load BPF programs: one error naming them, nothing left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect, EventFile, RetisPermissionError, type CaptureStats, type Event } from "../../events/index.js";
import { canCollect, cli, collectorBinary, createNetns, readLines, u64Field } from "./env.js";
import { repoRoot } from "../samples.js";

const PROBES = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit", "tp:skb:kfree_skb"];
const library = join(repoRoot, "dist/events/index.js");

/** Waits for a condition the capture reaches by itself (bounded by the test's timeout, not timed). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((ok) => setTimeout(ok, 20));
}

/** Runs a command in a namespace without blocking this thread (followers read while it runs). */
function execIn(ns: string, cmd: string[], timeoutMs = 90_000): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn("ip", ["netns", "exec", ns, ...cmd], { stdio: "ignore", timeout: timeoutMs });
    child.once("error", fail);
    child.once("close", (code) => (code === 0 ? ok() : fail(new Error(`${cmd.join(" ")} exited ${code}`))));
  });
}

/** No process of this test's collectors is left (their command lines hold the test's unique folder). */
function noCollectorLeft(dir: string): boolean {
  return spawnSync("pgrep", ["-f", dir]).status === 1;
}

async function timestamps(events: AsyncIterable<Event>): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const e of events) out.push(e.common!.timestamp);
  return out;
}

test("collect() from the library: live counts, follow() yields exactly the file's lines, stop() ends it cleanly", { timeout: 120_000 }, async (t) => {
  if (!canCollect(t)) return;
  const env = createNetns("kcap");
  const dir = mkdtempSync(join(tmpdir(), "kcap-lib-"));
  try {
    const out = join(dir, "lib.data");
    const cap = collect({ out, netns: env.a, probes: PROBES });
    const updates: CaptureStats[] = [];
    cap.onStats((s) => updates.push(s));
    await cap.attached;
    const followed = timestamps(cap.follow());
    env.exec(env.a, ["ping", "-c", "5", "-i", "0.2", "-W", "1", env.ipB]);
    await until(() => cap.stats.events >= 10);
    const file = await cap.stop();
    const seen = await followed;

    assert.ok(file instanceof EventFile);
    assert.equal(file.path, out);
    const lines = readLines(out);
    assert.deepEqual(seen, lines.map((l) => u64Field(l, "timestamp")), "follow() yields every line of the file, in order, startup first");
    assert.equal(cap.stats.events, lines.length - 1);
    assert.equal(cap.stats.drops, lines.filter((l) => l.includes('"skb-drop":')).length);
    assert.equal(cap.stats.lost, 0);
    assert.equal(cap.stats.running, false);
    assert.ok(updates.some((u) => u.running && u.events > 0), "counts arrive while it runs");
    assert.equal(updates.at(-1)!.running, false);
    // awaiting it again gives the same file; a second stop() is harmless
    assert.equal((await cap).path, out);
    assert.equal((await cap.stop()).path, out);
    assert.ok(noCollectorLeft(dir));
  } finally {
    env.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("follow across rotation: cap.follow() and EventFile.follow(path) (writer found through /proc) see every part's lines", { timeout: 180_000 }, async (t) => {
  if (!canCollect(t)) return;
  const env = createNetns("kcap");
  const dir = mkdtempSync(join(tmpdir(), "kcap-rot-"));
  try {
    const out = join(dir, "rot.data");
    const cap = collect({ out, netns: env.a, probes: PROBES, outRotate: "1MB" });
    await cap.attached;
    const byCapture = timestamps(cap.follow());
    const byPath = timestamps(EventFile.follow(out, { waitForFile: 30_000 }));
    // a flood of pings: several MB of events, so several parts, written while both follow
    await execIn(env.a, ["ping", "-f", "-c", "4000", "-W", "1", env.ipB]);
    await until(() => cap.stats.events >= 9000);
    // followers that start once several parts are finished begin with the first one all the same
    const lateByCapture = timestamps(cap.follow());
    const lateByPath = timestamps(EventFile.follow(out));
    const file = await cap.stop();

    const parts = readdirSync(dir).filter((n) => n.startsWith("rot.data")).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
    assert.ok(!existsSync(out), "at the end the last part is renamed too, as Retis does");
    assert.ok(parts.length >= 3, `several parts: ${parts.join(", ")}`);
    assert.deepEqual(parts, parts.map((_, i) => `rot.data.${i}`));
    assert.equal(file.path, join(dir, "rot.data.0"));
    const lines = parts.flatMap((p) => readLines(join(dir, p)));
    const expected = lines.map((l) => u64Field(l, "timestamp"));
    assert.equal(lines.filter((l) => l.includes('"startup":')).length, parts.length, "one startup event per part");
    assert.equal(cap.stats.events + parts.length, lines.length);
    assert.deepEqual(await byCapture, expected, "cap.follow()");
    assert.deepEqual(await byPath, expected, "EventFile.follow(path)");
    assert.deepEqual(await lateByCapture, expected, "cap.follow() started late");
    assert.deepEqual(await lateByPath, expected, "EventFile.follow(path) started late");
    assert.ok(noCollectorLeft(dir));
  } finally {
    env.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a follower that breaks out of its loop closes the file and its watcher", { timeout: 120_000 }, async (t) => {
  if (!canCollect(t)) return;
  const env = createNetns("kcap");
  const dir = mkdtempSync(join(tmpdir(), "kcap-brk-"));
  try {
    const out = join(dir, "brk.data");
    const cap = collect({ out, netns: env.a, probes: PROBES });
    await cap.attached;
    let n = 0;
    const opened = () => readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return spawnSync("readlink", [`/proc/${process.pid}/fd/${fd}`], { encoding: "utf8" }).stdout.includes("brk.data");
      } catch {
        return false;
      }
    }).length;
    const loop = (async () => {
      for await (const _ of EventFile.follow(out)) if (++n === 3) break;
    })();
    env.exec(env.a, ["ping", "-c", "3", "-i", "0.2", "-W", "1", env.ipB]);
    await loop;
    assert.equal(n, 3);
    assert.equal(opened(), 0, "no descriptor on the capture is left open by the follower");
    await cap.stop();
  } finally {
    env.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `collect()` in a child Node under `setpriv ARGS`; returns what it printed. */
function collectAs(setpriv: string[], out: string): { name: string; message: string } {
  const code = `import(${JSON.stringify(library)}).then((m) => { try { m.collect({ out: ${JSON.stringify(out)} }); console.log(JSON.stringify({ name: "none", message: "started" })); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); } });`;
  const r = spawnSync("setpriv", [...setpriv, process.execPath, "--input-type=module", "-e", code], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { name: string; message: string };
}

test("without the rights to load BPF programs: one error naming root or CAP_BPF + CAP_PERFMON, nothing started", { timeout: 60_000 }, (t) => {
  if (!canCollect(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "kcap-rights-"));
  chmodSync(dir, 0o777);
  try {
    // another user (nobody), and root with the two capabilities (and CAP_SYS_ADMIN) dropped
    const nobody = collectAs(["--reuid=nobody", "--regid=nogroup", "--clear-groups"], join(dir, "a.data"));
    assert.equal(nobody.name, "RetisPermissionError");
    assert.match(nobody.message, /^collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON: this process runs as user \d+ without CAP_BPF and CAP_PERFMON/);
    const dropped = ["--bounding-set=-bpf,-perfmon,-sys_admin", "--inh-caps=-bpf,-perfmon,-sys_admin"];
    const root = collectAs(dropped, join(dir, "b.data"));
    assert.equal(root.name, "RetisPermissionError");
    assert.match(root.message, /^collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON: this process runs as root without CAP_BPF and CAP_PERFMON/);
    // the collector's own check says the same, also for root without the capabilities (not only for non-root)
    const direct = spawnSync("setpriv", [...dropped, collectorBinary, "-o", join(dir, "c.data"), "--timeout", "1"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(direct.status, 1);
    assert.match(direct.stderr, /^retis: collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON: run as root/m);
    // `retis collect` too
    const viaCli = spawnSync("setpriv", [...dropped, process.execPath, cli, "collect", "-o", join(dir, "d.data"), "--timeout", "1"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(viaCli.status, 1);
    assert.match(viaCli.stderr, /collecting needs root, or the capabilities CAP_BPF and CAP_PERFMON/);
    assert.deepEqual(readdirSync(dir), [], "no file was created");
    assert.ok(noCollectorLeft(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a `retis ts` script: collect is a global (the same as `import { collect } from \"retis\"`), cmd ends it, Ctrl-C stops it and the script still gets the file", { timeout: 120_000 }, async (t) => {
  if (!canCollect(t)) return;
  const env = createNetns("kcap");
  const dir = mkdtempSync(join(tmpdir(), "kcap-ts-"));
  try {
    const script = join(dir, "capture.ts");
    writeFileSync(
      script,
      [
        'import { collect as imported, EventFile as File } from "retis";',
        "const [out, ns, mode] = argv.slice(1);",
        'const probes = ["tp:net:netif_receive_skb", "tp:net:net_dev_start_xmit"];',
        "const cap = mode === \"cmd\"",
        "  ? collect({ out, netns: ns, probes, cmd: `ip netns exec ${ns} ping -q -c 3 -i 0.2 127.0.0.1 >/dev/null` })",
        "  : collect({ out, netns: ns, probes });",
        "await cap.attached;",
        'console.log("attached");',
        "const file = await cap;",
        "console.log(JSON.stringify({ same: collect === imported, isFile: file instanceof File, path: file.path, events: [...file.events()].length, stats: cap.stats }));",
      ].join("\n"),
    );
    // --cmd: the capture ends when the command exits
    const viaCmd = spawnSync(process.execPath, [cli, "ts", script, join(dir, "cmd.data"), env.a, "cmd"], { encoding: "utf8", timeout: 90_000, cwd: dir });
    assert.equal(viaCmd.status, 0, viaCmd.stderr);
    const r1 = JSON.parse(viaCmd.stdout.trim().split("\n").pop()!);
    assert.equal(r1.same, true);
    assert.equal(r1.isFile, true);
    assert.equal(r1.path, join(dir, "cmd.data"));
    const lines = readLines(join(dir, "cmd.data"));
    assert.equal(r1.events, lines.length);
    assert.equal(r1.stats.events, lines.length - 1);
    assert.ok(r1.stats.events >= 6, "3 pings in and out of lo");

    // Ctrl-C (SIGINT to the script's process): the collector stops cleanly, the script goes on with the file
    const child = spawn(process.execPath, [cli, "ts", script, join(dir, "int.data"), env.a, "wait"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    await until(() => stdout.includes("attached") || child.exitCode !== null);
    env.exec(env.a, ["ping", "-q", "-c", "2", "-i", "0.2", "127.0.0.1"]);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((ok) => child.once("close", (c) => ok(c)));
    clearTimeout(killer);
    assert.equal(code, 0, stderr);
    const r2 = JSON.parse(stdout.trim().split("\n").pop()!);
    const lines2 = readLines(join(dir, "int.data"));
    assert.equal(r2.events, lines2.length);
    assert.ok(r2.stats.events >= 4);
    assert.ok(noCollectorLeft(dir));
  } finally {
    env.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
