/**
 * pow's derivatives where the exponent reaches 0 (x⁰, the derivative of x¹, the third of x³) are 0
 * at x = 0, as in mathematics and PyTorch, to any order: b·x^(b−1) with b = 0 must not be 0·x⁻¹ = NaN.
 */
import { describe, expect, it } from "vitest";
import { type GradArg, grad, hessian, pow, type Tensor, tensor } from "../../src/index.js";

type Scalar = (x: Tensor) => Tensor;
const d = (f: Scalar) => grad(f) as (x: GradArg) => Tensor;
/** The n-th derivative of f, itself a scalar function. */
const nth = (f: Scalar, n: number): ((x: GradArg) => Tensor) => (n === 1 ? d(f) : nth(d(f), n - 1));

describe("pow's derivatives at 0", () => {
  it("d/dx x⁰ = 0 at 0", () => {
    expect(d((x) => pow(x, 0))(0).item()).toBe(0);
  });

  it("d²/dx² x¹ = 0 at 0", () => {
    expect(nth((x) => pow(x, 1), 2)(0).item()).toBe(0);
  });

  it("x³ at 0: derivatives 0, 0, 6, then 0 to the sixth order", () => {
    const derivatives = [1, 2, 3, 4, 5, 6].map((n) => nth((x) => pow(x, 3), n)(0).item());
    expect(derivatives).toEqual([0, 0, 6, 0, 0, 0]);
  });

  it("keeps the values away from 0: d³/dx³ x³ = 6, d/dx x⁰ = 0 at 2", () => {
    expect(nth((x) => pow(x, 3), 3)(2).item()).toBe(6);
    expect(d((x) => pow(x, 0))(2).item()).toBe(0);
  });

  it("gives Hessians through such terms without NaN entries", () => {
    const f = (v: Tensor) => pow(v, 1).sum().add(pow(v, 3).sum());
    const h = hessian(f)(tensor([0, 1], { dtype: "float64" }));
    expect(h.toArray()).toEqual([
      [0, 0],
      [0, 6],
    ]);
  });

  it("gives 0 for a tensor exponent holding 0 too", () => {
    const exponent = tensor([0, 1, 2], { dtype: "float64" });
    const g = grad((x: Tensor) => pow(x, exponent).sum())(tensor([0, 0, 0], { dtype: "float64" })) as Tensor;
    expect(g.toArray()).toEqual([0, 1, 0]);
  });
});
