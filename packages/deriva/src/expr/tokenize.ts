/** Splitting an expression into tokens, each with the 1-based column where it starts. */
import { ExpressionError } from "./errors.js";

export type TokenKind = "number" | "name" | "operator" | "(" | ")" | "end";

export interface Token {
  readonly kind: TokenKind;
  /** The text as written ("**" and "−" are normalized to "^" and "-"). */
  readonly text: string;
  readonly column: number;
}

// 12, 1.5, .5, 1e-3, 2.5E+4; an "e" not followed by digits is not an exponent (2e is 2·e).
// Sticky (y): each match starts exactly where the scan is, with no copy of the rest of the source
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;
const OPERATORS: ReadonlyMap<string, string> = new Map([
  ["**", "^"],
  ["+", "+"],
  ["-", "-"],
  ["\u2212", "-"], // the typographic minus sign, as pasted from documents
  ["*", "*"],
  ["\u00b7", "*"], // middle dot
  ["/", "/"],
  ["^", "^"],
]);

/** The longest expression read, in characters: far beyond what anyone writes, and a bound on the work. */
export const MAX_EXPRESSION_LENGTH = 100_000;

function describe(ch: string): string {
  return ch === "'" ? `"'"` : `'${ch}'`;
}

/** The match of a sticky pattern at index i, or null. */
function matchAt(pattern: RegExp, source: string, i: number): string | null {
  pattern.lastIndex = i;
  return pattern.exec(source)?.[0] ?? null;
}

/** The tokens of `source`, ending with an "end" token; throws ExpressionError on a stray character. */
export function tokenize(source: string): Token[] {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      `the expression is ${source.length} characters long, more than the ${MAX_EXPRESSION_LENGTH} allowed`,
      source,
      MAX_EXPRESSION_LENGTH + 1,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const column = i + 1;
    const space = matchAt(SPACE, source, i);
    if (space !== null) {
      i += space.length;
      continue;
    }
    const number = matchAt(NUMBER, source, i);
    if (number !== null) {
      if (!Number.isFinite(Number(number))) {
        throw new ExpressionError(
          `the number ${number} is too large for float64 (at most about 1.8e308)`,
          source,
          column,
        );
      }
      tokens.push({ kind: "number", text: number, column });
      i += number.length;
      continue;
    }
    const name = matchAt(NAME, source, i);
    if (name !== null) {
      tokens.push({ kind: "name", text: name, column });
      i += name.length;
      continue;
    }
    const op = source.startsWith("**", i) ? "**" : source[i]!;
    const operator = OPERATORS.get(op);
    if (operator !== undefined) {
      tokens.push({ kind: "operator", text: operator, column });
      i += op.length;
      continue;
    }
    if (op === "(" || op === ")") {
      tokens.push({ kind: op, text: op, column });
      i++;
      continue;
    }
    // a character outside the Basic Multilingual Plane is shown whole, not as half a surrogate pair
    throw new ExpressionError(
      `unexpected ${describe(String.fromCodePoint(source.codePointAt(i)!))}`,
      source,
      column,
    );
  }
  tokens.push({ kind: "end", text: "", column: source.length + 1 });
  return tokens;
}
