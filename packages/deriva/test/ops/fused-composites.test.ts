/**
 * The fused ops against the composites they replace, on random inputs and on every backend:
 * the same values, the same first derivatives and the same second derivatives (float64), and
 * one-line errors naming the op and the shapes.
 */
import { expect, it, vi } from "vitest";
import { backend } from "../../src/backend/registry.js";
import {
  gather,
  grad,
  linear,
  manualSeed,
  ones,
  randint,
  randn,
  softmaxCrossEntropy,
  squaredError,
  type Tensor,
  tensor,
  zeros,
} from "../../src/index.js";
import { conv2d, maxPool2d } from "../../src/ops/conv.js";
import { conv2dMaxPool2d } from "../../src/ops/conv-pool.js";
import { batchNormMaxPool2d } from "../../src/ops/norm-pool.js";
import { batchNorm } from "../../src/ops/normalization.js";
import { describeEachBackend } from "../helpers/backends.js";
import { expectClose } from "../helpers/check-op.js";

type Fn = (...xs: Tensor[]) => Tensor;

/** f and g agree in value, in every input's gradient of sum(f·c), and in the gradient of that gradient's sum. */
function expectSameToSecondOrder(f: Fn, g: Fn, inputs: Tensor[]): void {
  expectClose(f(...inputs), g(...inputs).toArray(), 1e-12);
  const argnums = inputs.map((_, i) => i);
  const weights = (t: Tensor) => randn(t.shape, { dtype: "float64" });
  const c = weights(f(...inputs));
  const scalar =
    (h: Fn) =>
    (...xs: Tensor[]) =>
      h(...xs)
        .mul(c)
        .sum();
  const first = (h: Fn) => grad(scalar(h), { argnums }) as (...xs: Tensor[]) => Tensor[];
  const firstF = first(f)(...inputs);
  const firstG = first(g)(...inputs);
  for (const [i, d] of firstF.entries()) expectClose(d, firstG[i]!.toArray(), 1e-12);
  const second = (h: Fn) =>
    grad(
      (...xs: Tensor[]) =>
        first(h)(...xs).reduce((acc, d) => acc.add(d.pow(2).sum()), tensor(0, { dtype: "float64" })),
      {
        argnums,
      },
    ) as (...xs: Tensor[]) => Tensor[];
  const secondF = second(f)(...inputs);
  const secondG = second(g)(...inputs);
  for (const [i, d] of secondF.entries()) expectClose(d, secondG[i]!.toArray(), 1e-10);
}

describeEachBackend("fused ops match their composites", () => {
  it("linear = x·Wᵀ + b, for 2-D, batched and 1-D x", () => {
    manualSeed(11);
    const w = randn([5, 7], { dtype: "float64" });
    const b = randn([5], { dtype: "float64" });
    const composite = (x: Tensor, w: Tensor, b: Tensor) => x.matmul(w.T).add(b);
    for (const shape of [[6, 7], [2, 3, 7], [7]]) {
      expectSameToSecondOrder(linear, composite, [randn(shape, { dtype: "float64" }), w, b]);
    }
    expectSameToSecondOrder(
      (x, w) => linear(x, w),
      (x, w) => x.matmul(w.T),
      [randn([4, 7], { dtype: "float64" }), w],
    );
  });

  it("linear on float32 keeps float32 and matches the composite", () => {
    manualSeed(12);
    const x = randn([64, 33]);
    const w = randn([17, 33]);
    const b = randn([17]);
    const y = linear(x, w, b);
    expect(y.dtype).toBe("float32");
    expectClose(y, x.matmul(w.T).add(b).toArray(), 1e-5);
  });

  it("softmaxCrossEntropy = −logSoftmax gathered at the labels", () => {
    manualSeed(13);
    const labels = randint(0, 6, [9], { dtype: "int32" });
    const composite = (x: Tensor) =>
      gather(x.logSoftmax(1), 1, labels.reshape([9, 1]))
        .reshape([9])
        .neg();
    const fused = (x: Tensor) => softmaxCrossEntropy(x, labels);
    expectSameToSecondOrder(fused, composite, [randn([9, 6], { dtype: "float64" }).mul(3)]);
    // large logits: no overflow
    expectClose(softmaxCrossEntropy(tensor([[1000, 0]]), tensor([1], { dtype: "int32" })), [1000], 1e-6);
  });

  it("names the op and the shapes on bad input", () => {
    expect(() => linear(randn([2, 3]), randn([4, 5]))).toThrow(
      /^linear: expected x \[\*, in\] and weight \[out, in\] with the same in, got \[2, 3\] and \[4, 5\]$/,
    );
    expect(() => linear(randn([2, 3]), randn([4, 3]), randn([3]))).toThrow(
      /^linear: bias must have shape \[4\], got \[3\]$/,
    );
    expect(() => softmaxCrossEntropy(randn([2, 3]), tensor([0, 1, 2], { dtype: "int32" }))).toThrow(
      /^softmaxCrossEntropy: expected logits \[N, C\] and int32 labels \[N\], got \[2, 3\] and int32 \[3\]$/,
    );
    expect(() => softmaxCrossEntropy(randn([2, 3]), tensor([0, 3], { dtype: "int32" }))).toThrow(
      /^softmaxCrossEntropy: label 3 of row 1 is not a class index in \[0, 3\)$/,
    );
  });
});

describeEachBackend("squaredError matches its composite", () => {
  it("scale·Σ (pred − target)² for several scales and shapes", () => {
    manualSeed(14);
    for (const [shape, scale] of [
      [[7], 1],
      [[4, 5], 0.5 / 20],
      [[2, 3, 4], 1 / 24],
    ] as const) {
      const composite = (p: Tensor, t: Tensor) => p.sub(t).square().sum().mul(scale);
      const fused = (p: Tensor, t: Tensor) => squaredError(p, t, scale);
      expectSameToSecondOrder(fused, composite, [
        randn(shape, { dtype: "float64" }),
        randn(shape, { dtype: "float64" }),
      ]);
    }
    expect(() => squaredError(randn([2, 3]), randn([3, 2]))).toThrow(
      /^squaredError: pred \[2, 3\] and target \[3, 2\] must have the same shape$/,
    );
  });
});

describeEachBackend("batchNorm matches its composite", () => {
  /** Training-mode batch normalization written with ops, as nn.BatchNorm2d computed it before the kernels. */
  const composite = (eps: number) => (x: Tensor, w: Tensor, b: Tensor) => {
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const channel = x.shape.map((d, i) => (i === 1 ? d : 1));
    const centered = x.sub(x.mean(axes, true));
    const std = centered.square().mean(axes, true).add(eps).sqrt();
    return centered.div(std).mul(w.reshape(channel)).add(b.reshape(channel));
  };

  it("(x − mean)/√(var + eps)·w + b over images, a [N, C] batch and 3-D inputs", () => {
    manualSeed(15);
    for (const [shape, eps] of [
      [[5, 3, 4, 4], 1e-5],
      [[7, 4], 1e-3],
      [[3, 2, 6], 0],
    ] as const) {
      const c = shape[1];
      const fused = (x: Tensor, w: Tensor, b: Tensor) => batchNorm(x, w, b, eps).output;
      expectSameToSecondOrder(fused, composite(eps), [
        randn(shape, { dtype: "float64" }).mul(2).add(1),
        randn([c], { dtype: "float64" }),
        randn([c], { dtype: "float64" }),
      ]);
    }
  });

  it("gives the batch's mean and biased variance, and keeps float32", () => {
    manualSeed(16);
    const x = randn([16, 3, 5, 5]).mul(3).add(2);
    const { output, mean, variance } = batchNorm(x, randn([3]), randn([3]), 1e-5);
    expect(output.dtype).toBe("float32");
    expectClose(mean, x.mean([0, 2, 3]).toArray() as number[], 1e-5);
    const centered = x.sub(x.mean([0, 2, 3], true));
    expectClose(variance, centered.square().mean([0, 2, 3]).toArray() as number[], 1e-5);
  });

  it("keeps the variance of inputs whose mean is large against their spread", () => {
    manualSeed(17);
    const x = randn([32, 2, 8], { dtype: "float64" }).mul(1e-3).add(1e4);
    const centered = x.sub(x.mean([0, 2], true));
    const twoPass = centered.square().mean([0, 2]).toArray() as number[];
    const { variance } = batchNorm(x, ones([2], { dtype: "float64" }), zeros([2], { dtype: "float64" }), 0);
    // ~1e-6 each: compare relative to the variance itself
    for (const [i, v] of [...variance.data()].entries())
      expect(Math.abs(v / twoPass[i]! - 1)).toBeLessThan(1e-6);
  });

  it("names the op and the shapes on bad input", () => {
    expect(() => batchNorm(randn([4, 3]), randn([2]), randn([3]), 1e-5)).toThrow(
      /^batchNorm: expected x \[N, C, \.\.\.\], weight \[C\] and bias \[C\], got \[4, 3\], \[2\] and \[3\]$/,
    );
  });
});

describeEachBackend("batchNormMaxPool2d matches batch norm, then max pooling", () => {
  it("in value and to second order, for several windows (overlapping ones too), with and without a relu", () => {
    manualSeed(18);
    for (const [kernel, stride, relu] of [
      [2, 2, false],
      [3, 2, true],
      [[3, 2], [1, 2], true],
    ] as const) {
      const fused = (x: Tensor, w: Tensor, b: Tensor) =>
        batchNormMaxPool2d(x, w, b, 1e-5, kernel, stride, relu).output;
      const inTurn = (x: Tensor, w: Tensor, b: Tensor) => {
        const pooled = maxPool2d(batchNorm(x, w, b, 1e-5).output, kernel, stride);
        return relu ? pooled.relu() : pooled;
      };
      expectSameToSecondOrder(fused, inTurn, [
        randn([3, 2, 5, 6], { dtype: "float64" }).mul(2).add(1),
        tensor([1.25, -0.75], { dtype: "float64" }), // a negative scale pools the smallest inputs
        randn([2], { dtype: "float64" }),
      ]);
    }
  });

  it("gives the batch's statistics, and keeps float32", () => {
    manualSeed(19);
    const x = randn([8, 3, 6, 6]).mul(3).add(2);
    const [w, b] = [randn([3]), randn([3])];
    const { output, mean, variance } = batchNormMaxPool2d(x, w, b, 1e-5, 2);
    const alone = batchNorm(x, w, b, 1e-5);
    expect(output.dtype).toBe("float32");
    expect(output.toArray()).toEqual(maxPool2d(alone.output, 2).toArray());
    expect(mean.toArray()).toEqual(alone.mean.toArray());
    expect(variance.toArray()).toEqual(alone.variance.toArray());
  });

  it("names the op the layers run on bad input (batchNorm, maxPool2d)", () => {
    expect(() => batchNormMaxPool2d(randn([4, 3, 4, 4]), randn([2]), randn([3]), 1e-5, 2)).toThrow(
      /^batchNorm: expected x \[N, C, \.\.\.\], weight \[C\] and bias \[C\], got \[4, 3, 4, 4\], \[2\] and \[3\]$/,
    );
    expect(() => batchNormMaxPool2d(randn([4, 3]), randn([3]), randn([3]), 1e-5, 2)).toThrow(
      /^maxPool2d: expected x \[N, C, H, W\], got \[4, 3\]$/,
    );
  });
});

describeEachBackend("conv2dMaxPool2d matches a convolution, then max pooling", () => {
  it("in value and to second order: padded, strided, with and without bias or relu, overlapping windows", () => {
    manualSeed(20);
    for (const [options, kernel, stride, withBias, relu] of [
      [{ padding: 1 }, 2, 2, true, true],
      [{ stride: 2 }, 2, 1, false, false],
      [{ padding: [1, 0] }, [3, 2], [2, 1], true, false],
      [{ padding: [1, 0] }, [3, 2], [2, 1], false, true],
    ] as const) {
      const fused = (x: Tensor, w: Tensor, b: Tensor) =>
        conv2dMaxPool2d(x, w, withBias ? b : null, options, kernel, stride, relu);
      const inTurn = (x: Tensor, w: Tensor, b: Tensor) => {
        const pooled = maxPool2d(conv2d(x, w, withBias ? b : null, options), kernel, stride);
        return relu ? pooled.relu() : pooled;
      };
      expectSameToSecondOrder(fused, inTurn, [
        randn([2, 3, 7, 6], { dtype: "float64" }),
        randn([4, 3, 3, 3], { dtype: "float64" }),
        randn([4], { dtype: "float64" }),
      ]);
    }
  });

  it("computes no filter gradient for a frozen weight, and the other gradients as the ops in turn do", () => {
    manualSeed(21);
    const x = randn([2, 3, 7, 6], { dtype: "float64" });
    const w = randn([4, 3, 3, 3], { dtype: "float64" });
    const b = randn([4], { dtype: "float64" });
    const c = randn([2, 4, 3, 3], { dtype: "float64" });
    const gradients = (f: () => Tensor) => {
      for (const t of [x, b]) {
        t.requiresGrad = true;
        t.grad = null;
      }
      f().mul(c).sum().backward();
      return { dx: x.grad!, db: b.grad!, dw: w.grad };
    };
    const backward = vi.spyOn(backend(), "conv2dMaxPool2dBackward");
    const fused = gradients(() => conv2dMaxPool2d(x, w, b, { padding: 1 }, 2, 2, true));
    expect(backward).toHaveBeenCalledTimes(1);
    expect(backward.mock.calls[0]![5]).toBeNull(); // dWeight
    backward.mockRestore();
    const inTurn = gradients(() => maxPool2d(conv2d(x, w, b, { padding: 1 }), 2, 2).relu());
    expectClose(fused.dx, inTurn.dx.toArray(), 1e-12);
    expectClose(fused.db, inTurn.db.toArray(), 1e-12);
    expect(fused.dw).toBeNull();
  });

  it("names the op the layers run on bad input (conv2d, maxPool2d)", () => {
    expect(() => conv2dMaxPool2d(randn([2, 3, 5, 5]), randn([4, 2, 3, 3]), null, {}, 2)).toThrow(
      /^conv2d: x \[2, 3, 5, 5\] has 3 channels but weight \[4, 2, 3, 3\] expects 2$/,
    );
    expect(() => conv2dMaxPool2d(randn([2, 3, 5, 5]), randn([4, 3, 3, 3]), null, {}, 4)).toThrow(
      /^maxPool2d: kernel 4×4 is larger than the padded input 3×3$/,
    );
  });
});
