/** Values at the edges: overflow-free activations, stable reductions, comparisons and arg-reductions. */
import { expect, it } from "vitest";
import {
  add,
  argmax,
  argmin,
  eq,
  ge,
  gt,
  le,
  logSoftmax,
  logSumExp,
  lt,
  manualSeed,
  ne,
  randn,
  sigmoid,
  sign,
  softmax,
  softplus,
  sum,
  tensor,
  where,
} from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";
import { expectClose } from "../helpers/check-op.js";

describeEachBackend("values at the edges", () => {
  it("softplus is exact at large |x| in both dtypes (no overflow to Infinity)", () => {
    expectClose(
      softplus(tensor([1000, -1000, 50, -50], { dtype: "float64" })),
      [1000, 0, 50, 1.9287498479639178e-22],
    );
    expectClose(softplus(tensor([100, -100, 0])), [100, 3.783505853677006e-44, Math.LN2], 1e-7);
  });

  it("sigmoid saturates to exactly 0 and 1 without NaN", () => {
    expect(sigmoid(tensor([-800, 800, -1e308, 1e308], { dtype: "float64" })).toArray()).toEqual([0, 1, 0, 1]);
    expectClose(sigmoid(tensor([-100, 100])), [3.783505853677006e-44, 1]); // float32 keeps the subnormal
  });

  it("logSumExp is stable at 1e4 and at −Infinity", () => {
    expectClose(logSumExp(tensor([1e4, 1e4])), 1e4 + Math.LN2, 1e-7); // float32
    expectClose(logSumExp(tensor([1e4, 1e4 + 1, 1e4 - 2], { dtype: "float64" })), 10001.349012216768);
    expectClose(logSumExp(tensor([-1e4, -1e4], { dtype: "float64" })), -1e4 + Math.LN2);
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(tensor([-Infinity, 0])).item()).toBe(0);
  });

  it("softmax rows sum to 1, also for huge logits", () => {
    manualSeed(3);
    const x = randn([5, 7], { dtype: "float64" }).mul(10);
    expectClose(sum(softmax(x), -1), [1, 1, 1, 1, 1]);
    const huge = softmax(
      tensor([
        [1000, 1000, -1000],
        [3e38, 0, -3e38],
      ]),
    );
    expectClose(
      huge,
      [
        [0.5, 0.5, 0],
        [1, 0, 0],
      ],
      1e-7,
    );
    expectClose(logSoftmax(tensor([[1000, 0]], { dtype: "float64" })), [[0, -1000]]);
  });

  it("comparisons return 0/1 floats, broadcast, and record no gradient", () => {
    const a = tensor([[1, 2, 3]], { requiresGrad: true });
    const b = tensor([[2], [1]]);
    expect(eq(a, b).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(ne(a, b).toArray()).toEqual([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    expect(gt(a, b).toArray()).toEqual([
      [0, 0, 1],
      [0, 1, 1],
    ]);
    expect(lt(a, b).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(ge(a, b).toArray()).toEqual([
      [0, 1, 1],
      [1, 1, 1],
    ]);
    expect(le(a, b).toArray()).toEqual([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    expect(a.gt(2).toArray()).toEqual([[0, 0, 1]]);
    expect(gt(a, b).dtype).toBe("float32");
    expect(gt(a, b).requiresGrad).toBe(false);
    expect(gt(tensor([1], { dtype: "int32" }), 0).dtype).toBe("float32");
    expect(gt(tensor([1], { dtype: "float64" }), 0).dtype).toBe("float64");
  });

  it("where selects by a comparison, with NaN never chosen from the other branch", () => {
    const x = tensor([-1, 2, Number.NaN, 4]);
    expect(where(gt(x, 0), x, 0).toArray()).toEqual([0, 2, 0, 4]);
  });

  it("argmax / argmin along an axis: int32, first index on ties, negative axes", () => {
    const x = tensor([
      [1, 5, 5],
      [7, 0, 7],
    ]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmax(x, -1).dtype).toBe("int32");
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 1]);
    expect(argmin(x, 1).toArray()).toEqual([0, 1]);
    expect(x.argmin(-2).toArray()).toEqual([0, 1, 0]);
  });

  it("sign is −1, 0 or 1", () => {
    expect(sign(tensor([-2.5, 0, 3])).toArray()).toEqual([-1, 0, 1]);
    expect(sign(tensor([-2, 0, 3], { dtype: "int32" })).toArray()).toEqual([-1, 0, 1]);
  });

  it("NaN propagates through arithmetic, max and sum", () => {
    const x = tensor([1, Number.NaN, 3]);
    expect(Number.isNaN(add(x, 1).data()[1]!)).toBe(true);
    expect(Number.isNaN(x.max().item())).toBe(true);
    expect(Number.isNaN(x.sum().item())).toBe(true);
  });
});
