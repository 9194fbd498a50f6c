// The kernel's input history, answered for history_request as IPython does: `tail` (last n), `range`
// (session, start, stop) and `search` (glob pattern, optional unique and n). One session per process,
// numbered 1: a restarted kernel is a new process with a fresh history.
import type { Contents } from "../messages.js";

type Entry = { line: number; input: string; output: string | null };
export type HistoryRow = Contents["history_reply"] extends infer R ? (R extends { history: (infer H)[] } ? H : never) : never;

/** Session number of the running kernel; 0 and negative numbers in a request are relative to it, as in IPython. */
export const SESSION = 1;

export class History {
  private readonly entries: Entry[] = [];

  /** Record an executed cell (only cells run with store_history). */
  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** Record the text/plain result of a recorded cell. */
  setOutput(line: number, output: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (e.line === line) {
        e.output = output;
        return;
      }
    }
  }

  get length(): number {
    return this.entries.length;
  }

  query(req: Contents["history_request"]): HistoryRow[] {
    const row = (e: Entry): HistoryRow => (req.output ? [SESSION, e.line, [e.input, e.output]] : [SESSION, e.line, e.input]);
    switch (req.hist_access_type) {
      case "tail": {
        const n = req.n ?? 10;
        return n <= 0 ? [] : this.entries.slice(-n).map(row);
      }
      case "range": {
        const session = req.session ?? 0;
        if (session !== SESSION && session > 0) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Number.POSITIVE_INFINITY;
        return this.entries.filter((e) => e.line >= start && e.line < stop).map(row);
      }
      case "search": {
        const re = globToRegExp(req.pattern ?? "*");
        let found = this.entries.filter((e) => re.test(e.input));
        if (req.unique) {
          // The latest occurrence of each input wins, as IPython's unique search.
          const seen = new Set<string>();
          found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
        }
        const n = req.n;
        return (n !== undefined && n > 0 ? found.slice(-n) : found).map(row);
      }
      default:
        return [];
    }
  }
}

/** fnmatch-style glob (`*`, `?`, `[…]`) over a whole input, as IPython's history search. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) re += "\\[";
      else {
        let set = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
        if (set.startsWith("!")) set = "^" + set.slice(1);
        re += `[${set}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
