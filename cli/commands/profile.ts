// `retis profile list`: the profiles found, per file, as Retis lists them; those that cannot run on this
// kernel (kprobes, nft, ovs) say so.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { helpText, parseCommand, parseOrHelp, type CommandSpec } from "../args.js";
import { UsageError } from "../errors.js";
import { loadProfiles, profileLimitation, profilePaths, type Profile } from "../profiles.js";

export const spec: CommandSpec = {
  name: "retis profile",
  about: "Manage profiles.\n\nlist  List available profiles (the default)",
  options: [],
  positionals: [{ name: "SUBCOMMAND", help: "list" }],
  trailing: "rest",
};

const listSpec: CommandSpec = { name: "retis profile list", about: "List available profiles", options: [] };

function list(): number {
  for (const dir of profilePaths().filter((p) => existsSync(p))) {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      let profiles: Profile[];
      try {
        profiles = loadProfiles(file);
      } catch (e) {
        console.error(`retis: warning: Skipping invalid file ${file}: ${(e as Error).message}`);
        continue;
      }
      if (profiles.length > 0) console.log(`${file}:`);
      for (const p of profiles) {
        const limitation = profileLimitation(p);
        console.log(`  ${p.name.padEnd(20)} ${p.about ?? ""}${limitation ? ` [${limitation}]` : ""}`);
      }
    }
  }
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const top = parseCommand(spec, args);
  const sub = top.positionals.SUBCOMMAND ?? "list";
  if (top.help) {
    console.log(helpText(spec));
    return 0;
  }
  if (sub !== "list") throw new UsageError(`unknown subcommand '${sub}': expected list (see retis profile --help)`);
  return parseOrHelp(listSpec, top.rest) ? list() : 0;
}
