/** Printing: toString() and util.inspect show values like NumPy/PyTorch, then shape and dtype. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "../../src/index.js";

describe("printing tensors", () => {
  it("shows values, shape and dtype", () => {
    expect(tensor([1, 2, 3]).toString()).toBe("tensor([1., 2., 3.], shape=[3], dtype=float32)");
    expect(tensor(3.5, { dtype: "float64" }).toString()).toBe("tensor(3.5000, shape=[], dtype=float64)");
    expect(tensor([1, -2], { dtype: "int32" }).toString()).toBe("tensor([ 1, -2], shape=[2], dtype=int32)");
  });

  it("aligns the columns of a matrix and separates the blocks of a 3-D tensor", () => {
    expect(
      tensor([
        [1.5, 2.25],
        [3, -4],
      ]).toString(),
    ).toBe("tensor([[ 1.5000,  2.2500],\n        [ 3.0000, -4.0000]], shape=[2, 2], dtype=float32)");
    expect(arange(8).reshape([2, 2, 2]).toString()).toBe(
      "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]], shape=[2, 2, 2], dtype=float32)",
    );
  });

  it("switches to scientific notation for wide ranges, and prints nan and inf", () => {
    expect(tensor([1e-5, 1, 1000]).toString()).toBe(
      "tensor([1.0000e-05, 1.0000e+00, 1.0000e+03], shape=[3], dtype=float32)",
    );
    expect(tensor([0.5, Number.NaN, Infinity, -Infinity]).toString()).toBe(
      "tensor([0.5000,    nan,    inf,   -inf], shape=[4], dtype=float32)",
    );
  });

  it("elides the middle of long axes with ... only past 1000 elements", () => {
    expect(arange(1000).toString()).not.toContain("...");
    expect(arange(1001).toString()).toBe(
      "tensor([   0.,    1.,    2., ...,  998.,  999., 1000.], shape=[1001], dtype=float32)",
    );
    const lines = arange(1200).reshape([30, 40]).toString().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe("tensor([[   0.,    1.,    2., ...,   37.,   38.,   39.],");
    expect(lines[3]).toBe("        ...,");
    expect(lines[6]).toBe(
      "        [1160., 1161., 1162., ..., 1197., 1198., 1199.]], shape=[30, 40], dtype=float32)",
    );
  });

  it("prints empty tensors and marks tensors that require grad", () => {
    expect(zeros([2, 0]).toString()).toBe("tensor([], shape=[2, 0], dtype=float32)");
    expect(tensor([1, 2], { requiresGrad: true }).mul(2).toString()).toBe(
      "tensor([2., 4.], shape=[2], dtype=float32, requiresGrad=true)",
    );
  });

  it("is what Node's util.inspect and template strings show", () => {
    const t = tensor([1, 2]);
    expect(inspect(t)).toBe(t.toString());
    expect(inspect({ t })).toBe(`{ t: ${t.toString()} }`);
    expect(`${t}`).toBe(t.toString());
  });
});
