import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { executeDefaults, isControlRequest, isRequest, isShellRequest, requestProblem } from "./messages.js";
import { newHeader } from "./protocol/wire.js";

function msg(type: string, content: unknown) {
  return { header: newHeader(type as "execute_request", "s"), parent_header: {}, metadata: {}, content, buffers: [] };
}

describe("requestProblem()", () => {
  it("accepts well-formed requests", () => {
    assert.equal(requestProblem(msg("execute_request", { code: "1" })), undefined);
    assert.equal(requestProblem(msg("complete_request", { code: "re", cursor_pos: 2 })), undefined);
    assert.equal(requestProblem(msg("kernel_info_request", {})), undefined);
  });

  it("names the missing or mistyped field and what was expected", () => {
    assert.equal(requestProblem(msg("execute_request", {})), "execute_request: content.code is undefined: expected a string");
    assert.equal(requestProblem(msg("complete_request", { code: "x", cursor_pos: "2" })), 'complete_request: content.cursor_pos is "2": expected a number');
  });

  it("rejects unknown types, missing headers and non-object content", () => {
    assert.match(requestProblem(msg("frobnicate_request", {}))!, /unknown msg_type 'frobnicate_request'/);
    assert.match(requestProblem({ content: {} })!, /header/);
    assert.match(requestProblem(msg("execute_request", "code"))!, /content is not an object/);
    assert.equal(isRequest(null), false);
  });
});

describe("channel guards", () => {
  it("isShellRequest() accepts execute but not interrupt", () => {
    assert.equal(isShellRequest(msg("execute_request", { code: "" })), true);
    assert.equal(isShellRequest(msg("interrupt_request", {})), false);
  });
  it("isControlRequest() accepts interrupt and shutdown but not execute", () => {
    assert.equal(isControlRequest(msg("interrupt_request", {})), true);
    assert.equal(isControlRequest(msg("shutdown_request", { restart: false })), true);
    assert.equal(isControlRequest(msg("execute_request", { code: "" })), false);
  });
});

describe("executeDefaults()", () => {
  it("fills the spec's defaults; silent implies no history", () => {
    assert.deepEqual(executeDefaults({ code: "x" }), { code: "x", silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true });
    assert.equal(executeDefaults({ code: "x", silent: true }).store_history, false);
  });
});
