// Syntax check of Retis's meta filters (`-m, --filter-meta`), following its grammar (meta.pest):
//   expr    := primary ((and | && | or | ||) primary)*
//   primary := term | '(' expr ')'
//   term    := lhs (op rhs)?           op := == != >= <= > <
//   lhs     := 'sk_buff' ('.' ident?)+  ident := NAME (':' ['~'] MASK (':' NAME)?)?
//   rhs     := number (hex, 0b…, [-]decimal) | "string" | 'string'
// A string compares only with '=='. Member names are resolved against BTF by the collector; this check
// only gives an early one-line error that quotes the filter and says what was expected where.
import { RetisOptionError } from "../errors.js";

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  skip(): void {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
  }
  eat(token: string): boolean {
    this.skip();
    if (this.s.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }
  match(re: RegExp): string | undefined {
    this.skip();
    const m = re.exec(this.s.slice(this.i));
    if (!m || m.index !== 0) return undefined;
    this.i += m[0].length;
    return m[0];
  }
  fail(expected: string): never {
    const at = this.i >= this.s.length ? "at the end" : `at column ${this.i + 1} ('${this.s.slice(this.i, this.i + 12)}')`;
    throw new RetisOptionError(`invalid meta filter '${this.s}': expected ${expected} ${at}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const MASK = /^(0x[0-9a-fA-F]+|0b[01]+|[0-9]+)/;
const NUMBER = /^(0x[0-9a-fA-F]+|0b[01]+|-?[0-9]+)(?![A-Za-z0-9_])/;

function term(c: Cursor): void {
  if (!c.match(/^sk_buff(?![A-Za-z0-9_])/)) c.fail("a member chain starting with sk_buff (e.g. sk_buff.dev.name)");
  if (!c.eat(".")) c.fail("'.' and a member of sk_buff");
  do {
    if (c.match(NAME) && c.eat(":")) {
      c.eat("~");
      if (!c.match(MASK)) c.fail("a mask (hexadecimal, binary or decimal number) after ':'");
      if (c.eat(":") && !c.match(NAME)) c.fail("a type name after the mask");
    }
  } while (c.eat("."));
  const op = c.match(/^(==|!=|>=|<=|>|<)/);
  if (op === undefined) return;
  c.skip();
  const quote = c.s[c.i];
  if (quote === '"' || quote === "'") {
    const end = c.s.indexOf(quote, c.i + 1);
    if (end < 0) c.fail(`a closing ${quote}`);
    if (end === c.i + 1) c.fail("a non-empty string");
    if (op !== "==") throw new RetisOptionError(`invalid meta filter '${c.s}': '${op}' cannot compare a string, only '==' can`);
    c.i = end + 1;
  } else if (!c.match(NUMBER)) c.fail("a number (decimal, 0x hexadecimal, 0b binary) or a quoted string");
}

function primary(c: Cursor): void {
  if (c.eat("(")) {
    expr(c);
    if (!c.eat(")")) c.fail("')'");
  } else term(c);
}

function expr(c: Cursor): void {
  primary(c);
  while (c.match(/^(&&|\|\||and(?![A-Za-z0-9_])|or(?![A-Za-z0-9_]))/) !== undefined) primary(c);
}

/** Throws a one-line RetisOptionError when `filter` is not a meta filter in Retis's syntax. */
export function checkMetaFilter(filter: string): void {
  const c = new Cursor(filter);
  expr(c);
  c.skip();
  if (c.i < filter.length && filter[c.i] !== ";") c.fail("'and', 'or', an operator (== != < <= > >=) or the end");
}
