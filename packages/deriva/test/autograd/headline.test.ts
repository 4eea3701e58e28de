import { describe, expect, it } from "vitest";
import { grad, hessian, linspace, sigmoid, type Tensor, tensor } from "../../src/index.js";
import { parabola, rosenbrock } from "../minimize/problems.js";

describe("the founding document's derivatives", () => {
  it("d/dx (x² − 4x + 6) at 8 is 12, and the second derivative is 2", () => {
    expect((grad(parabola)(8) as Tensor).item()).toBe(12);
    expect(hessian(parabola)(8).item()).toBe(2);
    expect((grad(grad(parabola) as (x: Tensor) => Tensor)(8) as Tensor).item()).toBe(2);
  });

  it("the Hessian of Rosenbrock at (1, 1) is [[802, −400], [−400, 200]]", () => {
    const h = hessian(rosenbrock)(tensor([1, 1], { dtype: "float64" }));
    expect(h.shape).toEqual([2, 2]);
    expect(h.toArray()).toEqual([
      [802, -400],
      [-400, 200],
    ]);
  });

  it("autodiff's sigmoid derivative equals σ(z)(1 − σ(z)) to 1e-12 in float64", () => {
    const z = linspace(-20, 20, 401, { dtype: "float64" });
    const d = grad((t: Tensor) => sigmoid(t).sum())(z) as Tensor;
    const s = sigmoid(z).data();
    const got = d.data();
    for (let i = 0; i < s.length; i++) expect(Math.abs(got[i]! - s[i]! * (1 - s[i]!))).toBeLessThan(1e-12);
  });
});
