import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chooseCapture } from "./capture.js";

const exists = (paths: string[]) => (p: string) => paths.includes(p);

describe("chooseCapture()", () => {
  it("prefers RETIS_FILE", () => {
    assert.deepEqual(chooseCapture({ RETIS_FILE: "/c/x.data" }, "/nb", "/b", exists(["/c/x.data", "/nb/retis.data"])), { path: "/c/x.data" });
  });
  it("notes a RETIS_FILE that does not exist, and still uses it", () => {
    const c = chooseCapture({ RETIS_FILE: "/nope" }, "/nb", "/b", exists(["/b"]));
    assert.equal(c.path, "/nope");
    assert.match(c.note!, /RETIS_FILE=\/nope does not exist/);
  });
  it("leaves retis.data in the notebook's folder (or its split parts) to the engine", () => {
    assert.deepEqual(chooseCapture({}, "/nb", "/b", exists(["/nb/retis.data", "/b"])), { path: undefined });
    assert.deepEqual(chooseCapture({}, "/nb", "/b", exists(["/nb/retis.data.0"])), { path: undefined });
  });
  it("falls back to the bundled sample with a note", () => {
    const c = chooseCapture({}, "/nb", "/b/retis.data", exists(["/b/retis.data"]));
    assert.equal(c.path, "/b/retis.data");
    assert.match(c.note!, /bundled sample/);
  });
  it("says what to do when there is nothing at all", () => {
    const c = chooseCapture({}, "/nb", "/b", exists([]));
    assert.equal(c.path, undefined);
    assert.match(c.note!, /reader = openCapture\("path\/to\/retis.data"\)/);
  });
});
