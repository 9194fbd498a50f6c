// Files from older Retis versions are brought to the current format before they are read, as Retis's
// compat module does: migrations are data (add / move on section paths), applied when the file is older.
import type { JsonValue } from "./json/exact.js";

/** A parsed `retis_version`: Retis drops a leading `v` and anything after `-` or `+`. */
export interface FormatVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export function parseVersion(text: string): FormatVersion | undefined {
  const core = text.replace(/^v/, "").split(/[-+]/, 1)[0]!;
  // As the semver crate Retis uses: no leading zeros.
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(core);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text };
}

function before(v: FormatVersion, major: number, minor: number): boolean {
  return v.major < major || (v.major === major && v.minor < minor);
}

/** Oldest and newest format versions this library reads. */
export const OLDEST = { major: 1, minor: 5 };

/** Why a version cannot be read, or undefined when it can. */
export function unsupported(v: FormatVersion): string | undefined {
  if (v.major !== 1 || before(v, OLDEST.major, OLDEST.minor))
    return `unsupported Retis version ${v.text}; expected 1.5 or later (1.x)`;
  return undefined;
}

type Op =
  | { add: string; value: JsonValue }
  | { move: string; to: string };

interface Migration {
  /** Files older than this version get the ops. */
  major: number;
  minor: number;
  ops: Op[];
}

const MIGRATIONS: Migration[] = [
  {
    major: 1,
    minor: 6,
    ops: [
      { add: "ct/ct_status", value: 0 },
      { move: "skb/packet/packet", to: "skb/packet/raw" },
      { move: "skb/ns/netns", to: "skb/ns/inum" },
      { move: "skb/packet", to: "packet" },
      { move: "skb/dev", to: "dev" },
      { move: "skb/ns", to: "netns" },
      { move: "packet/raw", to: "packet/data" },
    ],
  },
  {
    major: 1,
    minor: 7,
    ops: [
      { add: "startup/machine", value: { kernel_release: "unknown", kernel_version: "unknown", hardware_name: "unknown" } },
      { add: "startup/cmdline", value: "unknown" },
      { move: "ct/tcp_state", to: "ct/proto_state" },
      { move: "ct/parent/tcp_state", to: "ct/parent/proto_state" },
    ],
  },
];

/** True when events of a file at version `v` need fix-ups. */
export function needsCompat(v: FormatVersion): boolean {
  return MIGRATIONS.some((m) => before(v, m.major, m.minor));
}

type Obj = { [key: string]: JsonValue };

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The object holding the last path element, or undefined when a parent is missing. */
function parentOf(root: Obj, path: string[], create: boolean): Obj | undefined {
  let cur: Obj = root;
  for (const key of path.slice(0, -1)) {
    let next = cur[key];
    if (!isObj(next)) {
      if (!create) return undefined;
      next = {};
      cur[key] = next;
    }
    cur = next;
  }
  return cur;
}

function sectionOf(path: string): string {
  return path.split("/", 1)[0]!;
}

/**
 * True when every fix-up for version `v` stays inside one section: then each section can be fixed when it
 * is first read (a 1.6 file renames ct's tcp_state), and the event never needs a whole parse.
 */
export function sectionLocal(v: FormatVersion): boolean {
  return MIGRATIONS.filter((m) => before(v, m.major, m.minor)).every((m) =>
    m.ops.every((op) => ("add" in op ? true : sectionOf(op.move) === sectionOf(op.to))),
  );
}

/**
 * Applies the fix-ups for version `v` to an event's JSON object, in place; with `only`, just those inside
 * that section (the object then holds that one section under its key). Throws a sentence on conflict.
 */
export function applyCompat(event: Obj, v: FormatVersion, only?: string): void {
  for (const migration of MIGRATIONS) {
    if (!before(v, migration.major, migration.minor)) continue;
    for (const op of migration.ops) {
      if (only !== undefined && sectionOf("add" in op ? op.add : op.move) !== only) continue;
      if ("add" in op) {
        const path = op.add.split("/");
        const parent = parentOf(event, path, false);
        if (!parent) continue;
        const leaf = path[path.length - 1]!;
        if (parent[leaf] !== undefined && parent[leaf] !== null)
          throw new Error(`compat: '${op.add}' already exists in a ${v.text} file; expected it to be absent`);
        parent[leaf] = structuredClone(op.value);
      } else {
        const from = op.move.split("/");
        const src = parentOf(event, from, false);
        const leaf = from[from.length - 1]!;
        if (!src || src[leaf] === undefined || src[leaf] === null) continue;
        const to = op.to.split("/");
        const dst = parentOf(event, to, true)!;
        const dstLeaf = to[to.length - 1]!;
        if (dst[dstLeaf] !== undefined && dst[dstLeaf] !== null)
          throw new Error(`compat: cannot move '${op.move}' to '${op.to}': the target exists`);
        dst[dstLeaf] = src[leaf]!;
        // Retis leaves null where the value was; readers treat null as absent.
        src[leaf] = null;
      }
    }
  }
}
