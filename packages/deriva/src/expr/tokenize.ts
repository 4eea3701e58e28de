/** Splitting an expression into tokens, each with the 1-based column where it starts. */
import { ExpressionError } from "./errors.js";

export type TokenKind = "number" | "name" | "operator" | "(" | ")" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** The text as written ("**" and "−" are normalized to "^" and "-"). */
  readonly text: string;
  readonly column: number;
}

// 12, 1.5, .5, 1e-3, 2.5E+4; an "e" not followed by digits is not an exponent (2e is 2·e)
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS: Readonly<Record<string, string>> = {
  "**": "^",
  "+": "+",
  "-": "-",
  "\u2212": "-", // the typographic minus sign, as pasted from documents
  "*": "*",
  "\u00b7": "*", // middle dot
  "/": "/",
  "^": "^",
};

function describe(ch: string): string {
  return ch === "'" ? `"'"` : `'${ch}'`;
}

/** The tokens of `source`, ending with an "end" token; throws ExpressionError on a stray character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = source.slice(i);
    const column = i + 1;
    const numberMatch = NUMBER.exec(rest);
    if (numberMatch) {
      tokens.push({ kind: "number", text: numberMatch[0], column });
      i += numberMatch[0].length;
      continue;
    }
    const nameMatch = NAME.exec(rest);
    if (nameMatch) {
      tokens.push({ kind: "name", text: nameMatch[0], column });
      i += nameMatch[0].length;
      continue;
    }
    const op = rest.startsWith("**") ? "**" : ch;
    if (op in OPERATORS) {
      tokens.push({ kind: "operator", text: OPERATORS[op]!, column });
      i += op.length;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch, text: ch, column });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected ${describe(ch)}`, source, column);
  }
  tokens.push({ kind: "end", text: "", column: source.length + 1 });
  return tokens;
}
