// The diagnostics scheduler alone: when rounds run, and how requests push them back. Only lower bounds on
// time are asserted (timers never fire early), so a busy machine cannot make these fail.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DiagnosticsScheduler } from "./diagnostics.js";

function scheduler(delay: number, docs: string[], onCheck: (uri: string) => void = () => undefined, maxDelay?: number) {
  const checked: string[] = [];
  const errors: string[] = [];
  const s = new DiagnosticsScheduler({
    delay,
    ...(maxDelay !== undefined ? { maxDelay } : {}),
    prepare: async () => undefined,
    documents: () => docs,
    check: (uri) => {
      checked.push(uri);
      onCheck(uri);
    },
    onError: (uri, error) => errors.push(`${uri}: ${(error as Error).message}`),
  });
  return { s, checked, errors };
}

describe("DiagnosticsScheduler", () => {
  test("a change checks every document once, after the quiet time", async () => {
    const { s, checked } = scheduler(30, ["a", "b"]);
    const start = performance.now();
    s.changed();
    s.changed();
    assert.deepEqual(checked, [], "nothing is checked synchronously");
    await s.idle();
    assert.ok(performance.now() - start >= 29, "the round waited for the quiet time");
    assert.deepEqual(checked, ["a", "b"]);
  });

  test("a request during the quiet time moves the round after it", async () => {
    const { s, checked } = scheduler(100, ["a"]);
    s.changed();
    await sleep(60);
    assert.deepEqual(checked, []);
    const request = performance.now();
    s.postpone();
    await s.idle();
    assert.ok(performance.now() - request >= 99, "the round restarted its quiet time at the request");
    assert.deepEqual(checked, ["a"]);
  });

  test("a request during a round stops it after the current document; the whole round runs again", async () => {
    let interrupted = false;
    const { s, checked } = scheduler(10, ["a", "b", "c"], (uri) => {
      if (uri === "a" && !interrupted) {
        interrupted = true;
        s.postpone();
      }
    });
    s.changed();
    await s.idle();
    assert.deepEqual(checked, ["a", "a", "b", "c"]);
  });

  test("a check stopped for input ends the round; the whole round runs again after the quiet time", async () => {
    const checked: string[] = [];
    let stops = 1;
    const s = new DiagnosticsScheduler({
      delay: 30,
      prepare: async () => undefined,
      documents: () => ["a", "b"],
      check: (uri) => {
        checked.push(uri);
        if (uri === "a" && stops > 0) {
          stops--;
          return false;
        }
        return true;
      },
      onError: () => undefined,
    });
    s.changed();
    const start = performance.now();
    await s.idle();
    assert.deepEqual(checked, ["a", "a", "b"], "b is not checked in the stopped round");
    assert.ok(performance.now() - start >= 59, "two quiet times: before the round and before its rerun");
  });

  test("a request with nothing owed schedules nothing", async () => {
    const { s, checked } = scheduler(10, ["a"]);
    s.postpone();
    await sleep(50);
    assert.deepEqual(checked, []);
  });

  test("a failing check is reported and the round goes on", async () => {
    const { s, checked, errors } = scheduler(10, ["a", "b"], (uri) => {
      if (uri === "a") throw new Error("boom");
    });
    s.changed();
    await s.idle();
    assert.deepEqual(checked, ["a", "b"]);
    assert.deepEqual(errors, ["a: boom"]);
  });

  test("after rounds that run to the end, the quiet time stays the least one (a type error shows at the first pause)", async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const { s, checked } = scheduler(20, ["a", "b"], (uri) => busy(uri === "b" ? 80 : 5));
    assert.equal(s.quietTime(), 20);
    s.changed();
    await s.idle();
    assert.equal(s.quietTime(), 20, "an 80 ms check that ran to the end does not lengthen the wait");
    s.changed();
    await s.idle();
    assert.deepEqual(checked, ["a", "b", "a", "b"]);
    assert.equal(s.quietTime(), 20);
  });

  test("after a round stopped by input, the quiet time grows to twice the longest check (up to the cap), then shrinks again", async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const run = async (maxDelay?: number) => {
      let stopB = 0;
      const checked: string[] = [];
      /** The quiet time each round waited (read as the round starts). */
      const waited: number[] = [];
      const s: DiagnosticsScheduler = new DiagnosticsScheduler({
        delay: 20,
        ...(maxDelay !== undefined ? { maxDelay } : {}),
        prepare: async () => void waited.push(s.quietTime()),
        documents: () => ["a", "b"],
        check: (uri) => {
          checked.push(uri);
          busy(uri === "a" ? 80 : 5);
          if (uri === "b" && stopB > 0) {
            stopB--;
            return false;
          }
          return true;
        },
        onError: () => undefined,
      });
      s.changed();
      await s.idle();
      // The typist comes back while b is checked: the round stops and runs again after a longer wait.
      stopB = 1;
      s.changed();
      await s.idle();
      assert.deepEqual(checked, ["a", "b", "a", "b", "a", "b"]);
      return { waited, after: s.quietTime() };
    };
    const free = await run();
    assert.equal(free.waited.length, 3);
    assert.deepEqual(free.waited.slice(0, 2), [20, 20], "rounds that ran to the end keep the least quiet time");
    assert.ok(free.waited[2]! >= 160, `the rerun after the stopped round waited ${free.waited[2]} ms, not twice the 80 ms check`);
    assert.equal(free.after, 20, "the rerun ran to the end: back to the least quiet time");
    const capped = await run(100);
    assert.equal(capped.waited[2], 100, "twice 80 ms, capped at 100");
  });

  test("dispose cancels the owed round", async () => {
    const { s, checked } = scheduler(10, ["a"]);
    s.changed();
    s.dispose();
    await s.idle();
    await sleep(40);
    assert.deepEqual(checked, []);
  });
});
