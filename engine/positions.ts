// Positions at the edge: TypeScript counts UTF-16 code units, Jupyter's cursor_pos counts Unicode code points
// (protocol 5.2; Deno had this bug), LSP uses 0-based line/character. Everything inside the engine is a UTF-16
// offset into the user's text; these pure functions convert on the way in and out.
import type { LineCharacter, Position, PositionEncoding, Range } from "./api.js";

/** UTF-16 offset of the `points`-th code point of `text` (clamped to the text). */
export function codePointToUtf16(text: string, points: number): number {
  let offset = 0;
  for (let i = 0; i < points && offset < text.length; i++) {
    const c = text.charCodeAt(offset);
    offset += c >= 0xd800 && c <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

/** Number of code points in the first `offset` UTF-16 units of `text`. */
export function utf16ToCodePoint(text: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
    points++;
  }
  return points;
}

/** UTF-16 offsets where each line starts (after \n; a \r\n counts as one break). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A position from a caller, in its encoding, as a UTF-16 offset into `text`. */
export function toOffset(text: string, at: Position, encoding: PositionEncoding = "utf-16"): number {
  if (typeof at === "number") {
    const offset = encoding === "code-point" ? codePointToUtf16(text, at) : at;
    return Math.max(0, Math.min(offset, text.length));
  }
  const starts = lineStarts(text);
  const line = Math.max(0, Math.min(at.line, starts.length - 1));
  const start = starts[line]!;
  const end = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
  const lineText = text.slice(start, end);
  const column = encoding === "code-point" ? codePointToUtf16(lineText, at.character) : at.character;
  return start + Math.max(0, Math.min(column, lineText.length));
}

/** A UTF-16 offset into `text` as an offset in the caller's encoding. */
export function fromOffset(text: string, offset: number, encoding: PositionEncoding = "utf-16"): number {
  return encoding === "code-point" ? utf16ToCodePoint(text, offset) : offset;
}

/** A UTF-16 offset as a 0-based line and character (character in the caller's encoding). */
export function toLineCharacter(text: string, offset: number, encoding: PositionEncoding = "utf-16", starts = lineStarts(text)): LineCharacter {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const start = starts[lo]!;
  const character = encoding === "code-point" ? utf16ToCodePoint(text.slice(start), offset - start) : offset - start;
  return { line: lo, character };
}

export function toRange(text: string, start: number, end: number, encoding: PositionEncoding = "utf-16", starts = lineStarts(text)): Range {
  return { start: toLineCharacter(text, start, encoding, starts), end: toLineCharacter(text, end, encoding, starts) };
}

/** The identifier (possibly empty) that ends at `offset`: what the user is typing there. */
export function identifierBefore(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && /[\p{ID_Continue}$]/u.test(text[start - 1]!)) start--;
  return text.slice(start, offset);
}
