// A thread of `parallel.ts`: parses every section of a batch of lines (the strict reading every command
// does) and renders them as Retis's text, returning the bytes in one piece — or, for `retis sort`, returns
// what sorting reads of each event (its SortFacts).
import { parentPort } from "node:worker_threads";
import type { FormatOptions, TimeSpec } from "../../typings/index.js";
import { RetisFormatError } from "../errors.js";
import { Event } from "../event.js";
import { EventSeries } from "../series.js";
import { sortFacts, trackingInsertion, type SortFacts } from "../sort.js";

/** A batch: `text` holds the units' JSON texts joined by '\n' (a JSON line never holds a raw '\n'). */
export interface RenderBatch {
  id: number;
  file: string;
  offset: TimeSpec | undefined;
  options: FormatOptions;
  /** Events (one text per unit) or series (`sizes[i]` texts for unit i) to render; events to sort ("facts"). */
  kind: "events" | "series" | "facts";
  text: string;
  /** Line number of each unit in `file`. */
  lines: number[];
  /** Elements per unit (series only). */
  sizes?: number[];
}

export interface RenderResult {
  id: number;
  /** The text of every unit before the first failure, UTF-8. */
  bytes: Uint8Array;
  units: number;
  /** For "facts": what sorting reads of each unit before the failure. */
  facts?: SortFacts[];
  /** For "facts": where each line takes its tracking section (trackingInsertion). */
  insertions?: number[];
  error?: { file: string; line: number; problem: string } | { message: string };
}

const encoder = new TextEncoder();

export function renderBatch(b: RenderBatch): RenderResult {
  const texts = b.text.split("\n");
  const out: string[] = [];
  let units = 0;
  let error: RenderResult["error"];
  const facts: SortFacts[] | undefined = b.kind === "facts" ? [] : undefined;
  const insertions: number[] | undefined = b.kind === "facts" ? [] : undefined;
  try {
    if (facts !== undefined) {
      for (let i = 0; i < texts.length; i++) {
        const e = Event.fromLine(texts[i]!, { file: b.file, line: b.lines[i]! }, undefined, b.offset);
        e.parseAll();
        const f = sortFacts(e);
        facts.push(f);
        insertions!.push(f.skbTracking || f.ovs ? trackingInsertion(texts[i]!) : -1);
        units++;
      }
    } else if (b.kind === "events") {
      const blank = (b.options.format ?? "multi-line") === "multi-line" ? "\n" : "";
      for (let i = 0; i < texts.length; i++) {
        const e = Event.fromLine(texts[i]!, { file: b.file, line: b.lines[i]! }, undefined, b.offset);
        e.parseAll();
        out.push(`${e.format(b.options)}\n${blank}`);
        units++;
      }
    } else {
      let t = 0;
      for (let i = 0; i < b.lines.length; i++) {
        const series = new EventSeries();
        for (let k = 0; k < b.sizes![i]!; k++) series.push(Event.fromLine(texts[t++]!, { file: b.file, line: b.lines[i]! }, undefined, b.offset).parseAll());
        out.push(`${series.format(b.options)}\n\n`);
        units++;
      }
    }
  } catch (e) {
    error = e instanceof RetisFormatError ? { file: e.file, line: e.line, problem: e.problem } : { message: e instanceof Error ? e.message : String(e) };
  }
  return { id: b.id, bytes: encoder.encode(out.join("")), units, facts, insertions, error };
}

parentPort?.on("message", (b: RenderBatch) => {
  const r = renderBatch(b);
  parentPort!.postMessage(r, [r.bytes.buffer as ArrayBuffer]);
});
