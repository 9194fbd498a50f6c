// `retis print` and `retis sort` on captures long enough to be rendered on several threads (issue J): the
// text is still Retis's, in input order, and a bad line is refused exactly as on one thread, after
// everything before it has been printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventFile } from "../../events/index.js";
import { haveSamples, repoRoot, sample } from "../samples.js";

const CLI = join(repoRoot, "dist/cli/main.js");
// Enough events for many batches on every thread (print renders the first 4096 in its own thread).
const COPIES = 400;

function retis(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Rendering {
  source_line: number;
  rendered_multiline: string;
}

/** Retis's sample events COPIES times after its startup line (marked current-format), and their renderings. */
function longCapture(t: { after(fn: () => void): void }): { dir: string; path: string; lines: string[]; expected: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "retis-threads-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Written back in the current format by the library (the 1.6 startup event lacks `cmdline`).
  const [head, ...events] = [...new EventFile(sample("retis/test_data/test_events_packets.json")).events()].map((e) => e.toJSONLine());
  const renderings = JSON.parse(readFileSync(sample("derived/test_events_packets.rendered.json"), "utf8")) as Rendering[];
  assert.equal(renderings.length, events.length);
  const lines = [head!.replace('"retis_version":"v1.6.0"', '"retis_version":"v1.7.0"')];
  const expected: string[] = [];
  for (let k = 0; k < COPIES; k++) {
    lines.push(...events);
    expected.push(...renderings.map((r) => r.rendered_multiline));
  }
  const path = join(dir, "retis.data");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { dir, path, lines, expected };
}

test("retis print of a long capture renders every event as Retis did, on 1 and 2 threads", (t) => {
  if (!haveSamples(t)) return;
  const { path, expected } = longCapture(t);
  for (const threads of ["1", "2"]) {
    const r = retis(["print", "--threads", threads, path]);
    assert.equal(r.code, 0, r.err);
    const blocks = r.out.split("\n\n");
    assert.equal(blocks.length, expected.length + 2, `--threads ${threads}`);
    assert.ok(blocks[0]!.includes("collected with Retis v1.7.0"));
    assert.deepEqual(blocks.slice(1, -1), expected, `--threads ${threads}`);
    assert.equal(blocks.at(-1), "");
  }
  const single = retis(["print", "--threads", "2", "--format", "single-line", path]);
  assert.equal(single.code, 0, single.err);
  assert.equal(single.out, retis(["print", "--threads", "1", "--format", "single-line", path]).out);
});

test("a bad line deep in a long capture is refused alike on 1 and 2 threads, after what precedes it", (t) => {
  if (!haveSamples(t)) return;
  const { dir, lines, expected } = longCapture(t);
  const at = 7001; // 1-based line number of the bad line
  const bytesWith = (bad: Buffer) => Buffer.concat([Buffer.from(`${lines.slice(0, at - 1).join("\n")}\n`), bad, Buffer.from(`\n${lines.slice(at).join("\n")}\n`)]);
  const cases: [string, Buffer][] = [
    ["section", bytesWith(Buffer.from(lines[at - 1]!.replace(/"skb-tracking":\{[^}]*\}/, '"skb-tracking":7')))],
    ["empty line", bytesWith(Buffer.alloc(0))],
    ["not UTF-8", bytesWith(Buffer.from([0x7b, 0xff, 0x7d]))],
  ];
  for (const [what, bytes] of cases) {
    const path = join(dir, `bad-${what.replace(/\W/g, "")}.data`);
    writeFileSync(path, bytes);
    const results = ["1", "2"].map((threads) => retis(["print", "--threads", threads, path]));
    for (const r of results) {
      assert.equal(r.code, 1, `${what}: ${r.err}`);
      assert.match(r.err, new RegExp(`^retis: ${path.replace(/[.]/g, "\\.")}:${at}: `), what);
      assert.equal(r.err.split("\n").length, 2, `${what}: one line`);
      const blocks = r.out.split("\n\n");
      // The startup event and every event before the bad line, nothing after it.
      assert.deepEqual(blocks.slice(1, -1), expected.slice(0, at - 2), what);
    }
    assert.equal(results[1]!.err, results[0]!.err, what);
  }
});

test("retis print of a long sorted file gives the same series on 1 and 2 threads; | head ends quietly", (t) => {
  if (!haveSamples(t)) return;
  const { dir, path } = longCapture(t);
  const sorted = join(dir, "sorted.data");
  const s = retis(["sort", path, "-o", sorted]);
  assert.equal(s.code, 0, s.err);
  const one = retis(["print", "--threads", "1", sorted]);
  const two = retis(["print", "--threads", "2", sorted]);
  assert.equal(one.code, 0, one.err);
  assert.equal(two.code, 0, two.err);
  assert.ok(one.out.includes("  ↳ "));
  assert.equal(two.out, one.out);
  const head = spawnSync("bash", ["-o", "pipefail", "-c", `node ${CLI} print --threads 2 ${path} | head -n 2`], { encoding: "utf8" });
  assert.equal(head.status, 0, head.stderr);
  assert.equal(head.stderr, "");
  assert.equal(head.stdout.split("\n").length, 3);
});

test("retis sort of a long capture writes and prints the same series on 1 and 2 threads", (t) => {
  if (!haveSamples(t)) return;
  const { dir, path } = longCapture(t);
  const outs = ["1", "2"].map((threads) => {
    const out = join(dir, `sorted-${threads}.data`);
    const r = retis(["sort", "--threads", threads, path, "-o", out, "--print", "--max-buffer", "100"]);
    assert.equal(r.code, 0, r.err);
    return { text: r.out, file: readFileSync(out, "utf8") };
  });
  assert.ok(outs[0]!.text.includes("  ↳ "));
  assert.equal(outs[1]!.text, outs[0]!.text);
  assert.equal(outs[1]!.file, outs[0]!.file);
  // Every event is in the sorted file once.
  assert.equal(outs[0]!.file.split('{"common":').length - 1, COPIES * 26 + 1);
  // Retis's OVS sample (series across upcalls), written in the current format.
  const ovs = join(dir, "ovs.data");
  writeFileSync(ovs, `${[...new EventFile(sample("retis-events/test_data/test_events.json")).events()].map((e) => e.toJSONLine()).join("\n").replace('"retis_version":"v1.6.0"', '"retis_version":"v1.7.0"')}\n`);
  const [one, two] = ["1", "2"].map((threads) => retis(["sort", "--threads", threads, ovs]));
  assert.equal(one!.code, 0, one!.err);
  assert.ok(one!.out.includes("upcall_ret"));
  assert.equal(two!.out, one!.out);
});

test("a bad line deep in a long capture fails retis sort alike on 1 and 2 threads, leaving no sorted file", (t) => {
  if (!haveSamples(t)) return;
  const { dir, lines } = longCapture(t);
  const at = 7001;
  const path = join(dir, "bad.data");
  const copy = [...lines];
  copy[at - 1] = copy[at - 1]!.replace(/"skb-tracking":\{[^}]*\}/, '"skb-tracking":7');
  writeFileSync(path, `${copy.join("\n")}\n`);
  const results = ["1", "2"].map((threads) => retis(["sort", "--threads", threads, path, "-o", join(dir, "out.data"), "--print"]));
  for (const r of results) {
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, new RegExp(`^retis: ${path.replace(/[.]/g, "\\.")}:${at}: section 'skb-tracking'`));
    assert.equal(readdirSync(dir).filter((f) => f.includes("out.data")).length, 0);
  }
  assert.equal(results[1]!.err, results[0]!.err);
  assert.equal(results[1]!.out, results[0]!.out);
  assert.ok(results[0]!.out.length > 0);
});

test("--threads takes a whole number from 1", () => {
  for (const bad of ["0", "-1", "two", "1.5"]) {
    for (const cmd of ["print", "sort"]) {
      const r = retis([cmd, "--threads", bad, "x"]);
      assert.equal(r.code, 2);
      assert.equal(r.err, `retis: invalid --threads '${bad}': expected a whole number from 1 to 999\n`);
    }
  }
});
