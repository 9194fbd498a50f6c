// Builds bench/rust-reader (the native baseline, see its README) into the cache folder, offline, with cargo
// and Debian's crates; again only when its sources change. Without cargo or the crates the caller gets the
// reason, and the rows that need the baseline say "skipped: <why>".
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../test/samples.js";
import { cacheDir, which } from "./measure.js";

const DEBIAN_REGISTRY = "/usr/share/cargo/registry";
const SOURCES = ["Cargo.toml", "src/main.rs"];
/** The crates Cargo.toml names, as Debian packages them (librust-serde-dev, …). */
const CRATES = ["serde", "serde_derive", "serde_json"];

function cargo(): string | undefined {
  return which("cargo") ?? which(join(homedir(), ".cargo", "bin", "cargo"));
}

/** The binary's path, built if needed; or why there is none. */
export function rustReader(log: (s: string) => void = console.log): { path: string } | { skip: string } {
  const src = join(repoRoot, "bench", "rust-reader");
  const dir = cacheDir("rust-reader");
  const binary = join(dir, "retis-rust-reader");
  const hash = createHash("sha256");
  for (const f of SOURCES) hash.update(f).update(readFileSync(join(src, f)));
  const digest = hash.digest("hex");
  const stamp = join(dir, "sources.sha256");
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return { path: binary };

  const bin = cargo();
  if (!bin) return { skip: "no cargo on PATH nor in ~/.cargo/bin" };
  const have = existsSync(DEBIAN_REGISTRY) ? readdirSync(DEBIAN_REGISTRY) : [];
  const missing = CRATES.filter((c) => !have.some((d) => d.startsWith(`${c}-`)));
  if (missing.length > 0) return { skip: `Debian's crates missing in ${DEBIAN_REGISTRY}: ${missing.join(", ")} (apt-get install librust-serde-json-dev librust-serde-derive-dev)` };

  for (const f of SOURCES) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    copyFileSync(join(src, f), join(dir, f));
  }
  log(`building the Rust reader with ${bin} (offline, ${DEBIAN_REGISTRY}) …`);
  const r = spawnSync(
    bin,
    ["build", "--release", "--offline", "--quiet", "--config", 'source.crates-io.replace-with="debian"', "--config", `source.debian.directory="${DEBIAN_REGISTRY}"`],
    { cwd: dir, encoding: "utf8", timeout: 600_000 },
  );
  if (r.status !== 0) return { skip: `cargo build failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-1)[0]}` };
  copyFileSync(join(dir, "target", "release", "retis-rust-reader"), binary);
  writeFileSync(stamp, digest);
  return { path: binary };
}
