/**
 * Property-based tests (fast-check) of the expression parser: whatever the input, parseExpression
 * gives an Expression or throws an ExpressionError whose message names a column, never another
 * exception (a TypeError from deep inside, a stack overflow), a hang, or work beyond a bound; and
 * whatever it accepts can be evaluated, differentiated and simplified, again with at most a clean Error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExpressionError } from "../../src/expr/errors.js";
import { MAX_EXPRESSION_DEPTH } from "../../src/expr/parse.js";
import { MAX_EXPRESSION_LENGTH } from "../../src/expr/tokenize.js";
import { derivative, type Expression, parseExpression } from "../../src/index.js";

/** Milliseconds one parse may take in these tests (the slowest seen is well under 10 ms). */
const PARSE_BUDGET_MS = 250;

/** parseExpression(source), checking the outcome is an Expression or a clean ExpressionError, in time. */
function parseOrError(source: string): Expression | ExpressionError {
  const start = performance.now();
  let outcome: Expression | ExpressionError;
  try {
    outcome = parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error; // fails the property, showing the input
    expect(error.message).toMatch(/ at column \d+$/);
    expect(error.message).not.toContain("\n");
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeLessThanOrEqual(Math.min(source.length, MAX_EXPRESSION_LENGTH) + 1);
    outcome = error;
  }
  expect(performance.now() - start).toBeLessThan(PARSE_BUDGET_MS);
  return outcome;
}

/** Runs fn, which may throw only a plain Error with a one-line message. */
function resultOrCleanError(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect([Error, ExpressionError]).toContain((error as Error).constructor);
    expect((error as Error).message.length).toBeGreaterThan(0);
  }
}

// Pieces expressions are made of, hostile ones included: prototype names, huge and odd numbers,
// look-alike operators, unbalanced parentheses, stray characters, surrogate halves
const PIECES = [
  "x",
  "y",
  "z1",
  "_a",
  "e",
  "pi",
  "sin",
  "ln",
  "sqrt",
  "relu",
  "step",
  "sinh",
  "foo",
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "0",
  "1",
  "2.5",
  ".5",
  "3.",
  "1e3",
  "2e",
  "1e999",
  "1e-999",
  "1e308",
  "0x10",
  "00",
  "1.2.3",
  "+",
  "-",
  "*",
  "/",
  "^",
  "**",
  "\u2212",
  "\u00b7",
  "(",
  ")",
  "((",
  "))",
  "()",
  " ",
  "\t",
  "\n",
  ",",
  "=",
  "!",
  "$",
  "'",
  '"',
  "\\",
  "%",
  "é",
  "\u{1F600}",
  "\ud800",
  "\u0000",
];

const tokenSoup = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(""));

/** Expression-like text: well formed more often than the soup, so later steps get exercised. */
const wellFormed: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("x", "y", "2", "0.5", "pi", "e", "constructor", "1e300"),
    fc
      .tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "^", " "), tie("expr"))
      .map(([a, op, b]) => `${a}${op}${b}`),
    tie("expr").map((a) => `(${a})`),
    tie("expr").map((a) => `-${a}`),
    fc
      .tuple(
        fc.constantFrom("sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"),
        tie("expr"),
      )
      .map(([f, a]) => `${f}(${a})`),
  ),
})).expr;

/** Nesting around the bound: parentheses, signs, calls, exponents, long sums. */
const deep = fc
  .tuple(
    fc.integer({ min: 0, max: 3 * MAX_EXPRESSION_DEPTH }),
    fc.constantFrom("paren", "sign", "call", "tower", "sum"),
  )
  .map(([n, kind]) => {
    switch (kind) {
      case "paren":
        return `${"(".repeat(n)}x${")".repeat(n)}`;
      case "sign":
        return `${"-".repeat(n)}x`;
      case "call":
        return `${"exp(".repeat(n)}x${")".repeat(n)}`;
      case "tower":
        return `${"x^".repeat(n)}x`;
      default:
        return `x${"+x".repeat(n)}`;
    }
  });

describe("parseExpression on arbitrary input", () => {
  it("arbitrary strings (any code units): an Expression or an ExpressionError with its column", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (s) => void parseOrError(s)),
      {
        numRuns: 400,
      },
    );
  });

  it("soups of expression pieces: the same", () => {
    fc.assert(
      fc.property(tokenSoup, (s) => void parseOrError(s)),
      { numRuns: 1500 },
    );
  });

  it("nesting around the bound: refused past it, never a stack overflow", () => {
    fc.assert(
      fc.property(deep, (s) => {
        const outcome = parseOrError(s);
        if (outcome instanceof ExpressionError) expect(outcome.message).toMatch(/nests more than/);
      }),
      { numRuns: 60 },
    );
  });

  it("input beyond the length bound is refused before any work", () => {
    const huge = `x${"+x".repeat(MAX_EXPRESSION_LENGTH)}`;
    const outcome = parseOrError(huge);
    expect(outcome).toBeInstanceOf(ExpressionError);
    expect((outcome as ExpressionError).message).toMatch(/characters long, more than the 100000 allowed/);
  });

  it("what parses evaluates, differentiates and simplifies, with at most a clean Error", () => {
    fc.assert(
      fc.property(fc.oneof(wellFormed, tokenSoup), fc.double({ min: -10, max: 10, noNaN: true }), (s, x) => {
        const outcome = parseOrError(s);
        if (outcome instanceof ExpressionError) return;
        const values = outcome.variables.map(() => x);
        resultOrCleanError(() => outcome.atNumbers(values));
        resultOrCleanError(() => outcome(...values).item());
        resultOrCleanError(() => outcome.toString());
        for (const v of outcome.variables.slice(0, 2)) resultOrCleanError(() => derivative(outcome, v));
      }),
      { numRuns: 300 },
    );
  });
});
