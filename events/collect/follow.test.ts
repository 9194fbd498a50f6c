// EventFile.follow(path) on files written here step by step: a half-written line is held until its newline,
// a finished file (no writer left) is read to its end and the loop ends, a file that ends mid-line once its
// writer is done is an error naming the file and the line. (With the real collector: test/collector/live-capture.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile, RetisFormatError } from "../index.js";

const STARTUP = '{"common":{"timestamp":100},"startup":{"retis_version":"v1.7.0","cmdline":"retis collect","clock_monotonic_offset":{"sec":1,"nsec":2},"machine":{"kernel_release":"6.1.0","kernel_version":"#1 SMP","hardware_name":"x86_64"}}}';
const event = (ts: number) => `{"common":{"timestamp":${ts},"smp_id":0},"kernel":{"symbol":"net:netif_receive_skb","probe_type":"raw_tracepoint"}}`;

test("a half-written line is held until its newline; the loop ends when `until` settles and all is read", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kcap-follow-"));
  try {
    const path = join(dir, "f.data");
    const second = event(200);
    writeFileSync(path, `${STARTUP}\n${second.slice(0, 25)}`);
    let done!: () => void;
    const until = new Promise<void>((ok) => (done = ok));
    const it = EventFile.follow(path, { until });
    const first = await it.next();
    assert.equal(first.value!.startup?.retis_version, "v1.7.0");
    // the rest of the line arrives later, then one more line, and the writer is done
    const pending = it.next();
    appendFileSync(path, `${second.slice(25)}\n`);
    const got = await pending;
    assert.equal(got.value!.common!.timestamp, 200n);
    assert.equal(got.value!.kernel?.symbol, "net:netif_receive_skb");
    appendFileSync(path, `${event(300)}\n`);
    done();
    const rest: bigint[] = [];
    for await (const e of it) rest.push(e.common!.timestamp);
    assert.deepEqual(rest, [300n]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file nobody writes any more is read to its end and the loop ends; a missing one is one clear error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kcap-follow-"));
  try {
    const path = join(dir, "done.data");
    writeFileSync(path, [STARTUP, event(1), event(2), event(3)].join("\n") + "\n");
    const seen: bigint[] = [];
    for await (const e of EventFile.follow(path)) seen.push(e.common!.timestamp);
    assert.deepEqual(seen, [100n, 1n, 2n, 3n]);
    const expected = [...new EventFile(path).events()].map((e) => e.common!.timestamp);
    assert.deepEqual(seen, expected, "the same events as reading the file");

    const missing = join(dir, "nope.data");
    await assert.rejects(
      async () => {
        for await (const _ of EventFile.follow(missing)) void _;
      },
      (e: Error) => e instanceof RetisFormatError && e.message.startsWith(`${missing}: Could not open file: no such file or directory`) && !e.message.includes("\n"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file that ends mid-line once its writer is done: RetisFormatError with the file and the line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kcap-follow-"));
  try {
    const path = join(dir, "cut.data");
    writeFileSync(path, `${STARTUP}\n${event(1)}\n${event(2).slice(0, 30)}`);
    const seen: bigint[] = [];
    await assert.rejects(
      async () => {
        for await (const e of EventFile.follow(path, { until: Promise.resolve() })) seen.push(e.common!.timestamp);
      },
      (e: Error) => e instanceof RetisFormatError && e.message === `${path}:3: the file ends in the middle of a line (its writer stopped mid-line); expected each event to end with a newline`,
    );
    assert.deepEqual(seen, [100n, 1n]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a sorted file cannot be followed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kcap-follow-"));
  try {
    const path = join(dir, "sorted.data");
    writeFileSync(path, `[${STARTUP}]\n`);
    await assert.rejects(async () => {
      for await (const _ of EventFile.follow(path, { until: Promise.resolve() })) void _;
    }, /is a sorted file \(series\): only an events file being written can be followed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
