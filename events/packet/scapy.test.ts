// Differential test: dissect() against Scapy (Debian's python3-scapy), field by field, on frames Scapy generates.
// scapy-oracle.py builds random frames of every protocol dissected here (seeded), some cut short like captures,
// lets Scapy dissect them and prints each layer's fields under this library's names (the mapping is in the
// script's `rec_*` functions). This test dissects the same bytes and compares every field Scapy gave.
//
// Scale: RETIS_SCAPY_FRAMES (default 2000 frames, ~40% also cut short) and RETIS_SCAPY_SEED (default 1), e.g.
//   RETIS_SCAPY_FRAMES=50000 RETIS_SCAPY_SEED=7 node scripts/run-tests.mjs events/packet/scapy
//
// Compared: every layer (its tag, its offset in the frame) and every field below, nested options and chunks
// included; where the dissection stopped (`truncated.layer`); the payload length; and summary() against Scapy's
// summary() where Scapy's words are the same (see SUMMARY_LAYERS).
// Not compared, having no Scapy field: `length` (bytes captured of a header), TCP `flags` (the booleans of
// `rawFlags`, which is compared), option `kind`/`optionLength`, SCTP chunk `value`/`name`, Geneve `groHint`.
//
// Deliberate differences, kept out of the comparison:
// - TCP options after an EOL: Retis, and this dissector, list the padding after EOL as more options; Scapy stops
//   at EOL. Options are compared up to the first EOL.
// - Frames Scapy does not decode the same way are not generated (scapy-oracle.py says why): ports Scapy binds to
//   applications, EtherType 0x9100 (a VLAN tag for Retis), ARP other than Ethernet/IPv4 (Retis reads the fixed
//   layout), ICMP timestamp and address-mask messages (Scapy reads their bodies as header fields), IPv6 options
//   Scapy decodes by type (home address, jumbo payload).
// - An ICMP or ICMPv6 header cut after its first 4 bytes: Scapy keeps no ICMP layer (its header is 8 bytes), the
//   dissector keeps type, code and checksum, which Retis prints. Not compared; counted in the figure.
// - summary() of a frame with an EtherType nothing decodes writes it in hex; Scapy names it from the system's
//   /etc/ethertypes (`LLDP`). Those summaries are not compared.
// - IPv4-compatible IPv6 addresses (::a.b.c.d in Scapy) are compared in RFC 5952 hex form (rfc5952 below).
// - Where Scapy stops but the dissector goes on — MACsec clear frames — only the layers up to Scapy's last are
//   compared. Where Scapy gives up inside an IP header chain (after AH, after some IPv6 extension headers) the
//   oracle lets Scapy dissect the rest behind a synthetic IP header, so Destination Options after AH are compared.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import type { PacketLayer } from "../../typings/packet-layers.js";
import { repoRoot } from "../../test/samples.js";
import { dissect } from "./index.js";

const ORACLE = join(repoRoot, "events/packet/scapy-oracle.py");
const PYTHON = "/usr/bin/python3";
const FRAMES = Number(process.env.RETIS_SCAPY_FRAMES ?? 2000);
const SEED = Number(process.env.RETIS_SCAPY_SEED ?? 1);

interface OracleCase {
  readonly hex: string;
  readonly layers: Record<string, unknown>[];
  /** Scapy stopped where the dissector may go on: compare the layers Scapy has. */
  readonly open: boolean;
  /** The layer a cut frame ends in, `"?"` when unknown to Scapy, null when complete. */
  readonly truncated: string | null;
  readonly payload: number | null;
  readonly summary: string | null;
}

interface Disagreement {
  readonly frame: number;
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** A value as the oracle writes it: bytes as hex, absent as null. */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** The layer as compared: TCP options end at the first EOL, as Scapy reads them. */
function comparable(layer: PacketLayer): unknown {
  if (layer.layer !== "tcp") return plain(layer);
  const eol = layer.options.findIndex((o) => o.number === 0);
  return plain({ ...layer, options: eol < 0 ? layer.options : layer.options.slice(0, eol + 1) });
}

class Comparison {
  fields = 0;
  readonly disagreements: Disagreement[] = [];

  constructor(private readonly frame: number) {}

  /** Compares every field of `expected` (the oracle's) with the same path in `actual`. */
  check(expected: unknown, actual: unknown, path: string): void {
    if (Array.isArray(expected)) {
      const list = Array.isArray(actual) ? actual : [];
      this.scalar(expected.length, Array.isArray(actual) ? actual.length : actual, `${path}.length`);
      expected.forEach((e, i) => this.check(e, list[i], `${path}[${i}]`));
      return;
    }
    if (typeof expected === "object" && expected !== null) {
      const record = typeof actual === "object" && actual !== null ? (actual as Record<string, unknown>) : {};
      for (const [key, value] of Object.entries(expected)) this.check(value, record[key], `${path}.${key}`);
      return;
    }
    this.scalar(expected, actual, path);
  }

  scalar(expected: unknown, actual: unknown, path: string): void {
    this.fields++;
    if (typeof expected === "string") expected = rfc5952(expected);
    if (expected !== (actual ?? null)) this.disagreements.push({ frame: this.frame, path, expected, actual });
  }
}

/**
 * Scapy (glibc's inet_ntop) writes IPv4-compatible IPv6 addresses, deprecated by RFC 4291, as `::1.2.3.4`;
 * Retis and this dissector write them as hex groups, `::102:304` (RFC 5952 keeps dotted quads for mapped ones).
 */
function rfc5952(text: string): string {
  // Whole fields, and addresses inside a summary (`UDP ::1.2.3.4:53 > …`).
  return text.replace(/(^| )::(\d+)\.(\d+)\.(\d+)\.(\d+)(?=$|[ :])/g, (_, lead: string, a: string, b: string, c: string, d: string) => {
    const high = (Number(a) << 8) | Number(b);
    const low = (Number(c) << 8) | Number(d);
    return `${lead}${high === 0 ? `::${low.toString(16)}` : `::${high.toString(16)}:${low.toString(16)}`}`;
  });
}

// The layers whose summary Scapy writes the way summary() does; other frames' summaries are not compared.
const SUMMARY_LAYERS = new Set(["ethernet", "ipv4", "ipv6", "tcp", "udp", "icmp", "arp"]);

function runOracle(): OracleCase[] {
  const r = spawnSync(PYTHON, [ORACLE, "--seed", String(SEED), "--count", String(FRAMES)], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    timeout: 600_000,
  });
  assert.equal(r.error, undefined, `could not run ${PYTHON} ${ORACLE}: ${r.error?.message}`);
  assert.equal(r.status, 0, `${ORACLE} failed:\n${r.stderr}`);
  return r.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as OracleCase);
}

test(`dissect() agrees with Scapy field by field (${FRAMES} frames, seed ${SEED})`, (t) => {
  const cases = runOracle();
  assert.ok(cases.length >= FRAMES, `the oracle wrote ${cases.length} frames, expected at least ${FRAMES}`);
  let fields = 0;
  let cut = 0;
  let summaries = 0;
  let shortIcmp = 0;
  const disagreements: Disagreement[] = [];
  const layerCounts = new Map<string, number>();
  cases.forEach((c, i) => {
    const p = dissect(Buffer.from(c.hex, "hex"));
    const cmp = new Comparison(i);
    // A layer the capture cut inside is not complete: Scapy's records hold only complete ones.
    const t = p.truncated;
    let layers = t === undefined ? p.layers : p.layers.filter((l) => l.offset < t.offset);
    if (c.open) layers = layers.slice(0, c.layers.length);
    const last = layers.at(-1);
    if ((last?.layer === "icmp" || last?.layer === "icmpv6") && last.length < 8 && c.layers.length < layers.length) {
      layers = layers.slice(0, -1);
      shortIcmp++;
    }
    cmp.check(c.layers, layers.map(comparable), "layers");
    if (c.truncated !== "?") cmp.scalar(c.truncated, t?.layer ?? null, "truncated");
    if (c.payload !== null) cmp.scalar(c.payload, p.payload.length, "payload.length");
    if (c.summary !== null && !c.open && p.layers.every((l) => SUMMARY_LAYERS.has(l.layer))) {
      cmp.scalar(c.summary, p.summary(), "summary()");
      summaries++;
    }
    if (t !== undefined || c.truncated !== null) cut++;
    for (const l of layers) layerCounts.set(l.layer, (layerCounts.get(l.layer) ?? 0) + 1);
    fields += cmp.fields;
    disagreements.push(...cmp.disagreements);
  });
  const figure =
    `Scapy agreement: ${cases.length} frames (${cut} cut short), ${fields} fields compared, ` +
    `${summaries} summaries, ${disagreements.length} disagreements ` +
    `(and ${shortIcmp} ICMP headers cut between 4 and 8 bytes, a documented difference)`;
  t.diagnostic(figure);
  t.diagnostic(`layers compared: ${[...layerCounts].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const shown = disagreements
    .slice(0, 15)
    .map((d) => `frame ${d.frame} ${cases[d.frame]!.hex}\n  ${d.path}: Scapy ${JSON.stringify(d.expected)}, dissect() ${JSON.stringify(d.actual)}`);
  const kinds = new Map<string, number>();
  for (const d of disagreements) {
    const kind = `${cases[d.frame]!.layers.map((l) => l.layer).join("/")} ${d.path.replace(/\[\d+\]/g, "[]")}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const byKind = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, n]) => `  ${n} × ${k}`);
  assert.equal(disagreements.length, 0, `${figure}\nby kind:\n${byKind.join("\n")}\nfirst ones:\n${shown.join("\n")}`);
  // Every layer the dissector knows was exercised.
  for (const name of ["ethernet", "vlan", "macsec", "arp", "ipv4", "ipv6", "ipv6-hop-by-hop", "ipv6-destination-options", "ipv6-routing", "ipv6-fragment", "tcp", "udp", "icmp", "icmpv6", "sctp", "vxlan", "geneve", "esp", "ah"]) {
    assert.ok((layerCounts.get(name) ?? 0) > 0, `no ${name} layer was compared`);
  }
});
