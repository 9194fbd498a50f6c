// Probe names as Retis's parse_cli_probe reads them, and the one line for what this kernel lacks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAnyProbe, parseProbe } from "./probes.js";

test("[TYPE:]TARGET[/OPTIONS] as Retis", () => {
  assert.deepEqual(parseAnyProbe("tp:skb:kfree_skb"), { type: "raw_tracepoint", target: "skb:kfree_skb", stack: false });
  assert.deepEqual(parseAnyProbe("skb:kfree_skb/stack"), { type: "raw_tracepoint", target: "skb:kfree_skb", stack: true });
  assert.deepEqual(parseAnyProbe("consume_skb"), { type: "kprobe", target: "consume_skb", stack: false });
  assert.deepEqual(parseAnyProbe("kr:ovs_dp_upcall"), { type: "kretprobe", target: "ovs_dp_upcall", stack: false });
  assert.deepEqual(parseAnyProbe("tp:skb:*"), { type: "raw_tracepoint", target: "skb:*", stack: false });
  assert.throws(() => parseAnyProbe("tp:skb:kfree_skb/bogus"), /unknown option 'bogus' \(expected stack\)/);
  assert.throws(() => parseAnyProbe("tp:kfree_skb"), /a tracepoint is GROUP:NAME/);
  assert.deepEqual(parseAnyProbe("tp:*"), { type: "raw_tracepoint", target: "*", stack: false });
  assert.deepEqual(parseAnyProbe("tp:*skb"), { type: "raw_tracepoint", target: "*skb", stack: false });
});

test("kprobes are refused with the reason", () => {
  for (const p of ["consume_skb", "kprobe:tcp_*", "k:ip_rcv", "kretprobe:x", "a:b:c"]) {
    assert.throws(() => parseProbe(p), /kprobes are not available on this kernel/, p);
  }
  assert.equal(parseProbe("net:netif_receive_skb").target, "net:netif_receive_skb");
});
