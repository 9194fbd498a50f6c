// The in-kernel packet filter (a cBPF interpreter in the hook) against libpcap's own interpreter: two
// collectors run at the same time on the same traffic, one filtering in the kernel, one in user space with
// pcap_offline_filter; every probe hit reaches both, so they must write the same events.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { canCollect, createNetns, readLines, sendUdp, startCollect, type Netns } from "./env.js";

let env: Netns | undefined;
let dir = "";

/** What identifies one probe hit in both captures (timestamps differ by a few ns between the two programs). */
function hits(path: string): string[] {
  return readLines(path)
    .slice(1)
    .map((l) => {
      const ev = JSON.parse(l);
      const skb = /"skb-tracking":\{[^}]*"skb":(\d+)/.exec(l)?.[1];
      return `${ev.kernel.symbol} ${skb} ${ev.packet?.data}`;
    })
    .sort();
}

const expressions = [
  "udp dst port 9998",
  "icmp[icmptype] == icmp-echoreply",
  "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and ip[8] == 64",
  "arp",
  "net 10.200.0.0/24 and not udp and len > 90",
  "ether[0] & 1 != 0",
  "udp and ip[6:2] & 0x1fff == 0 and udp[4:2] > 10",
];

describe("the in-kernel packet filter", { timeout: 240_000 }, () => {
  let server: ReturnType<typeof spawn> | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "retis-filter-"));
    if (process.getuid?.() !== 0) return;
    env = createNetns();
    // no spontaneous traffic (IPv6 router solicitations, MLD) that one collector could see and not the other
    for (const ns of [env.a, env.b]) env.exec(ns, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"]);
    server = spawn("ip", ["netns", "exec", env.b, "timeout", "200", process.execPath, "-e",
      `require("net").createServer((s) => s.end("hello\\n")).listen(8080, "${env.ipB}")`], { stdio: "ignore" });
    await new Promise((ok) => setTimeout(ok, 500));
  });
  after(() => {
    server?.kill("SIGKILL");
    env?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [i, expr] of expressions.entries()) {
    test(`agrees with libpcap on '${expr}'`, async (t) => {
      if (!canCollect(t)) return;
      const e = env!;
      const kernel = join(dir, `k${i}.data`);
      const user = join(dir, `u${i}.data`);
      const common = ["--netns", e.a, "--netns", e.b, "-f", expr];
      const k = await startCollect(["-o", kernel, ...common]);
      const u = await startCollect(["-o", user, ...common, "--user-filter"]);
      try {
        assert.match(k.stderr(), /packet filter in kernel/);
        assert.match(u.stderr(), /packet filter in user space/);
        // a fresh ARP exchange each time
        for (const ns of [e.a, e.b]) e.exec(ns, ["ip", "neigh", "flush", "all"]);
        e.exec(e.a, ["ping", "-c", "2", "-i", "0.2", "-W", "2", e.ipB]);
        e.exec(e.a, ["bash", "-c", `exec 3<>/dev/tcp/${e.ipB}/8080; cat <&3 >/dev/null`]);
        sendUdp(e, e.a, e.ipB, 9998);
        await new Promise((ok) => setTimeout(ok, 300));
      } finally {
        const [rk, ru] = await Promise.all([k.stop(), u.stop()]);
        assert.equal(rk.code, 0, rk.stderr);
        assert.equal(ru.code, 0, ru.stderr);
      }
      const fromKernel = hits(kernel);
      assert.deepEqual(fromKernel, hits(user));
      assert.ok(fromKernel.length > 0, "the expression matches some of the traffic");
    });
  }
});
