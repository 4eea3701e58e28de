import { describe, expect, it } from "vitest";
import { minimize, type Tensor } from "../../src/index.js";
import { parabola, rosenbrock, withNanRegion } from "./problems.js";

describe("grid search", () => {
  it("finds x = 2 within the grid spacing over [-10, 10]", () => {
    const result = minimize(parabola, 0, { method: "grid", bounds: [[-10, 10]] });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.x.item() - 2)).toBeLessThanOrEqual(0.2);
    expect(result.trace).toHaveLength(1);
    expect(result.trace[0]!.lr).toBeCloseTo(0.2, 12);
    expect(result.evaluations).toBe(103); // a check that f(x0) is a scalar, 101 grid points, f and ∇f at the best
    expect(result.reason).toMatch(/best of 101 grid points \(spacing 0\.2\)/);
  });

  it("refines around the best point, shrinking the spacing each round", () => {
    const result = minimize("x^2 - 2.71x", 0, {
      method: "grid",
      bounds: [[-10, 10]],
      gridPoints: 21,
      refine: 4,
    });
    expect(result.iterations).toBe(5);
    const spacings = result.trace.map((s) => s.lr);
    for (let i = 1; i < spacings.length; i++) expect(spacings[i]!).toBeLessThan(spacings[i - 1]! / 5);
    expect(Math.abs(result.x.item() - 2.71 / 2)).toBeLessThanOrEqual(spacings[spacings.length - 1]!);
  });

  it("searches in two dimensions", () => {
    const result = minimize(rosenbrock, [0, 0], {
      method: "grid",
      bounds: [
        [-2, 2],
        [-1, 3],
      ],
      gridPoints: 41,
      refine: 2,
    });
    const [x, y] = Array.from(result.x.data());
    expect(Math.abs(x! - 1)).toBeLessThan(0.01);
    expect(Math.abs(y! - 1)).toBeLessThan(0.01);
  });

  it("skips grid points where f is NaN", () => {
    const { f, counter } = withNanRegion();
    const result = minimize(f, 1, { method: "grid", bounds: [[-5, 10]], gridPoints: 151 });
    expect(counter.nans).toBeGreaterThan(0);
    expect(result.x.item()).toBeCloseTo(1, 10);
    expect(result.value).toBeCloseTo(1, 10);
  });

  it("computes grid points without overflow on wide bounds", () => {
    const result = minimize("abs(x - 3e306)/1e306", 0, { method: "grid", bounds: [[-1e307, 1e307]] });
    expect(result.x.item() / 1e306).toBeCloseTo(3, 10);
    expect(result.trace[0]!.lr).toBe(2e305);
    const widest = minimize("(x/1e308 - 1.5)^2", 0, {
      method: "grid",
      bounds: [[-1.7e308, 1.7e308]],
      refine: 2,
    });
    expect(widest.x.item() / 1e308).toBeCloseTo(1.5, 2);
    expect(widest.trace.every((s) => Number.isFinite(s.lr) && Number.isFinite(s.x[0]!))).toBe(true);
  });

  it("warns when the best point is on the edge of the bounds", () => {
    const result = minimize(parabola, 0, { method: "grid", bounds: [[5, 10]] });
    expect(result.converged).toBe(false);
    expect(result.reason).toMatch(/edge of the bounds/);
  });

  it("asks for bounds and refuses huge grids", () => {
    expect(() => minimize(parabola, 0, { method: "grid" })).toThrow(/grid method needs bounds/);
    expect(() =>
      minimize((x: Tensor) => x.pow(2).sum(), [0, 0, 0, 0, 0], {
        method: "grid",
        bounds: [[-1, 1]],
        gridPoints: 101,
      }),
    ).toThrow(/too large/);
    expect(() => minimize(parabola, 0, { method: "grid", bounds: [[1, -1]] })).toThrow(/low < high/);
  });
});

describe("analytic minimization of polynomials", () => {
  it("solves the founding document's example: f′ = 2x − 4 = 0 at x = 2, a minimum", () => {
    const result = minimize("x^2 - 4x + 6", 8, { method: "analytic" });
    expect(result.converged).toBe(true);
    expect(result.x.item()).toBe(2);
    expect(result.value).toBe(2);
    expect(result.stationaryPoints).toEqual([{ x: 2, value: 2, curvature: 2, kind: "minimum" }]);
    expect(result.reason).toMatch(/f′\(x\) = 2\*x - 4 = 0 at 2/);
  });

  it("classifies minima, maxima and inflections, and picks the global minimum (quartic: cubic f′)", () => {
    // f = x⁴ − 3x³ + 2: f′ = 4x³ − 9x² = x²(4x − 9): inflection at 0, minimum at 9/4
    const result = minimize("x^4 - 3x^3 + 2", 0, { method: "analytic" });
    expect(result.stationaryPoints!.map((p) => [p.x, p.kind])).toEqual([
      [0, "inflection"],
      [2.25, "minimum"],
    ]);
    expect(result.x.item()).toBeCloseTo(2.25, 12);
    // two wells: x⁴ − 2x² + 0.5x; the lower one is at negative x
    const wells = minimize("x^4 - 2x^2 + 0.5x", 0, { method: "analytic" });
    expect(wells.stationaryPoints!.map((p) => p.kind)).toEqual(["minimum", "maximum", "minimum"]);
    expect(wells.x.item()).toBeLessThan(0);
    expect(wells.value).toBeLessThan(wells.stationaryPoints![2]!.value);
  });

  it("finds stationary points numerically beyond degree 3 of f′", () => {
    // f′ = 6x⁵ − 10x⁴ + 4x³ − 1 has one real root
    const result = minimize("x^6 - 2x^5 + x^4 - x", 0, { method: "analytic" });
    expect(result.converged).toBe(true);
    const x = result.x.item();
    expect(6 * x ** 5 - 10 * x ** 4 + 4 * x ** 3 - 1).toBeCloseTo(0, 12);
    // and agrees with a numeric minimizer
    expect(minimize("x^6 - 2x^5 + x^4 - x", 0, { method: "lbfgs", tol: 1e-10 }).x.item()).toBeCloseTo(x, 8);
    // a degree-8 f with roots of f′ at 1..7 (f′ = 8·Π(x − k))
    const high = minimize("(x-1)^2 (x-2)^2 (x-3)^2 (x-4)^2", 0, { method: "analytic" });
    expect(high.stationaryPoints!.filter((p) => p.kind === "minimum").map((p) => p.x)).toEqual([
      expect.closeTo(1, 9),
      expect.closeTo(2, 9),
      expect.closeTo(3, 9),
      expect.closeTo(4, 9),
    ]);
    expect(high.value).toBeCloseTo(0, 9);
  });

  it("says when f is unbounded below", () => {
    const cubic = minimize("x^3 - 3x", 0, { method: "analytic" });
    expect(cubic.converged).toBe(false);
    expect(cubic.reason).toMatch(/^f is unbounded below: f → −∞ as x → −∞ \(degree 3/);
    expect(cubic.reason).toMatch(/lowest local minimum is at x = 1$/);
    expect(minimize("-x^2", 0, { method: "analytic" }).reason).toMatch(/unbounded below: f → −∞ as x → ±∞/);
    expect(minimize("3 - 2x", 0, { method: "analytic" }).reason).toMatch(/as x → \+∞/);
  });

  it("refuses what it cannot solve, saying why", () => {
    expect(() => minimize("x - log(x)", 1, { method: "analytic" })).toThrow(
      /needs a polynomial in x, and x - log\(x\) is not one \(x appears inside log\(\)\); try method "newton"/,
    );
    expect(() => minimize("x^2 + y^2", [0, 0], { method: "analytic" })).toThrow(/one variable.*2 \(x, y\)/);
    expect(() => minimize(parabola, 0, { method: "analytic" })).toThrow(/needs an expression string/);
  });
});

describe("minimize: bad input", () => {
  it("names the problem", () => {
    expect(() => minimize("x^2 + y", 1)).toThrow(
      "minimize: the expression has 2 variables (x, y) but x0 has 1 value",
    );
    expect(() => minimize("x^2", [1, 2])).toThrow(
      "minimize: the expression has 1 variable (x) but x0 has 2 values",
    );
    expect(() => minimize(parabola, 8, { method: "sgd" as never })).toThrow(/unknown method "sgd"/);
    expect(() => minimize(parabola, 8, { lr: -1 })).toThrow(/lr must be a positive number or "auto"/);
    expect(() => minimize(parabola, Number.NaN)).toThrow(/x0 must be finite/);
    expect(() => minimize("x^2 - )", 8)).toThrow("unexpected ')' at column 7");
  });

  it("says when f does not return a scalar", () => {
    expect(() => minimize((x: Tensor) => x.mul(2), [1, 2])).toThrow(
      "minimize: f must return a scalar (one element), got shape [2]",
    );
  });

  it("refuses the 10-D quadratic for the methods that cannot take it", () => {
    const start = new Array(10).fill(1);
    expect(() =>
      minimize((x: Tensor) => x.pow(2).sum(), start, { method: "grid", bounds: [[-1, 1]], gridPoints: 11 }),
    ).toThrow(/too large/);
    expect(() => minimize("x^2 + y^2", [1, 1], { method: "analytic" })).toThrow(/one variable/);
  });

  it("says when f is not defined at the start", () => {
    const result = minimize((x: Tensor) => x.log(), -1);
    expect(result.converged).toBe(false);
    expect(result.reason).toMatch(/start inside the domain of f/);
  });
});
