// `retis collect` and collect() translate through one function (events/collect/options.ts): the same options
// given as a command line or as an object run the collector with the same flags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand } from "../../cli/args.js";
import { collectorArgs, spec } from "../../cli/commands/collect.js";
import { planCollect } from "../../events/collect/options.js";
import type { CollectOptions } from "../../events/index.js";

const binary = () => "/nonexistent";

function viaCli(argv: string[]): string[] {
  const { args } = collectorArgs(parseCommand(spec, argv), { profiles: [], logLevel: "info" }, binary, ["collect", ...argv]);
  return args.slice(0, args.indexOf("--cmdline"));
}

function viaApi(options: CollectOptions): string[] {
  const { args } = planCollect(options, { spelling: "api", profiles: false, binary, cmdline: "", defaultOut: undefined, print: false });
  return args.slice(0, args.indexOf("--cmdline"));
}

test("the same options as a command line and as collect()'s object give the collector the same flags", () => {
  const pairs: [string[], CollectOptions][] = [
    [["-o", "x.data"], { out: "x.data" }],
    [["-c", "skb,skb-drop,skb-tracking", "-p", "tp:skb:kfree_skb", "-o", "x.data"], { collectors: ["skb", "skb-drop", "skb-tracking"], probes: ["tp:skb:kfree_skb"], out: "x.data" }],
    [["-f", "udp port 53", "-m", "sk_buff.len > 100", "--stack", "-o", "x.data"], { filter: "udp port 53", metaFilter: "sk_buff.len > 100", stack: true, out: "x.data" }],
    [["--out-rotate", "64MB", "-R", "3", "-o", "r.data"], { outRotate: "64MB", outRotateCount: 3, out: "r.data" }],
    [["--stop-after", "7", "--timeout", "1.5", "--netns", "blue", "--ifindex", "3", "--raw-tp", "--user-filter", "-v", "-o", "x.data"], { stopAfter: 7, timeout: 1.5, netns: "blue", ifindex: 3, rawTp: true, userFilter: true, verbose: true, out: "x.data" }],
    [["--skb-sections", "meta,gso", "-o", "x.data"], { skbSections: ["meta", "gso"], out: "x.data" }],
  ];
  for (const [argv, options] of pairs) assert.deepEqual(viaApi(options), viaCli(argv), argv.join(" "));
});
