// What kind of capture a file is, decided from its first line as Retis does: an object starts an events
// file, an array a sorted (series) file. The first event must be a startup event with a readable version.
import { existsSync, statSync } from "node:fs";
import { needsCompat, parseVersion, unsupported, type FormatVersion } from "../compat.js";
import { RetisFormatError } from "../errors.js";
import { Event } from "../event.js";
import { JsonSyntaxError } from "../json/exact.js";
import { splitArray } from "../json/split.js";
import { firstLine } from "./lines.js";

export interface FileInfo {
  path: string;
  sorted: boolean;
  version: FormatVersion;
  /** Fix-ups to apply to every event, when the file is older than the current format. */
  compat: FormatVersion | undefined;
  /** The first event, with its startup section. */
  startup: Event;
}

export function checkReadable(path: string): void {
  if (!existsSync(path)) throw new RetisFormatError(path, 0, "Could not open file: no such file");
  if (statSync(path).isDirectory()) throw new RetisFormatError(path, 0, "Could not open file: it is a directory");
}

export function detect(path: string): FileInfo {
  checkReadable(path);
  const line = firstLine(path);
  if (line === undefined || line.text.trim() === "") throw new RetisFormatError(path, 1, "File is empty; expected a startup event on line 1");
  const text = line.text.trimStart();
  const pos = { file: path, line: 1 };
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
  const versionText = readVersion(first);
  if (versionText === undefined)
    throw RetisFormatError.at(pos, "Cannot find version in startup event; expected line 1 to be a startup event with startup.retis_version");
  const version = parseVersion(versionText ?? "");
  if (version === undefined)
    throw RetisFormatError.at(pos, `cannot parse Retis version '${versionText}'; expected a version such as v1.7.0`);
  const why = unsupported(version);
  if (why) throw RetisFormatError.at(pos, why);
  const compat = needsCompat(version) ? version : undefined;
  const startup = Event.fromLine(first, pos, compat);
  if (startup.startup === undefined)
    throw RetisFormatError.at(pos, "Cannot find version in startup event; expected line 1 to be a startup event");
  return { path, sorted, version, compat, startup };
}

function readVersion(eventText: string): string | undefined {
  const m = /"startup"\s*:\s*\{[^]*?"retis_version"\s*:\s*"([^"\\]*)"/.exec(eventText);
  return m?.[1];
}
