// Meta filter syntax, with Retis's own examples (collect --help, docs/filtering.md) as the valid set.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RetisOptionError } from "../errors.js";
import { checkMetaFilter } from "./meta-filter.js";

test("Retis's examples are accepted", () => {
  for (const f of [
    'sk_buff.dev.name == "eth0"',
    "sk_buff.dev.name == 'veth01'",
    "sk_buff.dev.nd_net.net.ns.inum == 4026531840",
    "sk_buff.mark == 0x10",
    "sk_buff.mark:0xff == 0x10",
    "sk_buff.mark:~0xf0 != 0b1",
    "sk_buff.cb:0xff:u32 >= 3",
    "sk_buff.dev",
    "sk_buff.len > 100 && (sk_buff.mark == 1 or sk_buff.mark == -2)",
  ]) {
    assert.doesNotThrow(() => checkMetaFilter(f), f);
  }
});

test("mistakes are one line quoting the filter and saying what was expected", () => {
  const cases: [string, RegExp][] = [
    ["skb.mark == 1", /^invalid meta filter 'skb\.mark == 1': expected a member chain starting with sk_buff/],
    ["sk_buff.mark = 1", /expected 'and', 'or', an operator \(== != < <= > >=\) or the end at column 14/],
    ["sk_buff.mark ==", /expected a number .* or a quoted string at the end/],
    ["sk_buff.dev.name == 'eth0", /expected a closing '/],
    ["sk_buff.dev.name > 'eth0'", /'>' cannot compare a string, only '==' can/],
    ["(sk_buff.mark == 1", /expected '\)' at the end/],
    ["sk_buff.mark == 12abc", /expected a number/],
  ];
  for (const [f, re] of cases) {
    assert.throws(() => checkMetaFilter(f), (e: Error) => e instanceof RetisOptionError && re.test(e.message) && !e.message.includes("\n"), f);
  }
});
