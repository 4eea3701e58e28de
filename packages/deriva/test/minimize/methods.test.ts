import { describe, expect, it } from "vitest";
import { type MinimizeMethod, type MinimizeOptions, minimize, type Tensor } from "../../src/index.js";
import { illConditioned, illConditionedStart, parabola, rosenbrock, withNanRegion } from "./problems.js";

const flat = (x: Tensor) => Array.from(x.data());

/** Each iterative method with its default (line-searched) step, plus fixed-rate variants. */
const variants: [string, MinimizeOptions][] = [
  ["gd auto", { method: "gd" }],
  ["momentum (heavy ball)", { method: "momentum" }],
  ["momentum (Nesterov)", { method: "momentum", nesterov: true }],
  ["newton", { method: "newton" }],
  ["lbfgs", { method: "lbfgs" }],
  ["adam auto", { method: "adam" }],
  ["adam lr 0.05", { method: "adam", lr: 0.05, maxIter: 20000 }],
];

describe.each(variants)("minimize with %s", (_name, opts) => {
  it("finds the parabola's minimum at x = 2", () => {
    const result = minimize(parabola, 8, opts);
    expect(result.converged, result.reason).toBe(true);
    expect(result.x.item()).toBeCloseTo(2, 5);
    expect(result.value).toBeCloseTo(2, 10);
  });

  it("finds Rosenbrock's minimum (1, 1) from (−1.2, 1)", () => {
    const result = minimize(rosenbrock, [-1.2, 1], { maxIter: 20000, ...opts });
    expect(result.converged, result.reason).toBe(true);
    for (const v of flat(result.x)) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
  });

  it("finds the minimum of a 10-D quadratic with condition number 1000", () => {
    const result = minimize(illConditioned, illConditionedStart, { maxIter: 20000, ...opts });
    expect(result.converged, result.reason).toBe(true);
    for (const v of flat(result.x)) expect(Math.abs(v)).toBeLessThan(1e-5);
  });

  it("backs off where a long step leaves the domain of log, instead of returning NaN", () => {
    const { f, counter } = withNanRegion();
    const result = minimize(f, 10, opts);
    // a line search did try a step landing at x < 0 (a small fixed rate never does)
    if (opts.lr === undefined) expect(counter.nans).toBeGreaterThan(0);
    expect(result.converged, result.reason).toBe(true);
    expect(result.x.item()).toBeCloseTo(1, 5);
    for (const step of result.trace) expect(Number.isFinite(step.value)).toBe(true);
  });
});

describe("minimize: speed on an ill-conditioned problem", () => {
  it("takes iterations in the order fixed-rate gd ≫ gd auto > lbfgs > newton", () => {
    const run = (opts: MinimizeOptions) => {
      const result = minimize(illConditioned, illConditionedStart, { maxIter: 100_000, ...opts });
      expect(result.converged, result.reason).toBe(true);
      return result.iterations;
    };
    // a fixed rate must stay under 2/L = 0.002 for the stiffest direction, and then crawls along the flattest
    const fixed = run({ method: "gd", lr: 0.0019 });
    const auto = run({ method: "gd", lr: "auto" });
    const lbfgs = run({ method: "lbfgs" });
    const newton = run({ method: "newton" });
    expect(fixed).toBeGreaterThan(5000);
    expect(fixed).toBeGreaterThan(5 * auto);
    expect(auto).toBeGreaterThan(lbfgs);
    expect(lbfgs).toBeGreaterThan(newton);
    expect(newton).toBe(1); // a quadratic: the first Newton step lands on the minimum
  });
});

describe("minimize: fixed rates that leave the domain", () => {
  it.each<MinimizeMethod>(["gd", "momentum", "adam"])(
    "%s with lr 10 stops at the last finite point and says why",
    (method) => {
      const { f } = withNanRegion();
      const result = minimize(f, 5, { method, lr: 10 });
      expect(result.converged).toBe(false);
      expect(result.reason).toMatch(
        /^learning rate 10 is too large for this function: the step left the domain of f \(f = NaN at x = -?\d/,
      );
      expect(result.reason).toMatch(/try a smaller rate or lr: 'auto'$/);
      expect(Number.isFinite(result.value)).toBe(true);
      expect(result.x.item()).toBeGreaterThan(0);
    },
  );
});

describe("newton", () => {
  it("converges in one step on the parabola", () => {
    const result = minimize(parabola, 8, { method: "newton" });
    expect(result.iterations).toBe(1);
    expect(result.trace[0]!.x[0]).toBeCloseTo(2, 12);
    expect(result.converged).toBe(true);
  });

  it("falls back to gradient steps where the Hessian is not positive definite", () => {
    // x⁴/4 − x²: f″ = 3x² − 2 < 0 near 0, where a Newton step would head for the maximum at 0
    const f = (x: Tensor) => x.pow(4).div(4).sub(x.pow(2));
    const result = minimize(f, 0.1, { method: "newton" });
    expect(result.converged, result.reason).toBe(true);
    expect(Math.abs(result.x.item())).toBeCloseTo(Math.SQRT2, 6);
    // a Newton step from 0.1 would head for the maximum at 0; the gradient step goes downhill, away from it
    expect(result.trace[0]!.x[0]).toBeGreaterThan(0.1);
  });
});

describe("divergence on a function unbounded below", () => {
  it("says f seems unbounded below rather than blaming the rate", () => {
    const result = minimize((x: Tensor) => x.mul(-1), 0, { method: "gd", maxIter: 10_000 });
    expect(result.converged).toBe(false);
    expect(result.reason).toMatch(/^f seems unbounded below: the iterates run off to x = /);
  });
});
