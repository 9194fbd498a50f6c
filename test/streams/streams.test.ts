// Inputs that are not plain files and outputs that fail, through the real `retis` command: pipes, `-`,
// process substitution, FIFOs, special files, unreadable and missing inputs, a split set with a hole, a
// full file system under `sort -o`, and a reader that goes away (`| head -1`). Every case is bounded by a
// process timeout, never by a measured time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, RetisFormatError, RetisUsageError } from "../../events/index.js";
import { repoRoot } from "../samples.js";

const CLI = join(repoRoot, "dist/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "retis-streams-"));
// The temporary folder must be reachable by an unprivileged user (the unreadable-file case).
chmodSync(dir, 0o755);
test.after(() => rmSync(dir, { recursive: true, force: true }));

const STARTUP =
  '{"common":{"timestamp":1},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect","clock_monotonic_offset":{"sec":1742309146,"nsec":691042000},"machine":{"kernel_release":"6.14.0","kernel_version":"#1","hardware_name":"x86_64"}}}';
const event = (ts: number, head = 1000 + (ts % 7)) =>
  `{"common":{"timestamp":${ts},"smp_id":1},"kernel":{"symbol":"net:netif_receive_skb","probe_type":"raw_tracepoint"},"skb-tracking":{"orig_head":${head},"timestamp":${ts - (ts % 3)},"skb":18446619372617628672},"dev":{"name":"eth0","ifindex":2}}`;

function capture(name: string, n: number): string {
  const lines = [STARTUP];
  for (let i = 0; i < n; i++) lines.push(event(100 + i));
  const p = join(dir, name);
  writeFileSync(p, `${lines.join("\n")}\n`);
  return p;
}

const SMALL = capture("small.json", 40);

function retis(args: string[], opts: { input?: string; uid?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, input: opts.input, uid: opts.uid, cwd: dir });
}

function sh(script: string): SpawnSyncReturns<string> {
  return spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 60_000, cwd: dir, env: { ...process.env, RETIS: `${process.execPath} ${CLI}` } });
}

/** One error line on stderr naming `name`, no stack trace, exit status 1. */
function assertOneLineError(r: SpawnSyncReturns<string>, name: string, pattern: RegExp): void {
  assert.equal(r.error, undefined, `the command did not end in time: ${String(r.error)}`);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith(`retis: ${name}`), r.stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+|E[A-Z]{3,}:|BigInt|SyntaxError/);
}

const plain = { print: retis(["print", SMALL]).stdout, stats: retis(["stats", SMALL]).stdout };

test("the plain file prints every event", () => {
  assert.equal(plain.print.split("\n\n").length, 42);
  assert.match(plain.stats, /Number of events: 40/);
});

test("standard input as `-` and as /dev/stdin: the same output as the plain file", () => {
  for (const input of ["-", "/dev/stdin"]) {
    // A pipe, not a file redirection: the data can be read once only.
    const p = sh(`cat ${SMALL} | $RETIS print ${input}`);
    assert.equal(p.status, 0, p.stderr);
    assert.equal(p.stdout, plain.print, `print ${input}`);
    const s = sh(`cat ${SMALL} | $RETIS stats ${input}`);
    assert.equal(s.stdout, plain.stats, `stats ${input}`);
  }
  // `-` redirected from a file works too.
  const r = retis(["print", "-"], { input: readFileSync(SMALL, "utf8") });
  assert.equal(r.stdout, plain.print);
});

test("process substitution <(…): read once, same output", () => {
  const r = sh(`$RETIS print <(cat ${SMALL})`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, plain.print);
  const s = sh(`$RETIS sort <(cat ${SMALL})`);
  assert.equal(s.stdout, retis(["sort", SMALL]).stdout);
});

test("a FIFO: read once, same output, no hang", () => {
  const fifo = join(dir, "fifo");
  const r = sh(`mkfifo ${fifo} && (cat ${SMALL} > ${fifo} &) && $RETIS stats ${fifo}; rm -f ${fifo}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, plain.stats);
});

test("library: a stream gives its events once; a second pass is refused with a clear error", () => {
  const fifo = join(dir, "fifo2");
  sh(`mkfifo ${fifo}`);
  const writer = spawn("sh", ["-c", `cat ${SMALL} > ${fifo}`], { stdio: "ignore" });
  try {
    const f = new EventFile(fifo);
    assert.equal([...f.events()].length, 41);
    assert.throws(() => [...f.events()], (e: unknown) => e instanceof RetisUsageError && /can be read only once/.test((e as Error).message));
  } finally {
    writer.kill();
    rmSync(fifo, { force: true });
  }
});

test("/dev/zero: one line naming it, in bounded time", () => {
  for (const cmd of ["print", "stats", "sort"]) assertOneLineError(retis([cmd, "/dev/zero"]), "/dev/zero", /expected a JSON object/);
});

test("a directory, a missing file, an unreadable file: one line naming the path", () => {
  assertOneLineError(retis(["print", dir]), dir, /it is a directory/);
  assertOneLineError(retis(["stats", join(dir, "nope")]), join(dir, "nope"), /no such file/);
  const locked = join(dir, "locked.json");
  writeFileSync(locked, readFileSync(SMALL));
  chmodSync(locked, 0o000);
  const r = retis(["print", locked], { uid: 65534 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "EPERM") return; // not root: cannot switch user
  assertOneLineError(r, locked, /permission denied/);
});

test("a split set with a missing middle file: an error naming the missing file", () => {
  const set = join(dir, "split");
  mkdirSync(set);
  const startup = (id: number) => STARTUP.replace('"machine"', `"split_file":{"id":${id},"policy":{"kind":"size","limit":1000000}},"machine"`);
  for (const id of [0, 2]) writeFileSync(join(set, `retis.data.${id}`), `${startup(id)}\n${event(10 + id)}\n${event(20 + id)}\n`);
  const missing = join(set, "retis.data.1");
  for (const cmd of ["print", "stats", "sort"]) assertOneLineError(retis([cmd, `${join(set, "retis.data.0")}..`]), missing, /missing split file/);
  // The default input (no argument) is the same set.
  const r = spawnSync(process.execPath, [CLI, "stats"], { encoding: "utf8", timeout: 60_000, cwd: set });
  assertOneLineError(r, missing, /missing split file/);
  assert.throws(
    () => [...new EventFile(`${join(set, "retis.data.0")}..`).events()],
    (e: unknown) => e instanceof RetisFormatError && e.file === missing,
  );
  writeFileSync(missing, `${startup(1)}\n${event(11)}\n`);
  // A complete set reads to the end: stats prints one block per file (as Retis), 2 + 1 + 2 events.
  const counts = [...retis(["stats", `${join(set, "retis.data.0")}..`]).stdout.matchAll(/^Number of events: (\d+)$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(counts, [2, 1, 2]);
});

test("`| head -1` stops at once, even on endless input", () => {
  // `yes` never stops: a command that read on after its reader left would run until the timeout.
  const endless = `{ printf '%s\\n' '${STARTUP}'; yes '${event(500)}'; }`;
  for (const cmd of ["print -", "sort -", "print --format single-line /dev/stdin"]) {
    const r = sh(`set -o pipefail; ${endless} | $RETIS ${cmd} | head -1`);
    assert.equal(r.error, undefined, `${cmd}: did not stop (${String(r.error)})`);
    assert.equal(r.stdout.split("\n").length, 2, `${cmd}: ${r.stdout.slice(0, 200)}`);
  }
});

test("sort -o keeps unknown members whose value is null", () => {
  const p = join(dir, "nulls.json");
  writeFileSync(p, `${STARTUP}\n${event(200).replace('"dev"', '"x-note":null,"dev"')}\n`);
  const out = join(dir, "nulls.sorted");
  const r = retis(["sort", p, "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(out, "utf8"), /"x-note":null/);
});

test("sort -o on a full file system: an error naming the output, the old file untouched, nothing cut left", (t) => {
  if (process.getuid?.() !== 0) return t.skip("mounting a tmpfs needs root");
  const mnt = mkdtempSync(join(tmpdir(), "retis-full-"));
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", `retis-h-files-${process.pid}`, mnt], { encoding: "utf8", timeout: 30_000 });
  if (mount.status !== 0) {
    rmSync(mnt, { recursive: true, force: true });
    return t.skip(`cannot mount a tmpfs here: ${mount.stderr}`);
  }
  try {
    const big = capture("big.json", 2000); // ~500 kB sorted: far more than 64 kB
    const target = join(mnt, "sorted.json");
    writeFileSync(target, "previous content\n");
    assertOneLineError(retis(["sort", big, "-o", target]), "cannot write the sorted output", /sorted\.json.*no space left/);
    assert.equal(readFileSync(target, "utf8"), "previous content\n");
    assert.deepEqual(readdirSync(mnt), ["sorted.json"]);
    // Output that fits is written whole.
    const ok = retis(["sort", SMALL, "-o", target]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(retis(["print", target]).status, 0);
    assert.deepEqual(readdirSync(mnt), ["sorted.json"]);
  } finally {
    spawnSync("umount", [mnt], { timeout: 30_000 });
    if (!existsSync(join(mnt, "sorted.json"))) rmSync(mnt, { recursive: true, force: true });
  }
});

test("printing to a full file system fails with an error naming standard output", (t) => {
  if (!existsSync("/dev/full")) return t.skip("no /dev/full");
  const medium = capture("medium.json", 600);
  for (const cmd of ["print", "stats", "sort"]) assertOneLineError(sh(`$RETIS ${cmd} ${medium} > /dev/full`), "cannot write to standard output", /no space left/);
});
