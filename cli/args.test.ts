// The shared parser on the cases Retis's users hit: exact names only, optional values, clusters, `--`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { helpText, list, parseCommand, str, type CommandSpec } from "./args.js";
import { UsageError } from "./errors.js";

const spec: CommandSpec = {
  name: "retis demo",
  about: "demo",
  options: [
    { long: "out", short: "o", takes: "optional", missing: "retis.data", help: "out" },
    { long: "collectors", short: "c", takes: "required", delimiter: ",", choices: ["auto", "skb", "ct"], default: ["auto"], help: "c" },
    { long: "probe", short: "p", takes: "required", multiple: true, help: "p" },
    { long: "cmd", takes: "required", help: "cmd" },
    { long: "cmdline", takes: "required", help: "cmdline", hidden: true },
    { long: "print-link-layer", short: "e", noLong: true, help: "e" },
    { long: "utc", help: "utc" },
    { long: "stop-after", takes: "required", help: "n" },
  ],
  positionals: [{ name: "INPUT", help: "input" }],
};

const usage = (args: string[]) => assert.throws(() => parseCommand(spec, args), UsageError);

test("a bare -o takes its default and leaves the next option alone", () => {
  const p = parseCommand(spec, ["-o", "-c", "skb"]);
  assert.equal(str(p, "out"), "retis.data");
  assert.deepEqual(list(p, "collectors"), ["skb"]);
  assert.equal(str(parseCommand(spec, ["-o", "f.data"]), "out"), "f.data");
  assert.equal(str(parseCommand(spec, ["--out=x"]), "out"), "x");
  assert.equal(str(parseCommand(spec, ["-ox"]), "out"), "x");
  assert.equal(parseCommand(spec, []).values.out, undefined);
});

test("an option is matched only by its exact name, never by a prefix", () => {
  assert.equal(str(parseCommand(spec, ["--cmd", "true"]), "cmd"), "true");
  assert.equal(parseCommand(spec, ["--cmd", "true"]).values.cmdline, undefined);
  usage(["--cm", "x"]);
  usage(["--coll", "skb"]);
  usage(["--print-link-layer"]); // -e only, as Retis
  assert.equal(parseCommand(spec, ["-e"]).values["print-link-layer"], true);
});

test("values: delimiters, choices, repeats, values that look like options", () => {
  assert.deepEqual(list(parseCommand(spec, ["-c", "skb,ct"]), "collectors"), ["skb", "ct"]);
  assert.deepEqual(list(parseCommand(spec, []), "collectors"), ["auto"]);
  usage(["-c", ""]);
  usage(["-c", "skb,bogus"]);
  assert.deepEqual(list(parseCommand(spec, ["-p", "a", "--probe", "b", "-pc"]), "probe"), ["a", "b", "c"]);
  // a required value is taken whatever it looks like: the option's own check then refuses it
  assert.equal(str(parseCommand(spec, ["--stop-after", "-1"]), "stop-after"), "-1");
  usage(["--stop-after"]);
  usage(["--utc=yes"]);
  usage(["--utc", "--utc"]);
});

test("short flags cluster; -- ends the options; extra positionals are refused", () => {
  const p = parseCommand(spec, ["-eo", "--", "-file"]);
  assert.equal(p.values["print-link-layer"], true);
  assert.equal(str(p, "out"), "retis.data");
  assert.equal(p.positionals.INPUT, "-file");
  usage(["a", "b"]);
});

test("a trailing-rest command hands everything after its positional to it", () => {
  const ts: CommandSpec = { name: "retis ts", about: "", options: [{ long: "no-check", help: "" }], positionals: [{ name: "SCRIPT", help: "" }], trailing: "rest" };
  const p = parseCommand(ts, ["--no-check", "s.ts", "-x", "--no-check"]);
  assert.equal(p.positionals.SCRIPT, "s.ts");
  assert.deepEqual(p.rest, ["-x", "--no-check"]);
  assert.deepEqual(parseCommand(ts, ["--", "s.ts", "-y"]).rest, ["-y"]);
});

test("the help lists every visible option with its value and default", () => {
  const h = helpText(spec);
  assert.match(h, /^ {2}-o, --out \[VALUE\]$/m);
  assert.match(h, /^ {2}-c, --collectors <VALUE>$/m);
  assert.match(h, /\[possible values: auto, skb, ct\] \[default: auto\]/);
  assert.match(h, /^ {2}-e$/m);
  assert.doesNotMatch(h, /cmdline/);
});
