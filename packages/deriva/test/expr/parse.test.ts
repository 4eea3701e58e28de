import { describe, expect, it } from "vitest";
import { ExpressionError } from "../../src/expr/errors.js";
import { parse } from "../../src/expr/parse.js";
import { printExpression } from "../../src/expr/print.js";

/** The tree printed with every operation parenthesized, to check grouping. */
function shape(source: string): string {
  const show = (n: ReturnType<typeof parse>): string => {
    switch (n.kind) {
      case "num":
        return String(n.value);
      case "const":
      case "var":
        return n.name;
      case "neg":
        return `(-${show(n.arg)})`;
      case "call":
        return `${n.fn}(${show(n.arg)})`;
      case "bin":
        return `(${show(n.left)}${n.op}${show(n.right)})`;
    }
  };
  return show(parse(source));
}

describe("parse", () => {
  it("reads numbers in every written form", () => {
    expect(shape("12")).toBe("12");
    expect(shape("1.5")).toBe("1.5");
    expect(shape(".5")).toBe("0.5");
    expect(shape("1e-3")).toBe("0.001");
    expect(shape("2.5E+2")).toBe("250");
    expect(shape("3.")).toBe("3");
  });

  it("follows the usual precedence, with ^ right-associative and binding tighter than unary minus", () => {
    expect(shape("1 + 2*3")).toBe("(1+(2*3))");
    expect(shape("1 - 2 - 3")).toBe("((1-2)-3)");
    expect(shape("8/4/2")).toBe("((8/4)/2)");
    expect(shape("2^3^2")).toBe("(2^(3^2))");
    expect(shape("-x^2")).toBe("(-(x^2))");
    expect(shape("x^-1")).toBe("(x^(-1))");
    expect(shape("2**3")).toBe("(2^3)");
    expect(shape("(1 + 2)*3")).toBe("((1+2)*3)");
    expect(shape("--x")).toBe("(-(-x))");
    expect(shape("+x")).toBe("x");
  });

  it("multiplies implicitly as people write it", () => {
    expect(shape("4x")).toBe("(4*x)");
    expect(shape("2(x+1)")).toBe("(2*(x+1))");
    expect(shape("x y")).toBe("(x*y)");
    expect(shape("(x+1)(x-1)")).toBe("((x+1)*(x-1))");
    expect(shape("x(x+1)")).toBe("(x*(x+1))");
    expect(shape("2x^2")).toBe("(2*(x^2))");
    expect(shape("x^2 - 4x + 6")).toBe("(((x^2)-(4*x))+6)");
    expect(shape("2pi x")).toBe("((2*pi)*x)");
    expect(shape("3 sin(x)")).toBe("(3*sin(x))");
    expect(shape("100(y-x^2)^2")).toBe("(100*((y-(x^2))^2))");
  });

  it("knows the functions and constants (ln is log), and takes other names as variables", () => {
    for (const fn of ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu"]) {
      expect(shape(`${fn}(x)`)).toBe(`${fn}(x)`);
    }
    expect(shape("ln(x)")).toBe("log(x)");
    expect(shape("pi + e")).toBe("(pi+e)");
    expect(shape("rate*x2")).toBe("(rate*x2)");
    expect(shape("2e")).toBe("(2*e)");
  });

  it("reports malformed input with the column of the problem", () => {
    const cases: [string, string][] = [
      ["x^2 - )", "unexpected ')' at column 7"],
      ["2*(x+1))", "unexpected ')' at column 8"],
      ["x +* 2", "unexpected '*' at column 4"],
      ["x^", "unexpected end of expression at column 3"],
      ["((x)", "unclosed '(' at column 1"],
      ["x $ 2", "unexpected '$' at column 3"],
      ["sin x", "expected '(' after sin at column 5"],
      ["2 3", "unexpected number 3 at column 3"],
      ["sinh(x)", "unknown function 'sinh' at column 1"],
      ["   ", "empty expression at column 4"],
    ];
    for (const [source, message] of cases) expect(() => parse(source), source).toThrow(message);
  });

  it("gives an ExpressionError that carries the column and draws a caret under it", () => {
    try {
      parse("x^2 - )");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      const e = error as ExpressionError;
      expect(e.column).toBe(7);
      expect(e.message.split("\n")).toHaveLength(1);
      expect(e.caret).toBe("x^2 - )\n      ^");
    }
  });

  it("prints a tree back with only the parentheses it needs, and that text parses to the same tree", () => {
    for (const source of [
      "x^2 - 4*x + 6",
      "(x + 1)*(x - 1)",
      "2^3^2",
      "(2^3)^2",
      "-(x + 1)",
      "x - (y - z)",
      "a/(b*c)",
      "x^(-1)",
      "(-2)^x",
      "sin(x)^2",
    ]) {
      const printed = printExpression(parse(source));
      expect(printed).toBe(source);
      expect(printExpression(parse(printed))).toBe(printed);
    }
  });
});
