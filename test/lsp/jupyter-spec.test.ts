// The jupyter-lsp spec against the kernel it serves: jupyterlab-lsp matches a notebook to a server through the
// kernel's language_info.mimetype, so the spec must name that MIME type and the language derived from it.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { kernelInfo } from "../../kernel/handlers/kernel-info.js";
import { installJupyterServerSpec, jupyterServerSpec, userConfigDir } from "../../lsp/jupyter-server-spec.js";

/** @jupyterlab/lsp's rule: strip `text/` or `application/`, then a leading `x-` (text/x-ipython aside). */
function languageOfMime(mime: string): string {
  return mime.replace(/^(text|application)\//, "").replace(/^x-/, "");
}

describe("jupyterServerSpec()", () => {
  const spec = jupyterServerSpec("/usr/bin/node", "/opt/retis/dist/cli/main.js").LanguageServerManager.language_servers["retis-lsp"]!;

  test("matches the MIME type and language the kernel announces", () => {
    const info = kernelInfo();
    assert.ok(info.status === "ok", "kernel_info_reply failed");
    const mimetype = info.language_info.mimetype;
    assert.ok(spec.mime_types.includes(mimetype), `${mimetype} not in ${spec.mime_types.join(", ")}`);
    assert.ok(spec.languages.includes(languageOfMime(mimetype)), `${languageOfMime(mimetype)} not in ${spec.languages.join(", ")}`);
    assert.deepEqual(spec.languages, ["typescript"]);
  });

  test("runs `retis lsp --stdio` with absolute paths, schema version 2, texts sent over the protocol", () => {
    assert.deepEqual(spec.argv, ["/usr/bin/node", "/opt/retis/dist/cli/main.js", "lsp", "--stdio"]);
    assert.equal(spec.version, 2);
    assert.equal(spec.requires_documents_on_disk, false);
    assert.ok(spec.display_name.length > 0);
  });

  test("installs as jupyter_server_config.d/retis-lsp.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "retis-lsp-spec-"));
    try {
      const path = installJupyterServerSpec(dir, "/usr/bin/node", "/x/main.js");
      assert.equal(path, join(dir, "jupyter_server_config.d", "retis-lsp.json"));
      assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), jupyterServerSpec("/usr/bin/node", "/x/main.js"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the user config dir follows jupyter_core: $JUPYTER_CONFIG_DIR, else ~/.jupyter", () => {
    assert.equal(userConfigDir({ JUPYTER_CONFIG_DIR: "/cfg" }, "/home/u"), "/cfg");
    assert.equal(userConfigDir({}, "/home/u"), "/home/u/.jupyter");
  });
});
