import { describe, expect, it } from "vitest";
import { parse } from "../../src/expr/parse.js";
import { polynomialCoefficients } from "../../src/expr/polynomial.js";
import { evaluatePolynomial, realPolynomialRoots } from "../../src/expr/roots.js";

/** Coefficients (lowest degree first) of Π (x − r). */
function fromRoots(roots: number[], lead = 1): number[] {
  let c = [lead];
  for (const r of roots) {
    const next = new Array(c.length + 1).fill(0);
    c.forEach((v, k) => {
      next[k + 1] += v;
      next[k] -= r * v;
    });
    c = next;
  }
  return c;
}

function expectRoots(c: number[], want: number[], digits = 10) {
  const got = realPolynomialRoots(c);
  expect(got, `roots of [${c}]`).toHaveLength(want.length);
  got.forEach((r, i) => {
    expect(r).toBeCloseTo(want[i]!, digits);
  });
}

describe("realPolynomialRoots", () => {
  it("solves degrees 1 to 3 in closed form", () => {
    expectRoots([-4, 2], [2]);
    expectRoots([6, -4, 1], []); // x² − 4x + 6 has no real root
    expectRoots([4, -4, 1], [2]); // double root
    expectRoots(fromRoots([-3, 1e-3]), [-3, 1e-3]); // no cancellation in the small root
    expectRoots(fromRoots([-1, 0.5, 2]), [-1, 0.5, 2]);
    expectRoots(fromRoots([1, 1, 1]), [1]); // triple
    expectRoots(fromRoots([2, 2, -1]), [-1, 2]); // double + simple
    expectRoots([1, 0, 0, 1], [-1]); // one real root (Cardano)
    expectRoots([0, -1, 0, 1], [-1, 0, 1]);
  });

  it("finds the real roots of higher degrees numerically, multiple ones included", () => {
    expectRoots(fromRoots([1, 2, 3, 4]), [1, 2, 3, 4]);
    expectRoots(fromRoots([-2, -1, 0.5, 1, 3, 7], 0.5), [-2, -1, 0.5, 1, 3, 7], 8);
    expectRoots(fromRoots([1, 1, 1, 1, 1, 1]), [1], 6); // (x − 1)⁶
    expectRoots(fromRoots([-1, -1, 2, 2]), [-1, 2], 6);
    expectRoots([1, 0, 0, 0, 1], []); // x⁴ + 1
    expectRoots([-1, 0, 0, 0, 0, 1], [1]); // x⁵ = 1
    // x⁴ + x² − 2 = (x² + 2)(x² − 1)
    expectRoots([-2, 0, 1, 0, 1], [-1, 1]);
  });

  it("returns roots where the polynomial really vanishes", () => {
    const c = [3, -7, 0.5, 2, -1, 0.1, 0.01];
    for (const r of realPolynomialRoots(c)) {
      const scale = c.reduce((s, v, k) => s + Math.abs(v) * Math.abs(r) ** k, 0);
      expect(Math.abs(evaluatePolynomial(c, r))).toBeLessThan(1e-12 * scale);
    }
    expect(realPolynomialRoots(c).length).toBeGreaterThan(0);
  });
});

describe("polynomialCoefficients", () => {
  it("reads a polynomial in one variable, expanding products and powers", () => {
    expect(polynomialCoefficients(parse("x^2 - 4x + 6"), "x")).toEqual({
      ok: true,
      coefficients: [6, -4, 1],
    });
    expect(polynomialCoefficients(parse("(x-1)^2 (x+2)"), "x")).toEqual({
      ok: true,
      coefficients: [2, -3, 0, 1],
    });
    const big = polynomialCoefficients(parse("(x+1)^20"), "x");
    expect(big.ok && big.coefficients[10]).toBe(184756);
    const withPi = polynomialCoefficients(parse("pi x^2"), "x");
    expect(withPi.ok && withPi.coefficients[2]).toBeCloseTo(Math.PI, 15);
  });

  it("says why something is not a polynomial", () => {
    expect(polynomialCoefficients(parse("x^2 + y"), "x")).toEqual({
      ok: false,
      reason: "it also depends on y",
    });
    expect(polynomialCoefficients(parse("sin(x)"), "x")).toEqual({
      ok: false,
      reason: "x appears inside sin()",
    });
    expect(polynomialCoefficients(parse("1/x"), "x")).toEqual({ ok: false, reason: "it has x^-1" });
    expect(polynomialCoefficients(parse("x - log(x)"), "x")).toMatchObject({ ok: false });
  });
});
