/** Dtypes: float32 by default, promotion in binary ops, ints kept where the math allows, float64 kept everywhere. */
import { expect, it } from "vitest";
import {
  abs,
  add,
  cast,
  concat,
  conv2d,
  div,
  exp,
  grad,
  matmul,
  mean,
  mul,
  neg,
  ones,
  pow,
  relu,
  stack,
  sum,
  type Tensor,
  tensor,
  zeros,
} from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";

const i32 = (data: number[]) => tensor(data, { dtype: "int32" });
const f64 = (data: number[]) => tensor(data, { dtype: "float64" });

describeEachBackend("dtypes", () => {
  it("float32 is the default", () => {
    expect(tensor([1, 2]).dtype).toBe("float32");
    expect(zeros([2]).dtype).toBe("float32");
    expect(tensor([0.1]).data()).toBeInstanceOf(Float32Array);
  });

  it("binary ops promote: int32 < float32 < float64", () => {
    expect(add(i32([1]), i32([2])).dtype).toBe("int32");
    expect(add(i32([1]), tensor([2])).dtype).toBe("float32");
    expect(add(tensor([1]), f64([2])).dtype).toBe("float64");
    expect(mul(i32([3]), f64([0.5])).toArray()).toEqual([1.5]);
    expect(mul(i32([3]), f64([0.5])).dtype).toBe("float64");
  });

  it("plain numbers take the tensor's dtype, unless a fraction meets an int tensor", () => {
    expect(add(i32([1]), 2).dtype).toBe("int32");
    expect(add(i32([1]), 2.5).dtype).toBe("float32");
    expect(add(i32([1]), 2.5).toArray()).toEqual([3.5]);
    expect(add(f64([1]), 2).dtype).toBe("float64");
    expect(mul(0.1, f64([1])).toArray()).toEqual([0.1]); // not rounded through float32
    expect(add(tensor([1]), 2).dtype).toBe("float32");
  });

  it("ints stay ints where the result is an integer; other math is done in floats", () => {
    expect(neg(i32([1, -2])).dtype).toBe("int32");
    expect(abs(i32([-3])).toArray()).toEqual([3]);
    expect(relu(i32([-3, 4])).dtype).toBe("int32");
    expect(sum(i32([1, 2, 3])).dtype).toBe("int32");
    expect(sum(i32([1, 2, 3])).item()).toBe(6);
    expect(exp(i32([0])).dtype).toBe("float32");
    expect(div(i32([7]), i32([2])).toArray()).toEqual([3.5]); // true division
    expect(pow(i32([2]), 3).dtype).toBe("float32");
    expect(mean(i32([1, 2])).item()).toBe(1.5);
    expect(matmul(tensor([[1, 2]], { dtype: "int32" }), i32([3, 4])).toArray()).toEqual([11]);
  });

  it("float64 stays float64 through every kind of op", () => {
    const x = tensor(
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      { dtype: "float64" },
    );
    expect(conv2d(x, ones([1, 1, 1, 1], { dtype: "float64" })).dtype).toBe("float64");
    expect(x.maxPool2d(2).dtype).toBe("float64");
    expect(x.softmax().dtype).toBe("float64");
    expect(x.sum().dtype).toBe("float64");
    expect(mul(x, 1e-300).data()[0]).toBe(1e-300); // would be 0 in float32
  });

  it("mixed float32/float64 ops are computed in float64", () => {
    const y = conv2d(
      tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
      ones([1, 1, 2, 2], { dtype: "float64" }),
    );
    expect(y.dtype).toBe("float64");
    expect(matmul(tensor([1, 2]), f64([3, 4])).dtype).toBe("float64");
  });

  it("gradients have their input's dtype, also through a promotion", () => {
    const x32 = tensor([1.5], { requiresGrad: true });
    const x64 = tensor([2.5], { dtype: "float64", requiresGrad: true });
    mul(x32, x64).sum().backward();
    expect(x32.grad!.dtype).toBe("float32");
    expect(x64.grad!.dtype).toBe("float64");
    expect(x32.grad!.toArray()).toEqual([2.5]);
    expect(x64.grad!.toArray()).toEqual([1.5]);
    const g = grad((t: Tensor) => t.mul(t).sum())(f64([0.1])) as Tensor;
    expect(g.dtype).toBe("float64");
    expect(g.item()).toBe(0.2);
  });

  it("concat and stack promote mixed dtypes; each gradient keeps its input's dtype", () => {
    const x32 = tensor([1.5, 2], { requiresGrad: true });
    const x64 = tensor([0.1], { dtype: "float64", requiresGrad: true });
    const joined = concat([x32, x64]);
    expect(joined.dtype).toBe("float64");
    expect(joined.toArray()).toEqual([1.5, 2, 0.1]);
    joined
      .mul(f64([1, 2, 3]))
      .sum()
      .backward();
    expect(x32.grad!.dtype).toBe("float32");
    expect(x32.grad!.toArray()).toEqual([1, 2]);
    expect(x64.grad!.dtype).toBe("float64");
    expect(x64.grad!.toArray()).toEqual([3]);
    const stacked = stack([tensor([1, 2]), f64([0.1, 0.2]), i32([5, 6])], 1);
    expect(stacked.dtype).toBe("float64");
    expect(stacked.toArray()).toEqual([
      [1, 0.1, 5],
      [2, 0.2, 6],
    ]);
    expect(stack([i32([1]), tensor([2])]).dtype).toBe("float32");
    expect(concat([i32([1]), i32([2])]).dtype).toBe("int32");
  });

  it("cast converts, truncating toward zero into int32", () => {
    expect(cast(tensor([1.7, -1.7, 2.5]), "int32").toArray()).toEqual([1, -1, 2]);
    expect(cast(i32([3]), "float64").dtype).toBe("float64");
    expect(tensor([1.5]).cast("float64").dtype).toBe("float64");
  });
});
