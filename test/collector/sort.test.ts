// A capture by the collector read back by the events library and grouped by `retis sort`: one series per
// packet, which holds only if the in-kernel tracking follows each packet and never reuses an id for another
// (heads come back in new packets after frees no tracepoint sees, e.g. TCP's).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { canCollect, cli, createNetns, readLines, sendUdp, startCollect, type Json, type Netns } from "./env.js";

let env: Netns | undefined;
let dir = "";

/**
 * What tells one IPv4 packet from another in this capture: addresses, protocol and IP id, plus ports,
 * sequence number and flags for TCP (SYN-ACKs all have IP id 0).
 */
function packetKey(ev: Json): string | undefined {
  if (!ev.packet) return undefined;
  const d = Buffer.from(ev.packet.data, "base64");
  if (d.length < 34 || d.readUInt16BE(12) !== 0x0800) return undefined;
  let key = `${[...d.subarray(26, 30)].join(".")}>${[...d.subarray(30, 34)].join(".")}/${d[23]}/id ${d.readUInt16BE(18)}`;
  const l4 = 14 + (d[14]! & 0x0f) * 4;
  if (d[23] === 6 && d.length >= l4 + 14) {
    key += ` ${d.readUInt16BE(l4)}>${d.readUInt16BE(l4 + 2)} seq ${d.readUInt32BE(l4 + 4)} flags ${d[l4 + 13]}`;
  }
  return key;
}

describe("a collected capture, sorted and read back", { timeout: 120_000 }, () => {
  const out = () => join(dir, "capture.data");
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "retis-sort-"));
    if (process.getuid?.() !== 0) return;
    env = createNetns();
    const e = env;
    // a TCP server in B answering one line per connection, bounded in time
    const server = spawn("ip", ["netns", "exec", e.b, "timeout", "30", process.execPath, "-e",
      `require("net").createServer((s) => s.end("hello\\n")).listen(8080, "${e.ipB}")`], { stdio: "ignore" });
    try {
      await new Promise((ok) => setTimeout(ok, 500));
      const c = await startCollect(["-o", out(), "--netns", e.a, "--netns", e.b]);
      e.exec(e.a, ["ping", "-c", "3", "-i", "0.2", "-W", "2", e.ipB]);
      for (let i = 0; i < 3; i++) e.exec(e.a, ["bash", "-c", `exec 3<>/dev/tcp/${e.ipB}/8080; cat <&3 >/dev/null`]);
      sendUdp(e, e.a, e.ipB, 9999);
      await new Promise((ok) => setTimeout(ok, 300));
      const { code, stderr } = await c.stop();
      assert.equal(code, 0, stderr);
    } finally {
      server.kill("SIGKILL");
    }
  });
  after(() => {
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the events library reads every event of the capture", async (t) => {
    if (!canCollect(t)) return;
    const { EventFile } = await import("../../events/index.js");
    const lines = readLines(out());
    const file = new EventFile(out());
    assert.equal(file.sorted(), false);
    let n = 0;
    for (const ev of file.events()) {
      const raw = JSON.parse(lines[n]!);
      if (n === 0) assert.ok(ev.has("startup"));
      else {
        assert.equal(ev.kernel?.symbol, raw.kernel.symbol);
        // u64 values come back exact
        assert.equal(ev.skb_tracking?.orig_head, BigInt(/"orig_head":(\d+)/.exec(lines[n]!)![1]!));
        assert.ok(String(ev).length > 0);
      }
      n++;
    }
    assert.equal(n, lines.length);
  });

  test("retis sort gives one series per packet", (t) => {
    if (!canCollect(t)) return;
    const sorted = join(dir, "sorted.data");
    const r = spawnSync(process.execPath, [cli, "sort", out(), "-o", sorted], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const series: Json[][] = readFileSync(sorted, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.ok(series[0]![0].startup, "startup first");
    const seen = new Map<string, number>();
    let tcp = 0;
    for (const [i, s] of series.slice(1).entries()) {
      const keys = new Set(s.map(packetKey).filter((k): k is string => k !== undefined));
      assert.ok(keys.size <= 1, `series ${i + 1} mixes packets: ${[...keys].join(", ")}`);
      const [key] = keys;
      if (key === undefined) continue;
      if (key.includes("/6/")) tcp++;
      assert.ok(!seen.has(key), `${key} split into series ${seen.get(key)} and ${i + 1}`);
      seen.set(key, i + 1);
    }
    // three connections: at least handshake, data and teardown segments each
    assert.ok(tcp >= 3 * 5, `${tcp} TCP packets in their own series`);
    const requests = [...seen.keys()].filter((k) => k.startsWith(`${env!.ipA}>${env!.ipB}/1/`));
    assert.equal(requests.length, 3, "3 echo requests");
  });
});
