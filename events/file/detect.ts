// What kind of capture a file is, decided from its first line as Retis does: an object starts an events
// file, an array a sorted (series) file. The first event must be a startup event with a readable version.
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { needsCompat, parseVersion, unsupported, type FormatVersion } from "../compat.js";
import { RetisFormatError } from "../errors.js";
import { Event } from "../event.js";
import { JsonSyntaxError, markedText, parseMarked } from "../json/exact.js";
import { splitArray, splitObject } from "../json/split.js";
import { exists, firstLine, LineSource } from "./lines.js";

export interface FileInfo {
  /** The input as errors name it (`<stdin>` for `-`). */
  path: string;
  /** Where its lines are read from (a stream keeps the first line read here). */
  source: LineSource;
  sorted: boolean;
  version: FormatVersion;
  /** Fix-ups to apply to every event, when the file is older than the current format. */
  compat: FormatVersion | undefined;
  /** The first event, with its startup section. */
  startup: Event;
}

export function detect(path: string): FileInfo {
  const source = LineSource.open(path);
  const name = source.name;
  const line = firstLine(source);
  if (line === undefined || line.text.trim() === "") throw new RetisFormatError(name, 1, "File is empty; expected a startup event on line 1");
  const text = line.text.trimStart();
  const pos = { file: name, line: 1 };
  let sorted: boolean;
  let first: string;
  if (text.startsWith("{")) {
    sorted = false;
    first = line.text;
  } else if (text.startsWith("[")) {
    sorted = true;
    let elements: string[];
    try {
      elements = splitArray(line.text);
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw RetisFormatError.at(pos, `${e.message}; expected a JSON array of events`);
      throw e;
    }
    const last = elements[elements.length - 1];
    if (last === undefined || !last.startsWith("{")) throw RetisFormatError.at(pos, "Invalid or missing events; expected a series (array of event objects)");
    first = elements[0]!;
  } else {
    throw RetisFormatError.at(pos, "File contains invalid json data; expected a JSON object (events file) or array (sorted file)");
  }
  // The version decides the fix-ups, so it is read before the section is checked against the current shape.
  const versionText = readVersion(first, pos);
  if (versionText === undefined)
    throw RetisFormatError.at(pos, "Cannot find version in startup event; expected line 1 to be a startup event with startup.retis_version");
  const version = parseVersion(versionText);
  if (version === undefined)
    throw RetisFormatError.at(pos, `cannot parse Retis version '${versionText.slice(0, 40)}'; expected a version such as v1.7.0`);
  const why = unsupported(version);
  if (why) throw RetisFormatError.at(pos, why);
  const compat = needsCompat(version) ? version : undefined;
  const startup = Event.fromLine(first, pos, compat);
  if (startup.startup === undefined)
    throw RetisFormatError.at(pos, "Cannot find version in startup event; expected line 1 to be a startup event");
  return { path: name, source, sorted, version, compat, startup };
}

/** `startup.retis_version` of the first event, read strictly, in time linear in the line. */
function readVersion(eventText: string, pos: { file: string; line: number }): string | undefined {
  try {
    const raw = splitObject(eventText).get("startup");
    if (raw === undefined) return undefined;
    const startup = parseMarked(raw);
    if (typeof startup !== "object" || startup === null || Array.isArray(startup)) return undefined;
    const v = startup.retis_version;
    return typeof v === "string" && markedText(v) === undefined ? v : undefined;
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw RetisFormatError.at(pos, `${e.message}; expected the startup event as one JSON object`);
    throw e;
  }
}

/**
 * The next split file after `info`, when its startup says it is one of a set and the path ends with its
 * id (`retis.data.1` → `retis.data.2`); undefined at the end of the set. A later file of the set without
 * the next one means a file is missing in the middle: that is an error, not the end.
 */
export function nextSplitPath(info: FileInfo): string | undefined {
  const split = info.startup.startup?.split_file;
  if (split === undefined) return undefined;
  const suffix = `.${split.id}`;
  if (!info.path.endsWith(suffix)) return undefined;
  const base = info.path.slice(0, -suffix.length);
  const next = `${base}.${split.id + 1}`;
  if (exists(next)) return next;
  const prefix = `${basename(base)}.`;
  let later: string | undefined;
  try {
    for (const name of readdirSync(dirname(base) || ".")) {
      const rest = name.slice(prefix.length);
      if (name.startsWith(prefix) && /^\d+$/.test(rest) && Number(rest) > split.id + 1) later = name;
    }
  } catch {
    return undefined;
  }
  if (later !== undefined)
    throw new RetisFormatError(next, 0, `missing split file: ${join(dirname(base), later)} exists but this one does not; expected the split files to follow each other without a gap`);
  return undefined;
}
