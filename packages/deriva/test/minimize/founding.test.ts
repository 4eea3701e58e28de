import { describe, expect, it } from "vitest";
import { minimize, type Step, type Tensor, tensor } from "../../src/index.js";
import { parabola } from "./problems.js";

describe("minimize: the founding document's example", () => {
  it("follows x_n = 2 + 6·0.8ⁿ exactly (gd, lr 0.1, from 8)", () => {
    const result = minimize(parabola, 8, { lr: 0.1 });
    expect(result.trace.length).toBeGreaterThanOrEqual(30);
    for (let n = 1; n <= 30; n++) {
      const step = result.trace[n - 1]!;
      expect(step.iter).toBe(n);
      expect(Math.abs(step.x[0]! - (2 + 6 * 0.8 ** n))).toBeLessThan(1e-12);
    }
    expect(result.trace.slice(0, 4).map((s) => s.x[0])).toEqual([
      6.8,
      5.84,
      5.072,
      expect.closeTo(4.4576, 14),
    ]);
  });

  it("converges to x = 2, f = 2, when the step and the gradient fall under tol", () => {
    const result = minimize(parabola, 8, { lr: 0.1, tol: 1e-6 });
    expect(result.converged).toBe(true);
    expect(result.x.shape).toEqual([]);
    expect(result.x.dtype).toBe("float64");
    expect(result.x.item()).toBeCloseTo(2, 5);
    expect(result.value).toBeCloseTo(2, 10);
    // |f′(x_n)| = 12·0.8ⁿ < 1e-6 first at n = 74; the step there is 0.1·|f′| < tol too
    expect(result.iterations).toBe(74);
    expect(result.trace).toHaveLength(74);
    expect(result.reason).toMatch(/below tol/);
  });

  it("records every step (iter, x, value, grad, lr) and reports each to onStep", () => {
    const seen: Step[] = [];
    const result = minimize(parabola, 8, { lr: 0.1, maxIter: 5, onStep: (s) => seen.push(s) });
    expect(seen).toEqual(result.trace);
    expect(result.trace[0]).toEqual({
      iter: 1,
      x: [6.8],
      value: expect.closeTo(6.8 ** 2 - 4 * 6.8 + 6, 12),
      grad: [expect.closeTo(9.6, 12)],
      lr: 0.1,
    });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(5);
  });

  it("reads the same from an expression string", () => {
    const fromText = minimize("x^2 - 4x + 6", 8, { lr: 0.1 });
    const fromFunction = minimize(parabola, 8, { lr: 0.1 });
    expect(fromText.trace.map((s) => s.x[0])).toEqual(fromFunction.trace.map((s) => s.x[0]));
  });

  it("says a learning rate of 1.1 is too large, and what to try", () => {
    const result = minimize(parabola, 8, { lr: 1.1 });
    expect(result.converged).toBe(false);
    expect(result.reason).toBe(
      "learning rate 1.1 is too large for this function: the iterates grow; try a smaller rate or lr: 'auto'",
    );
    expect(Number.isFinite(result.value)).toBe(true);
    // the iterates really did grow: |x_n − 2| = 6·1.2ⁿ
    const last = result.trace[result.trace.length - 1]!;
    expect(Math.abs(last.x[0]! - 2)).toBeCloseTo(6 * 1.2 ** last.iter, 6);
  });

  it("says when a small learning rate runs out of iterations", () => {
    const result = minimize(parabola, 8, { lr: 0.001 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(1000);
    expect(result.reason).toMatch(/^reached max-iter \(1000\) before converging/);
    expect(result.reason).toMatch(/learning rate 0\.001 may be too small/);
  });

  it("needs no rate with lr: 'auto'", () => {
    const result = minimize(parabola, 8, { lr: "auto" });
    expect(result.converged).toBe(true);
    expect(result.x.item()).toBeCloseTo(2, 8);
    expect(result.iterations).toBeLessThan(5);
  });

  it("works for a tensor x of any shape, and keeps that shape", () => {
    const target = tensor(
      [
        [1, -2],
        [3, 0.5],
      ],
      { dtype: "float64" },
    );
    const f = (x: Tensor) => x.sub(target).pow(2).sum();
    const result = minimize(
      f,
      tensor([
        [0, 0],
        [0, 0],
      ]),
      { method: "lbfgs" },
    );
    expect(result.converged).toBe(true);
    expect(result.x.shape).toEqual([2, 2]);
    const got = result.x.toArray() as number[][];
    got.flat().forEach((v, i) => {
      expect(v).toBeCloseTo([1, -2, 3, 0.5][i]!, 6);
    });
    expect(minimize((x: Tensor) => x.sub(3).pow(2).sum(), [0, 0, 0]).x.toArray()).toEqual([
      expect.closeTo(3, 6),
      expect.closeTo(3, 6),
      expect.closeTo(3, 6),
    ]);
  });

  it("stops at once from a minimum", () => {
    const result = minimize(parabola, 2, { lr: 0.1 });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(0);
    expect(result.trace).toEqual([]);
  });
});
