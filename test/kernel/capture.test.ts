// Which capture a notebook's `reader` is (issue F), through Debian's jupyter_client: the fallback to the
// bundled sample is said in the first cell's output, and another capture is one line away (openCapture, or
// assigning `reader`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveSamples, repoRoot, sample } from "../samples.js";
import { havePython, kernelEnv, runPython } from "./harness.js";

interface Cell {
  status: string;
  streams: string;
  result: string | null;
  errors: string[];
}

test("the notebook says it fell back to the bundled sample, and opens another capture in one line", { timeout: 300_000 }, async (t) => {
  if (!havePython(t, ["jupyter_client"]) || !haveSamples(t)) return;
  const bundled = join(repoRoot, "samples", "retis.data");
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), "retis-nb-capture-")));
  try {
    const other = sample("retis/test_data/test_events_packets.json");
    copyFileSync(other, join(cwd, "other.data"));
    mkdirSync(join(cwd, "cap"));
    copyFileSync(other, join(cwd, "cap", "retis.data"));
    const env = kernelEnv();
    delete env.RETIS_FILE;
    delete env.RETIS_BUNDLED_SAMPLE;
    const r = await runPython(["capture.py", cwd], { env, timeoutMs: 240_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, Cell>;

    // The first cell's output names the fallback and the way out; later cells do not repeat it.
    assert.equal(out.first!.result, "2");
    assert.ok(out.first!.streams.includes(`reader is the bundled sample ${bundled}`), out.first!.streams);
    assert.ok(out.first!.streams.includes('reader = openCapture("path/to/retis.data")'), out.first!.streams);
    assert.equal(out.second!.streams, "");
    assert.equal(out.fallback_path!.result, `'${bundled}'`);

    // openCapture(path): relative to the notebook's folder, and it becomes `reader`.
    const lines = readFileSync(other, "utf8").split("\n").filter(Boolean).length;
    assert.equal(out.open!.status, "ok", JSON.stringify(out.open));
    assert.equal(out.open!.result, String(lines));
    assert.equal(out.opened_path!.result, `'${join(cwd, "other.data")}'`);
    assert.equal(out.folder!.result, `'${join(cwd, "cap", "retis.data")}'`);
    // `reader` is assignable, and type-checked as an EventFile.
    assert.equal(out.assign!.status, "ok", JSON.stringify(out.assign));
    assert.equal(out.assign!.result, "false");
    // A missing capture: the library's one-line error naming the file.
    assert.equal(out.missing!.status, "error");
    assert.match(out.missing!.errors[0]!, /nope\.data: Could not open file: no such file/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
