// collect()'s options checked before anything starts: one RetisOptionError line naming the option as the
// library spells it, and nothing on disk. These run without root: the options are checked first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect, RetisOptionError, type CollectOptions } from "../index.js";
import { commandLine, planCollect } from "./options.js";

const ctx = { spelling: "api" as const, profiles: false, binary: () => "/nonexistent", cmdline: "x", defaultOut: "retis.data", print: false };

test("a wrong option is one RetisOptionError line, thrown by collect() before anything starts", () => {
  const dir = mkdtempSync(join(tmpdir(), "kcap-opt-"));
  try {
    const out = join(dir, "never.data");
    const cases: [CollectOptions | Record<string, unknown>, RegExp][] = [
      [{ stopAfter: -1 }, /^invalid stopAfter '-1': expected a positive number of events$/],
      [{ stopAfter: 1.5 }, /^invalid stopAfter '1\.5': expected a positive number of events$/],
      [{ timeout: 0 }, /^invalid timeout '0': expected a positive number of seconds$/],
      [{ fitler: "udp" }, /^unknown collect\(\) option 'fitler' \(expected one of collectors, probes, filter, metaFilter, out, /],
      [{ collectors: ["ovs"] }, /^collector 'ovs' is not available: .*kprobes/],
      [{ collectors: ["bogus"] }, /^invalid collectors 'bogus': expected one of auto, skb-tracking, /],
      [{ collectors: "skb", probes: [] }, /^No probe was enabled: with collectors and no probes, Retis adds no default probes \(add tp:GROUP:NAME\)$/],
      [{ probes: ["consume_skb"] }, /^invalid probe 'consume_skb': kprobes are not available on this kernel/],
      [{ probes: "tp:kfree_skb" }, /a tracepoint is GROUP:NAME/],
      [{ metaFilter: "sk_buff.len >" }, /^invalid meta filter 'sk_buff.len >': expected a number/],
      [{ filter: " " }, /^invalid filter '': expected a pcap-filter\(7\) expression$/],
      [{ outRotate: "64" }, /^invalid outRotate '64': expected a size with a unit, e\.g\. 64MB or 1GB$/],
      [{ outRotateCount: 2 }, /^outRotateCount requires outRotate$/],
      [{ stack: "yes" }, /^invalid stack 'yes': expected true or false$/],
      [{ probes: [42] }, /^invalid probes 42: expected strings in the list$/],
      [{ netns: [{}] }, /^invalid netns \{\}: expected numbers or strings in the list$/],
      [{ probeStack: true }, /^probeStack adds kprobes at run time/],
      [{ nftVerdicts: "drop" }, /^nftVerdicts is an option of the nft collector/],
      [{ kconf: join(dir, "missing") }, /^could not read the kernel configuration kconf '.*missing': ENOENT$/],
      [{ cmd: "" }, /^invalid cmd '': expected a shell command$/],
    ];
    for (const [options, re] of cases) {
      assert.throws(
        () => collect({ out, ...options } as CollectOptions),
        (e: Error) => e instanceof RetisOptionError && re.test(e.message) && !e.message.includes("\n"),
        JSON.stringify(options),
      );
    }
    assert.throws(() => collect(null as unknown as CollectOptions), { name: "RetisOptionError", message: /^collect\(\) takes an object of options/ });
    assert.throws(() => collect(["-c", "skb"] as unknown as CollectOptions), { message: /, not an array$/ });
    assert.deepEqual(readdirSync(dir), [], "nothing was written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("options become the collector's flags: lists as arrays or Retis's comma text, numbers as numbers or text", () => {
  const a = planCollect({ collectors: ["skb", "skb-drop"], probes: ["tp:skb:kfree_skb"], stopAfter: 10, timeout: 2.5, netns: [4026531840, "blue"], out: "/tmp/x.data" }, ctx);
  const b = planCollect({ collectors: "skb,skb-drop", probes: "tp:skb:kfree_skb", stopAfter: "10", timeout: "2.5", netns: ["4026531840", "blue"], out: "/tmp/x.data" }, ctx);
  assert.deepEqual(a, b);
  assert.deepEqual(a.args, ["-p", "tp:skb:kfree_skb", "-c", "skb,skb-drop", "-o", "/tmp/x.data", "--stop-after", "10", "--timeout", "2.5", "--netns", "4026531840", "--netns", "blue", "--cmdline", "x", "--die-with-parent"]);
  assert.equal(a.out, "/tmp/x.data");
  // defaults as Retis: auto collectors, the two default tracepoints, retis.data in the current directory
  const d = planCollect({}, ctx);
  assert.deepEqual(d.args.slice(0, 6), ["-p", "tp:net:netif_receive_skb", "-p", "tp:net:net_dev_start_xmit", "-c", "auto"]);
  assert.equal(d.out, join(process.cwd(), "retis.data"));
});

test("the startup event's command line is the equivalent retis collect command", () => {
  assert.equal(
    commandLine({ collectors: ["skb", "skb-drop"], probes: ["tp:skb:kfree_skb", "tp:net:netif_receive_skb"], filter: "udp port 53", stopAfter: 5, stack: true, rawTp: false }),
    "retis collect --collectors skb,skb-drop --probe tp:skb:kfree_skb --probe tp:net:netif_receive_skb --filter-packet 'udp port 53' --stop-after 5 --stack",
  );
});
