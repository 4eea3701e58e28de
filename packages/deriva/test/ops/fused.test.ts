/** Primitives that stand for a composite (for a cheaper derivative) must agree with the composite. */
import { expect, it } from "vitest";
import { grad, manualSeed, mul, randn, square, type Tensor, tensor } from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";
import { expectClose } from "../helpers/check-op.js";

describeEachBackend("fused primitives", () => {
  it("square agrees with x·x in value, first and second derivative", () => {
    manualSeed(5);
    const x = randn([3, 4], { dtype: "float64" });
    const viaSquare = (t: Tensor) => square(t).mul(t).sum(); // x³ through square
    const viaMul = (t: Tensor) => mul(t, t).mul(t).sum();
    expectClose(square(x), mul(x, x).toArray() as number[][]);
    const d1 = (f: (t: Tensor) => Tensor) => grad(f) as (t: Tensor) => Tensor;
    expectClose(d1(viaSquare)(x), d1(viaMul)(x).toArray() as number[][]);
    const d2 = (f: (t: Tensor) => Tensor) => d1((t) => d1(f)(t).sum());
    expectClose(d2(viaSquare)(x), d2(viaMul)(x).toArray() as number[][]);
    expect(square(tensor([3], { dtype: "int32" })).toArray()).toEqual([9]);
    expect(square(tensor([3], { dtype: "int32" })).dtype).toBe("int32");
  });
});
