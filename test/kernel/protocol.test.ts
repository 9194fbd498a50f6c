// The kernel process driven by a small signing client (kernel/protocol/client.ts) over real zeromq sockets:
// one test per message type, asserting a JSON subset of each reply and of what iopub published. Runs
// without Python; the Jupyter clients' own view is in conformance/scenarios/notebooks tests.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { RawMessage } from "../../kernel/protocol/wire.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawn } from "node:child_process";
import * as zmq from "zeromq";
import { endpoint } from "../../kernel/protocol/connection.js";
import { Signer } from "../../kernel/protocol/hmac.js";
import { decode, encode, newHeader } from "../../kernel/protocol/wire.js";
import { cli, connectionFile, havePython, runPython, startKernel, testCapture, type RunningKernel } from "./harness.js";

let k: RunningKernel;
before(async () => {
  k = await startKernel();
  await k.client.ready();
});
after(async () => {
  if (k.child.exitCode === null) k.child.kill("SIGKILL");
  k.client.close();
});

/** Asserts that `actual` contains `expected` (objects: the listed keys, recursively). */
function assertSubset(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "object" && expected !== null && !Array.isArray(expected)) {
    assert.equal(typeof actual, "object", `${path} is an object`);
    for (const [key, value] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else assert.deepEqual(actual, expected, path);
}

const types = (msgs: RawMessage[]) => msgs.map((m) => m.header.msg_type);

/** The kernel's stderr arrives through a pipe, independently of its zeromq replies: wait for the line. */
async function logMatches(re: RegExp, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!re.test(k.log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(k.log(), re);
}

async function run(code: string, extra: Record<string, unknown> = {}): Promise<{ reply: RawMessage; iopub: RawMessage[] }> {
  const h = await k.client.send("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra });
  const reply = await k.client.reply(h.msg_id);
  return { reply, iopub: await k.client.iopubFor(h.msg_id) };
}

describe("kernel over zeromq", () => {
  // tslab's kernel_info_reply had no `status`, which jupyter_kernel_test rejects (kernel-notes §5).
  it("kernel_info_request → kernel_info_reply with status, protocol 5.3 and TypeScript language_info", async () => {
    const h = await k.client.send("kernel_info_request", {});
    const reply = await k.client.reply(h.msg_id);
    assert.deepEqual(reply.parent_header, h);
    assertSubset(reply, {
      header: { msg_type: "kernel_info_reply", version: "5.3" },
      content: { status: "ok", protocol_version: "5.3", implementation: "retis-ts", language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" } },
    });
    assert.equal(typeof (reply.content as { banner: unknown }).banner, "string");
    assert.deepEqual(types(await k.client.iopubFor(h.msg_id)), ["status", "status"]);
  });

  it("execute_request: busy, execute_input, stream, execute_result, idle; the reply carries the count", async () => {
    const { reply, iopub } = await run('console.log("out");\n6 * 7');
    assertSubset(reply.content, { status: "ok" });
    const n = (reply.content as { execution_count: number }).execution_count;
    assert.deepEqual(types(iopub), ["status", "execute_input", "stream", "execute_result", "status"]);
    assertSubset(iopub[0]!.content, { execution_state: "busy" });
    assertSubset(iopub[1]!.content, { code: 'console.log("out");\n6 * 7', execution_count: n });
    assertSubset(iopub[2]!.content, { name: "stdout", text: "out\n" });
    // Exactly "42": Deno's execute_result carried ANSI colour codes in text/plain (kernel-notes §1.3).
    assertSubset(iopub[3]!.content, { execution_count: n, data: { "text/plain": "42" } });
    assertSubset(iopub[4]!.content, { execution_state: "idle" });
    assert.equal(((await run("1")).reply.content as { execution_count: number }).execution_count, n + 1);
  });

  it("a runtime error gives an error message and reply with the cell's line", async () => {
    const { reply, iopub } = await run("const o: { f?: () => void } = {};\no.f!();");
    assertSubset(reply.content, { status: "error", ename: "TypeError" });
    const err = iopub.find((m) => m.header.msg_type === "error")!;
    assert.ok((err.content as { traceback: string[] }).traceback.some((l) => /:2:/.test(l)), JSON.stringify(err.content));
  });

  it("after a failed cell, execute requests already queued are aborted and do not run", async () => {
    const code = (c: string) => ({ code: c, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const a = await k.client.send("execute_request", code('throw new Error("first fails")'));
    const b = await k.client.send("execute_request", code("(globalThis as any).ranAfterFailure = true"));
    const c = await k.client.send("execute_request", code("2"));
    assertSubset((await k.client.reply(a.msg_id)).content, { status: "error" });
    assertSubset((await k.client.reply(b.msg_id)).content, { status: "aborted" });
    assertSubset((await k.client.reply(c.msg_id)).content, { status: "aborted" });
    const { iopub } = await run("typeof (globalThis as any).ranAfterFailure");
    assertSubset(iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "'undefined'" } });
  });

  it("stop_on_error false lets the next cell run", async () => {
    const code = (c: string) => ({ code: c, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });
    const a = await k.client.send("execute_request", code('throw new Error("x")'));
    const b = await k.client.send("execute_request", code("3"));
    assertSubset((await k.client.reply(a.msg_id)).content, { status: "error" });
    assertSubset((await k.client.reply(b.msg_id)).content, { status: "ok" });
  });

  it("display(), clearOutput() and displayUpdatable() publish display_data, clear_output and update_display_data", async () => {
    const { iopub } = await run('display(html("<i>a</i>"));\nclearOutput(true);\nconst h = displayUpdatable(1);\nh.update(2);');
    const shown = iopub.filter((m) => ["display_data", "clear_output", "update_display_data"].includes(m.header.msg_type));
    assert.deepEqual(types(shown), ["display_data", "clear_output", "display_data", "update_display_data"]);
    assertSubset(shown[0]!.content, { data: { "text/html": "<i>a</i>" } });
    assertSubset(shown[1]!.content, { wait: true });
    const id = (shown[2]!.content as { transient: { display_id: string } }).transient.display_id;
    assertSubset(shown[3]!.content, { data: { "text/plain": "2" }, transient: { display_id: id } });
    for (const m of shown) assert.ok(!JSON.stringify(m.content).includes("kernel-directive"), "the private directive never reaches the front end");
  });

  // The SVG fallback used to be drawn by hand for two chart kinds only; a user's own spec got none.
  it("every Vega-Lite output, the kernel's and a user's, gets an SVG fallback drawn by Vega, in order", async () => {
    const spec = '{ data: { values: [{ k: "a", v: 1 }, { k: "b", v: 3 }] }, mark: "arc", encoding: { theta: { field: "v", type: "quantitative" }, color: { field: "k", type: "nominal" } } }';
    const { iopub } = await run(`display(plot.eventsPerProbe(reader.events()));\ndisplay({ [Symbol.for("Jupyter.display")]: () => ({ "application/vnd.vegalite.v5+json": ${spec}, "text/plain": "pie" }) });\nconsole.log("after")`);
    assert.deepEqual(types(iopub), ["status", "execute_input", "display_data", "display_data", "stream", "status"]);
    const [probes, pie] = iopub.filter((m) => m.header.msg_type === "display_data").map((m) => (m.content as { data: Record<string, string> }).data);
    // Vega's own SVG: its root carries class="marks" and each mark a role.
    assert.match(probes!["image/svg+xml"]!, /^<svg[^>]*class="marks"[\s\S]*class="mark-rect role-mark/);
    assert.match(pie!["image/svg+xml"]!, /^<svg[^>]*class="marks"[\s\S]*class="mark-arc role-mark/);
  });

  it("an Event displays as Retis text plus a sections table", async () => {
    const { iopub } = await run("[...reader.events()].find((e) => e.kernel)!");
    const data = (iopub.find((m) => m.header.msg_type === "execute_result")!.content as { data: Record<string, string> }).data;
    assert.match(data["text/plain"]!, /\[tp\] /);
    assert.match(data["text/html"]!, /<table class="retis">/);
  });

  // Jupyter cursors are code points (protocol 5.2); Deno counted UTF-16 units and shifted after an emoji.
  it("complete_request counts the cursor in code points (an emoji before it does not shift the answer)", async () => {
    const code = 'const smile = "😀😀";\nreader.ev';
    const pos = [...code].length;
    const h = await k.client.send("complete_request", { code, cursor_pos: pos });
    const reply = await k.client.reply(h.msg_id);
    assertSubset(reply.content, { status: "ok", matches: ["events"], cursor_start: pos - 2, cursor_end: pos });
  });

  it("complete_request after an optional section offers `?.member`, replacing the typed dot", async () => {
    await run("const tracked = [...reader.events()].find((e) => e.skb_tracking)!;");
    const code = "tracked.skb_tracking.orig";
    const reply = await k.client.request("complete_request", { code, cursor_pos: code.length });
    assertSubset(reply.content, { status: "ok", matches: ["?.orig_head"], cursor_start: "tracked.skb_tracking".length, cursor_end: code.length });
  });

  it("inspect_request finds the declaration and its documentation", async () => {
    const h = await k.client.send("inspect_request", { code: "reader.events()", cursor_pos: 9, detail_level: 0 });
    const reply = await k.client.reply(h.msg_id);
    assertSubset(reply.content, { status: "ok", found: true });
    assert.match((reply.content as { data: Record<string, string> }).data["text/plain"]!, /events\(\)/);
  });

  it("is_complete_request tells complete, incomplete (with indent) and invalid apart", async () => {
    const ask = async (code: string) => (await k.client.reply((await k.client.send("is_complete_request", { code })).msg_id)).content;
    assertSubset(await ask("1 + 1"), { status: "complete" });
    assertSubset(await ask("if (x) {"), { status: "incomplete" });
    assert.equal(typeof (await ask("if (x) {") as { indent: unknown }).indent, "string");
    assertSubset(await ask("1 +* 2)"), { status: "invalid" });
  });

  it("history_request tail returns the last inputs with their line numbers", async () => {
    await run("const historyMarker = 1");
    const reply = await k.client.request("history_request", { output: false, raw: true, hist_access_type: "tail", n: 1 });
    const history = (reply.content as { history: [number, number, string][] }).history;
    assert.equal(history.length, 1);
    assert.equal(history[0]![2], "const historyMarker = 1");
  });

  // tslab answered comm_info_request with msg_type complete_reply.
  it("comm_info_request is answered empty; comm_open is closed at once", async () => {
    const info = await k.client.request("comm_info_request", {});
    assert.equal(info.header.msg_type, "comm_info_reply");
    assertSubset(info.content, { status: "ok", comms: {} });
    const h = await k.client.send("comm_open", { comm_id: "c1", target_name: "jupyter.widget", data: {} });
    const iopub = await k.client.iopubFor(h.msg_id);
    assertSubset(iopub.find((m) => m.header.msg_type === "comm_close")!.content, { comm_id: "c1" });
  });

  it("input() without allow_stdin fails with a message that says why", async () => {
    const { reply } = await run('await input("name? ")');
    assertSubset(reply.content, { status: "error" });
    assert.match((reply.content as { evalue: string }).evalue, /allow_stdin is false/);
  });

  it("a forged message gets no reply, is logged, and the kernel keeps answering", async () => {
    const h = await k.client.send("execute_request", { code: "(globalThis as any).forged = 1" }, "shell", "wrong-key");
    const next = await k.client.request("kernel_info_request", {});
    assertSubset(next.content, { status: "ok" });
    await logMatches(/shell: rejected a message: signature does not match/);
    const { iopub } = await run("typeof (globalThis as any).forged");
    assertSubset(iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "'undefined'" } });
    assert.ok(h.msg_id);
  });

  // jupyter_client's Session refuses a signature it has already seen (digest_history); before, a captured
  // execute_request sent again ran its cell again.
  it("a replayed signed message is refused on any channel, logged, and does not run again", async () => {
    await run("(globalThis as any).replays = 0");
    const { header, frames } = k.client.signed("execute_request", { code: "(globalThis as any).replays += 1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await k.client.sendFrames(frames);
    assertSubset((await k.client.reply(header.msg_id)).content, { status: "ok" });
    await k.client.iopubFor(header.msg_id);
    await k.client.sendFrames(frames);
    await k.client.sendFrames(frames, "control");
    assertSubset((await k.client.request("kernel_info_request", {})).content, { status: "ok" });
    await logMatches(/shell: rejected a message: replayed/);
    await logMatches(/control: rejected a message: replayed/);
    const { iopub } = await run("(globalThis as any).replays");
    assertSubset(iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "1" } });
  });

  // The same with jupyter_client's own Session signing the message: an independent client, as a captured
  // message would have been written.
  it("a message signed by jupyter_client and sent twice is answered once and runs once", async (t) => {
    if (!havePython(t, ["jupyter_client", "zmq"])) return;
    await run("(globalThis as any).pyReplays = 0");
    const dir = mkdtempSync(join(tmpdir(), "retis-replay-"));
    const connection = join(dir, "kernel.json");
    writeFileSync(connection, JSON.stringify(k.client.info));
    const script = `
import json, sys, zmq
from jupyter_client.session import Session
info = json.load(open(sys.argv[1]))
session = Session(key=info["key"].encode(), signature_scheme=info["signature_scheme"])
socket = zmq.Context.instance().socket(zmq.DEALER)
socket.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
msg = session.msg("execute_request", {"code": "(globalThis as any).pyReplays += 1", "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
frames = session.serialize(msg)
socket.send_multipart(frames)
socket.send_multipart(frames)
replies = 0
while socket.poll(3000):
    idents, reply = session.feed_identities(socket.recv_multipart())
    if session.deserialize(reply)["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
        replies += 1
print(replies)
`;
    try {
      const r = await runPython(["-c", script, connection], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "1", "one reply for two copies");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { iopub } = await run("(globalThis as any).pyReplays");
    assertSubset(iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "1" } });
  });

  it("an unknown request type is logged and ignored", async () => {
    await k.client.send("frobnicate_request" as "kernel_info_request", {});
    assertSubset((await k.client.request("kernel_info_request", {})).content, { status: "ok" });
    await logMatches(/ignored unknown msg_type 'frobnicate_request'/);
  });

  it("interrupt_request on control stops a pending await; variables survive", async () => {
    await run("const survivor = 'here'");
    const h = await k.client.send("execute_request", { code: "await new Promise(() => {})" });
    await new Promise((r) => setTimeout(r, 300));
    assertSubset((await k.client.request("interrupt_request", {}, "control")).content, { status: "ok" });
    assertSubset((await k.client.reply(h.msg_id)).content, { status: "error", ename: "Interrupted" });
    const { reply, iopub } = await run("survivor");
    assertSubset(reply.content, { status: "ok" });
    assertSubset(iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "'here'" } });
  });

  it("a cell calling process.exit ends its evaluation, not the kernel: the next cell starts afresh", async () => {
    await run("const beforeExit = 1");
    const { reply, iopub } = await run("process.exit(3)");
    assertSubset(reply.content, { status: "error" });
    const note = iopub.find((m) => m.header.msg_type === "stream")!;
    assertSubset(note.content, { name: "stderr" });
    assert.match((note.content as { text: string }).text, /process\.exit\(3\)/);
    const after = await run("typeof (globalThis as any).beforeExit === 'undefined' && 1 + 1");
    assertSubset(after.reply.content, { status: "ok" });
    assertSubset(after.iopub.find((m) => m.header.msg_type === "execute_result")!.content, { data: { "text/plain": "2" } });
    assert.equal(k.child.exitCode, null, "the kernel process is still running");
  });

  it("shutdown_request on control replies, then the process exits 0", async () => {
    const reply = await k.client.request("shutdown_request", { restart: false }, "control");
    assertSubset(reply.content, { status: "ok", restart: false });
    assert.equal(await k.exited, 0);
  });
});

describe("a client whose iopub subscribes after its first request", () => {
  // jupyter_client connects every channel at once while the kernel starts; each retries on its own timer,
  // so the first kernel_info_request often arrives before the iopub subscription. Its status messages were
  // then published to nobody, and wait_for_ready (which waits for iopub after the reply) asked again.
  it("still gets the first request's busy and idle status on iopub", async () => {
    const { path, info } = await connectionFile();
    const child = spawn(process.execPath, [cli, "kernel", "run", "-f", path], { stdio: "ignore", env: { ...process.env, RETIS_FILE: testCapture() } });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const signer = new Signer(info.key, info.signature_scheme);
    const hb = new zmq.Request({ linger: 0, reconnectInterval: 10 });
    const shell = new zmq.Dealer({ linger: 0, reconnectInterval: 10 });
    const iopub = new zmq.Subscriber({ linger: 0, reconnectInterval: 10 });
    try {
      // The kernel is up and serving once its heartbeat echoes.
      hb.connect(endpoint(info, "hb"));
      await hb.send("ping");
      await hb.receive();
      shell.connect(endpoint(info, "shell"));
      const header = newHeader("kernel_info_request", "late-iopub", "test");
      await shell.send(encode({ header, parent_header: {}, metadata: {}, content: {} }, signer));
      const reply = shell.receive();
      // Give the kernel time to answer before any subscriber exists (it answered at once before the fix).
      await Promise.race([reply, new Promise((r) => setTimeout(r, 100))]);
      iopub.connect(endpoint(info, "iopub"));
      iopub.subscribe();
      const decoded = decode(await reply, signer);
      assert.ok(decoded.ok && decoded.message.header.msg_type === "kernel_info_reply");
      const states: string[] = [];
      const deadline = setTimeout(() => iopub.close(), 10_000);
      while (!states.includes("idle")) {
        const d = decode(await iopub.receive(), signer);
        if (d.ok && (d.message.parent_header as { msg_id?: string }).msg_id === header.msg_id && d.message.header.msg_type === "status") {
          states.push((d.message.content as { execution_state: string }).execution_state);
        }
      }
      clearTimeout(deadline);
      assert.deepEqual(states, ["busy", "idle"]);
    } finally {
      hb.close();
      shell.close();
      if (!iopub.closed) iopub.close();
      child.kill("SIGTERM");
      await exited;
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });
});
