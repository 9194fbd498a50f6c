import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkName, installKernelSpec, kernelSpec, LOGO_DIR, userDataDir } from "./kernelspec.js";
import { execFileSync } from "node:child_process";

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

describe("installKernelSpec()", () => {
  it("writes kernel.json and both logos under kernels/<name>", () => {
    const kernels = mkdtempSync(join(tmpdir(), "retis-kernels-"));
    const dir = installKernelSpec(kernels, "retis-test", kernelSpec("/n", "/c"));
    assert.equal(dir, join(kernels, "retis-test"));
    assert.equal(JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")).display_name, "TypeScript (retis)");
    for (const [logo, size] of [["logo-32x32.png", 32], ["logo-64x64.png", 64]] as const) {
      assert.deepEqual(readFileSync(join(dir, logo)), readFileSync(new URL(logo, LOGO_DIR)));
      // file(1) as the independent judge of the committed image.
      assert.match(execFileSync("file", ["-b", join(dir, logo)], { encoding: "utf8" }), new RegExp(`^PNG image data, ${size} x ${size}, 8-bit/color RGBA`));
    }
  });
});
