// The kernel against jupyter_kernel_test (Debian's python3-jupyter-kernel-test): every message type,
// every sample filled in. Each Python test method becomes one assertion here, and a skip is a failure
// except the pager (this kernel has no pager payloads).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { havePython, runPython, unittestResults } from "./harness.js";

const EXPECTED = [
  "test_kernel_info",
  "test_execute_stdout",
  "test_execute_stderr",
  "test_completion",
  "test_is_complete",
  "test_error",
  "test_execute_result",
  "test_display_data",
  "test_history",
  "test_inspect",
  "test_clear_output",
];

describe("jupyter_kernel_test", () => {
  it("passes every test with every sample filled in", async (t) => {
    if (!havePython(t, ["jupyter_client", "jupyter_kernel_test"])) return;
    const r = await runPython(["-m", "unittest", "-v", "conformance"]);
    const results = unittestResults(r.stderr);
    const report = `exit ${r.code}\n${r.stderr}\n${r.stdout}`;
    for (const name of EXPECTED) assert.equal(results.get(name), "ok", `${name}: ${results.get(name) ?? "did not run"}\n${report}`);
    assert.match(results.get("test_pager") ?? "", /^skipped/, report);
    assert.equal(r.code, 0, report);
  });
});
