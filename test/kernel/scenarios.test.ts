// The kernel under Debian's jupyter_client: interrupts (message and SIGINT) that keep state, forged and
// unsigned messages rejected, restart, heartbeat, stdin, error mapping, and 1,000 cells in a row.
// scenarios.py holds the scenarios; each of its test methods must report "ok" here.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { havePython, runPython, scriptsDir, unittestResults } from "./harness.js";

const names = [...readFileSync(join(scriptsDir, "scenarios.py"), "utf8").matchAll(/^    def (test_\w+)\(/gm)].map((m) => m[1]!);

describe("jupyter_client scenarios", () => {
  it("every scenario passes", { timeout: 900_000 }, async (t) => {
    if (!havePython(t, ["jupyter_client"])) return;
    assert.ok(names.length >= 15, `found the scenarios in scenarios.py (${names.length})`);
    const r = await runPython(["-m", "unittest", "-v", "scenarios"], { timeoutMs: 900_000 });
    const results = unittestResults(r.stderr);
    const report = `exit ${r.code}\n${r.stderr}\n${r.stdout}`;
    for (const name of names) assert.equal(results.get(name), "ok", `${name}: ${results.get(name) ?? "did not run"}\n${report}`);
    assert.equal(r.code, 0, report);
  });
});
