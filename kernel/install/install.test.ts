import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { checkName, installKernelSpec, kernelSpec, userDataDir } from "./kernelspec.js";
import { crc32, logoPNG } from "./logo.js";

describe("kernelSpec()", () => {
  it("runs `retis kernel run -f {connection_file}` with message interrupts", () => {
    const spec = kernelSpec("/usr/bin/node", "/opt/retis/dist/cli/main.js");
    assert.deepEqual(spec.argv, ["/usr/bin/node", "/opt/retis/dist/cli/main.js", "kernel", "run", "-f", "{connection_file}"]);
    assert.equal(spec.language, "typescript");
    assert.equal(spec.interrupt_mode, "message");
  });
});

describe("checkName()", () => {
  it("allows Jupyter's characters only", () => {
    assert.equal(checkName("retis-ts_1.0"), "retis-ts_1.0");
    assert.throws(() => checkName("retis ts"), /kernel name 'retis ts' is not valid/);
    assert.throws(() => checkName("../x"), /not valid/);
  });
});

describe("userDataDir()", () => {
  it("follows JUPYTER_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share", { skip: process.platform !== "linux" }, () => {
    assert.equal(userDataDir({ JUPYTER_DATA_DIR: "/j" }, "/home/u"), "/j");
    assert.equal(userDataDir({ XDG_DATA_HOME: "/x" }, "/home/u"), "/x/jupyter");
    assert.equal(userDataDir({}, "/home/u"), "/home/u/.local/share/jupyter");
  });
});

describe("logoPNG()", () => {
  for (const size of [32, 64]) {
    it(`is a valid ${size}x${size} RGBA PNG with correct CRCs and a transparent corner`, () => {
      const png = logoPNG(size);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      let at = 8;
      const chunks: { type: string; data: Buffer }[] = [];
      while (at < png.length) {
        const len = png.readUInt32BE(at);
        const type = png.subarray(at + 4, at + 8).toString("ascii");
        const data = png.subarray(at + 8, at + 8 + len);
        assert.equal(png.readUInt32BE(at + 8 + len), crc32(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
        chunks.push({ type, data });
        at += 12 + len;
      }
      assert.deepEqual(chunks.map((c) => c.type), ["IHDR", "IDAT", "IEND"]);
      assert.equal(chunks[0]!.data.readUInt32BE(0), size);
      assert.equal(chunks[0]!.data.readUInt32BE(4), size);
      const raw = inflateSync(chunks[1]!.data);
      assert.equal(raw.length, size * (size * 4 + 1));
      assert.equal(raw[1 + 3], 0, "top-left corner is transparent (rounded)");
      const mid = (size / 2) * (size * 4 + 1) + 1 + 4;
      assert.equal(raw[mid + 3], 255, "the middle is opaque");
    });
  }
});

describe("installKernelSpec()", () => {
  it("writes kernel.json and both logos under kernels/<name>", () => {
    const kernels = mkdtempSync(join(tmpdir(), "retis-kernels-"));
    const dir = installKernelSpec(kernels, "retis-test", kernelSpec("/n", "/c"));
    assert.equal(dir, join(kernels, "retis-test"));
    assert.equal(JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")).display_name, "TypeScript (retis)");
    assert.deepEqual(readFileSync(join(dir, "logo-32x32.png")), logoPNG(32));
    assert.deepEqual(readFileSync(join(dir, "logo-64x64.png")), logoPNG(64));
  });
});
