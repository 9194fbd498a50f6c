// Reads the source maps TypeScript emits for a cell, to put runtime stack frames back on the user's lines.
// Only what stack mapping needs: generated line/column → original line/column (all 0-based).

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

interface Segment {
  column: number;
  sourceLine: number;
  sourceColumn: number;
}

export class SourceMapLookup {
  /**
   * Kept encoded and decoded when a stack is mapped (rarely): a session keeps every cell's map, and the decoded
   * form is several times the size.
   */
  constructor(private readonly mappings: string) {}

  /** The original position of a generated one: the closest segment at or before the column on that line. */
  original(line: number, column: number): { line: number; column: number } | undefined {
    const segments = decode(this.mappings)[line];
    if (!segments || segments.length === 0) return undefined;
    let best: Segment | undefined;
    for (const s of segments) {
      if (s.column <= column) best = s;
      else break;
    }
    if (!best) return { line: segments[0]!.sourceLine, column: segments[0]!.sourceColumn };
    // Within a segment the text is the user's own (types are stripped between segments, not inside them).
    return { line: best.sourceLine, column: best.sourceColumn + (column - best.column) };
  }
}

/** Decodes the `mappings` string (Source Map v3): `;` separates lines, `,` segments, fields are base64 VLQ deltas. */
function decode(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const text of lineText.split(",")) {
      if (text === "") continue;
      const fields = vlq(text);
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2]!;
        sourceColumn += fields[3]!;
        segments.push({ column, sourceLine, sourceColumn });
      }
    }
    segments.sort((a, b) => a.column - b.column);
    lines.push(segments);
  }
  return lines;
}

function vlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`bad source map character '${c}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
