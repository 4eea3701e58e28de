/**
 * Expressions that once reached the wrong code: names that are members of Object.prototype, numbers
 * beyond float64, and nesting deeper than the call stack allows (now refused with the column, while
 * everything up to the limit works through every step).
 */
import { describe, expect, it } from "vitest";
import { ExpressionError } from "../../src/expr/errors.js";
import { MAX_EXPRESSION_DEPTH } from "../../src/expr/parse.js";
import { derivative, grad, minimize, parseExpression, type Tensor, tensor } from "../../src/index.js";

function expressionError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  return expect.fail(`${source.slice(0, 40)}… parsed`);
}

const PROTOTYPE_NAMES = [
  "constructor",
  "toString",
  "__proto__",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
];

describe("names that are members of Object.prototype", () => {
  it.each(PROTOTYPE_NAMES)("%s is an ordinary variable", (name) => {
    const f = parseExpression(`${name}^2 - 4${name} + 6`);
    expect(f.variables).toEqual([name]);
    expect(f(8).item()).toBe(38);
    expect((grad(f)(8) as Tensor).item()).toBe(12);
    expect(f.at({ [name]: 8 } as Record<string, number>).item()).toBe(38);
    expect(derivative(`${name}^2 - 4*${name} + 6`, name)).toBe(`2*${name} - 4`);
    expect(minimize(`(${name} - 2)^2`, 8, { method: "newton" }).x.item()).toBeCloseTo(2, 12);
  });

  it("is not found in a values object that only inherits it", () => {
    const f = parseExpression("constructor + valueOf");
    expect(() => f.at({})).toThrow(/no value for constructor, valueOf/);
  });

  it("called like a function is an unknown function", () => {
    expect(expressionError("constructor(x)").message).toBe("unknown function 'constructor' at column 1");
    expect(expressionError("1 + __proto__(x)").message).toBe("unknown function '__proto__' at column 5");
  });
});

describe("numbers beyond float64", () => {
  it("1e999 is refused with its column instead of becoming Infinity", () => {
    expect(expressionError("x + 1e999").message).toBe(
      "the number 1e999 is too large for float64 (at most about 1.8e308) at column 5",
    );
    expect(parseExpression("1.7e308 + x")(0).item()).toBe(1.7e308);
    expect(parseExpression("1e-999 + x")(1).item()).toBe(1); // underflow to 0, as in every language
  });
});

describe("deep and long expressions", () => {
  const terms = (n: number) => `x${"+x".repeat(n - 1)}`;
  const parens = (n: number) => `${"(".repeat(n)}x${")".repeat(n)}`;

  it("5,000 terms: refused at the term that passes the limit, with its column", () => {
    const error = expressionError(terms(5000));
    expect(error.message).toMatch(/^the expression nests more than 1000 levels deep \(.*\) at column 2000$/);
    expect(error.column).toBe(2 * MAX_EXPRESSION_DEPTH); // the '+' that adds the 1001st level
  });

  it("2,000 nested parentheses: refused at the first one past the limit", () => {
    expect(expressionError(parens(2000)).column).toBe(MAX_EXPRESSION_DEPTH + 1);
    expect(expressionError(`${"-".repeat(5000)}x`).column).toBe(MAX_EXPRESSION_DEPTH + 1);
    expect(expressionError(`${"sin(".repeat(2000)}x${")".repeat(2000)}`).message).toMatch(/nests more than/);
    expect(expressionError(`${"x^".repeat(3000)}x`).message).toMatch(/nests more than/);
  });

  const at = (f: ReturnType<typeof parseExpression>, x: number) => f(tensor(x, { dtype: "float64" })).item();
  const slope = (f: ReturnType<typeof parseExpression>, x: number) => (grad(f)(x) as Tensor).item();

  it("a sum of 1,000 terms goes through every step", () => {
    const source = terms(MAX_EXPRESSION_DEPTH);
    const f = parseExpression(source);
    expect(at(f, 0.5)).toBe(500);
    expect(slope(f, 0.5)).toBe(1000);
    expect(f.toString()).toBe("1000*x");
    expect(derivative(source, "x")).toBe("1000");
    expect(minimize(source, 1, { maxIter: 3, lr: 1e-4 }).iterations).toBe(3);
  });

  it("1,000 levels of parentheses, signs, calls, exponents and quotients: no stack overflow in any step", () => {
    const n = MAX_EXPRESSION_DEPTH - 1;
    const cases = [
      parens(n),
      `${"-".repeat(n)}x`,
      `${"(".repeat(n / 2 - 1)}x${"+1)".repeat(n / 2 - 1)}`,
      `${"sin(".repeat(n)}x${")".repeat(n)}`,
      `${"x^".repeat(n)}x`,
      `${"1/(".repeat(n / 2 - 1)}x${")".repeat(n / 2 - 1)}`,
    ];
    for (const source of cases) {
      const f = parseExpression(source);
      expect(Number.isNaN(at(f, 0.5)), source.slice(0, 12)).toBe(false);
      slope(f, 0.5);
      (grad(grad(f) as (x: Tensor) => Tensor)(0.5) as Tensor).item();
      expect(f.toString().length).toBeGreaterThan(0);
      minimize(source, 0.5, { maxIter: 2, lr: 1e-6 });
    }
    // the symbolic derivative of the nested calls and powers grows faster than their depth: below
    for (const source of [...cases.slice(0, 3), cases[5]!])
      expect(derivative(source, "x").length).toBeGreaterThan(0);
    expect(derivative(`${"sin(".repeat(100)}x${")".repeat(100)}`, "x").length).toBeGreaterThan(0);
  });

  it("a derivative too large to write out is refused with one line, not computed for minutes", () => {
    const n = MAX_EXPRESSION_DEPTH - 2;
    // written out, these derivatives run to millions of characters (x^x^…^x 160 deep: 2.8 million)
    const huge = [
      `${"x^".repeat(n)}x`,
      `${"sin(".repeat(n)}x${")".repeat(n)}`,
      `${"exp(x*".repeat(200)}x${")".repeat(200)}`,
    ];
    for (const source of huge) {
      expect(() => derivative(source, "x"), source.slice(0, 12)).toThrow(
        /^the simplified expression is too large to write out \(its terms pass 200,000,000 characters\); grad\(\) evaluates a derivative without writing it out$/,
      );
    }
    // their values are still there, by automatic differentiation: at x = 1 every level of the tower
    // is 1 and log x = 0, so its slope is 1; at 0 every sin has slope cos(0) = 1
    expect(slope(parseExpression(huge[0]!), 1)).toBe(1);
    expect(slope(parseExpression(huge[1]!), 0)).toBe(1);
    // smaller ones of the same shapes are written out in full
    expect(derivative(`${"x^".repeat(40)}x`, "x").length).toBe(49824);
    expect(derivative(`${"exp(x*".repeat(40)}x${")".repeat(40)}`, "x").length).toBe(162421);
  });
});
