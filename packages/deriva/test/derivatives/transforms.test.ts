/** Functional derivatives: grad, valueAndGrad, jacobian, hessian, and nesting them. */
import { describe, expect, it } from "vitest";
import {
  type GradArg,
  grad,
  hessian,
  jacobian,
  matmul,
  mul,
  noGrad,
  sin,
  sum,
  type Tensor,
  tensor,
  valueAndGrad,
} from "../../src/index.js";
import { expectClose } from "../helpers/check-op.js";

type Scalar = (x: Tensor) => Tensor;
const f64 = (data: number | number[] | number[][]) => tensor(data, { dtype: "float64" });
/** The derivative of a scalar function, itself a scalar function (numbers accepted). */
const d = (f: Scalar) => grad(f) as (x: GradArg) => Tensor;

describe("grad and valueAndGrad", () => {
  it("argnums picks one argument (a tensor back) or several (an array back)", () => {
    const f = (x: Tensor, y: Tensor) => mul(x, y).mul(y).sum(); // x·y²
    const x = f64([2]);
    const y = f64([3]);
    expect((grad(f)(x, y) as Tensor).toArray()).toEqual([9]);
    expect((grad(f, { argnums: 1 })(x, y) as Tensor).toArray()).toEqual([12]);
    const both = grad(f, { argnums: [0, 1] })(x, y) as Tensor[];
    expect(both.map((g) => g.item())).toEqual([9, 12]);
    const [value, g] = valueAndGrad(f, { argnums: [1] })(x, y);
    expect(value.item()).toBe(18);
    expect((g as Tensor[]).map((t) => t.item())).toEqual([12]);
  });

  it("valueAndGrad returns f's value next to the gradient, off the graph", () => {
    const [value, g] = valueAndGrad((x: Tensor) => x.pow(3).sum())(f64([2, 3]));
    expect(value.item()).toBe(35);
    expect((g as Tensor).toArray()).toEqual([12, 27]);
    expect(value.requiresGrad).toBe(false);
    expect((g as Tensor).requiresGrad).toBe(false);
  });

  it("plain numbers become float64 scalars", () => {
    const g = grad((x: Tensor) => x.mul(x))(0.1) as Tensor;
    expect(g.dtype).toBe("float64");
    expect(g.shape).toEqual([]);
    expect(g.item()).toBe(0.2);
    const [value] = valueAndGrad((x: Tensor) => x.mul(3))(0.1);
    expect(value.dtype).toBe("float64");
  });

  it("gives zeros for an argument f does not use", () => {
    const g = grad((_x: Tensor, y: Tensor) => y.sum(), { argnums: [0, 1] })(
      f64([1, 2]),
      f64([3]),
    ) as Tensor[];
    expect(g[0]!.toArray()).toEqual([0, 0]);
    expect(g[1]!.toArray()).toEqual([1]);
  });

  it("works inside noGrad (a derivative was asked for) and leaves nothing recorded", () => {
    const g = noGrad(() => d((x) => x.pow(3).sum())(f64([2])));
    expect(g.toArray()).toEqual([12]);
    expect(g.requiresGrad).toBe(false);
  });

  it("does not change the caller's tensors", () => {
    const x = f64([2]);
    grad((t: Tensor) => t.mul(t).sum())(x);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });
});

describe("higher order", () => {
  it("grad(grad(grad(f))) of x⁴ at 2 is 24x = 48, and the fourth derivative is 24", () => {
    const f: Scalar = (x) => x.pow(4);
    expect(d(d(d(f)))(f64(2)).item()).toBe(48);
    expect(d(d(d(d(f))))(f64(2)).item()).toBe(24);
    expect(d(d(d(d(d(f)))))(f64(2)).item()).toBe(0);
  });

  it("third derivative of sin is −cos, float64 to 1e-15", () => {
    const third = d(d(d(sin)))(1.2);
    expect(Math.abs(third.item() + Math.cos(1.2))).toBeLessThan(1e-15);
  });

  it("has no perturbation confusion: d/dx [x · d/dy (x + y)] at y = 1 is 1", () => {
    const outer = (x: Tensor) => x.mul(d((y) => x.add(y))(1));
    expect(d(outer)(f64(3)).item()).toBe(1);
  });

  it("closures over an outer variable differentiate through it: d/dx [x · d/dy (x·y)] = 2x", () => {
    const outer = (x: Tensor) => x.mul(d((y) => x.mul(y))(1));
    expect(d(outer)(f64(3)).item()).toBe(6);
    // and the same variable differentiated at two levels: d/dx [d/dx x³ at x] = 6x
    expect(d((x) => d((z) => z.pow(3))(x))(f64(2)).item()).toBe(12);
  });
});

describe("jacobian and hessian", () => {
  it("jacobian has shape [...out, ...in], with J[i, j] = ∂f_i/∂x_j", () => {
    const a = f64([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const j = jacobian((x) => matmul(a, x))(f64([1, 1, 1]));
    expect(j.shape).toEqual([2, 3]);
    expectClose(j, a.toArray());
    const j3 = jacobian((x) => x.reshape([2, 1]).mul(f64([1, 2, 3])))(f64([5, 7]));
    expect(j3.shape).toEqual([2, 3, 2]);
    expectClose(j3, [
      [
        [1, 0],
        [2, 0],
        [3, 0],
      ],
      [
        [0, 1],
        [0, 2],
        [0, 3],
      ],
    ]);
  });

  it("jacobian of a scalar function of a scalar is its derivative, shape []", () => {
    const j = jacobian((x) => x.pow(2))(3);
    expect(j.shape).toEqual([]);
    expect(j.item()).toBe(6);
  });

  it("hessian has shape [...x, ...x]; for xᵀAx it is A + Aᵀ", () => {
    const a = f64([
      [1, 2],
      [0, 3],
    ]);
    const h = hessian((x) => matmul(x, matmul(a, x)))(f64([0.5, -1]));
    expect(h.shape).toEqual([2, 2]);
    expectClose(h, [
      [2, 2],
      [2, 6],
    ]);
    const h4 = hessian((x) => sum(x.pow(3)))(f64([[1, 2]]));
    expect(h4.shape).toEqual([1, 2, 1, 2]);
    expectClose(h4, [[[[6, 0]], [[0, 12]]]]);
  });

  it("hessian of a scalar function of a scalar is its second derivative", () => {
    expect(hessian((x) => x.pow(2).sub(x.mul(4)).add(6))(8).item()).toBe(2);
  });
});
