import { describe, expect, it } from "vitest";
import { grad, gradcheck, loss, sigmoid, softmax, type Tensor, tensor } from "../../src/index.js";
import { expectClose } from "../nn/expect-close.js";

const f64 = (data: number[] | number[][]) => tensor(data, { dtype: "float64" });
const labels = (data: number[]) => tensor(data, { dtype: "int32" });
const reductions = ["mean", "sum", "none"] as const;

describe("regression losses", () => {
  // differences 1, 0, −2
  const pred = () => f64([1, 2, 3]);
  const target = () => f64([0, 2, 5]);

  it("mse = 1/N Σ (ŷ − y)², as a 0-d tensor by default", () => {
    const value = loss.mse(pred(), target());
    expect(value.shape).toEqual([]);
    expect(value.dtype).toBe("float64");
    expect(value.item()).toBeCloseTo(5 / 3, 15);
    expect(loss.mse(pred(), target(), { reduction: "sum" }).item()).toBe(5);
    expect(loss.mse(pred(), target(), { reduction: "none" }).toArray()).toEqual([1, 0, 4]);
  });

  it("quadratic = 1/(2N) Σ (ŷ − y)², whose gradient is (ŷ − y)/N", () => {
    expect(loss.quadratic(pred(), target()).item()).toBeCloseTo(5 / 6, 15);
    expect(loss.quadratic(pred(), target(), { reduction: "sum" }).item()).toBe(2.5);
    expect(loss.quadratic(pred(), target(), { reduction: "none" }).toArray()).toEqual([0.5, 0, 2]);
    const g = grad((p: Tensor) => loss.quadratic(p, target()))(pred()) as Tensor;
    expectClose(g, [1 / 3, 0, -2 / 3], 1e-15);
  });

  it("mae = 1/N Σ |ŷ − y|", () => {
    expect(loss.mae(pred(), target()).item()).toBe(1);
    expect(loss.mae(pred(), target(), { reduction: "none" }).toArray()).toEqual([1, 0, 2]);
  });

  it("huber is quadratic inside delta and linear outside", () => {
    // d = 0.5, −2, 3
    const p = f64([0.5, -2, 3]);
    const zero = f64([0, 0, 0]);
    expect(loss.huber(p, zero, 1, { reduction: "none" }).toArray()).toEqual([0.125, 1.5, 2.5]);
    expect(loss.huber(p, zero).item()).toBeCloseTo(4.125 / 3, 15);
    expect(loss.huber(p, zero, 2, { reduction: "sum" }).item()).toBe(0.125 + 2 + 4);
    expect(() => loss.huber(p, zero, 0)).toThrow("loss.huber: delta must be positive, got 0");
  });

  it("pass float64 gradchecks with every reduction", () => {
    const p = f64([
      [0.3, -1.2],
      [2.5, 0.7],
    ]);
    const t = f64([
      [0.1, 0.4],
      [-1, 0.2],
    ]);
    for (const reduction of reductions) {
      for (const fn of [loss.mse, loss.quadratic, loss.mae]) {
        expect(gradcheck((a, b) => fn(a, b, { reduction }), [p, t]).ok, `${fn.name} ${reduction}`).toBe(true);
      }
      // |d| = 0.2, 1.6, 3.5, 0.5: on both sides of delta = 1, none at a kink
      expect(gradcheck((a, b) => loss.huber(a, b, 1, { reduction }), [p, t]).ok, `huber ${reduction}`).toBe(
        true,
      );
    }
  });

  it("refuses shapes that differ, naming the loss and both shapes", () => {
    expect(() => loss.mse(tensor([[1], [2]]), tensor([1, 2]))).toThrow(
      "loss.mse: pred [2, 1] and target [2] must have the same shape",
    );
    expect(() => loss.huber(tensor([1]), tensor([1, 2]))).toThrow("loss.huber: pred [1] and target [2]");
    expect(() => loss.mse(tensor([1]), tensor([1]), { reduction: "avg" as "mean" })).toThrow(
      'loss.mse: unknown reduction "avg" (use "mean", "sum" or "none")',
    );
  });
});

describe("binary cross-entropy", () => {
  it("bce = −[y log p + (1 − y) log(1 − p)]", () => {
    const value = loss.bce(f64([0.8, 0.3]), f64([1, 0]), { reduction: "none" });
    expectClose(value, [-Math.log(0.8), -Math.log(0.7)], 1e-15);
    expect(loss.bce(f64([0.8, 0.3]), f64([1, 0])).item()).toBeCloseTo(
      (-Math.log(0.8) - Math.log(0.7)) / 2,
      15,
    );
  });

  it("bce clamps each log at −100 (PyTorch): finite loss and gradient at p = 0 and 1, never NaN", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const p = tensor([0, 1, 0, 1], { dtype, requiresGrad: true });
      const y = tensor([1, 0, 0, 1], { dtype });
      const value = loss.bce(p, y, { reduction: "none" });
      expectClose(value, [100, 100, 0, 0], 0);
      value.sum().backward();
      for (const g of p.grad!.data()) expect(Number.isFinite(g)).toBe(true);
    }
  });

  it("bce refuses probabilities outside [0, 1] and NaN, pointing to bceWithLogits", () => {
    expect(() => loss.bce(f64([0.5, 1.5]), f64([1, 0]))).toThrow(
      /^loss\.bce: prob must hold probabilities in \[0, 1\], got 1\.5 at flat index 1 \(for logits use loss\.bceWithLogits\)$/,
    );
    expect(() => loss.bce(f64([-0.1]), f64([0]))).toThrow(/got -0\.1 at flat index 0/);
    expect(() => loss.bce(f64([Number.NaN]), f64([0]))).toThrow(/got NaN/);
    expect(loss.bce(f64([0, 1]), f64([0, 1])).item()).toBeCloseTo(0, 15);
  });

  it("bceWithLogits = softplus(x) − x·y, equal to bce(σ(x), y)", () => {
    const x = f64([0, 2, -3]);
    const y = f64([1, 0, 1]);
    expectClose(
      loss.bceWithLogits(x, y, { reduction: "none" }),
      [Math.log(2), Math.log(1 + Math.exp(2)), Math.log(1 + Math.exp(-3)) + 3],
      1e-15,
    );
    expect(loss.bceWithLogits(x, y).item()).toBeCloseTo(loss.bce(sigmoid(x), y).item(), 14);
  });

  it("bceWithLogits is stable at logits ±1e4: finite loss and gradient σ(x) − y", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = tensor([1e4, -1e4, 1e4, -1e4], { dtype, requiresGrad: true });
      const y = tensor([0, 1, 1, 0], { dtype });
      const value = loss.bceWithLogits(x, y, { reduction: "sum" });
      expect(value.item()).toBe(2e4);
      value.backward();
      expect(x.grad!.toArray()).toEqual([1, -1, 0, 0]);
    }
  });

  it("pass float64 gradchecks (with soft targets too)", () => {
    const p = f64([
      [0.1, 0.45],
      [0.9, 0.6],
    ]);
    const y = f64([
      [0, 1],
      [0.3, 1],
    ]);
    const logits = f64([
      [-2, 0.5],
      [3, -0.1],
    ]);
    for (const reduction of reductions) {
      expect(gradcheck((a, b) => loss.bce(a, b, { reduction }), [p, y]).ok).toBe(true);
      expect(gradcheck((a, b) => loss.bceWithLogits(a, b, { reduction }), [logits, y]).ok).toBe(true);
    }
  });
});

describe("crossEntropy", () => {
  const logits = () =>
    f64([
      [1, 2, 3],
      [1, 1, 1],
    ]);
  const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);

  it("with int32 class indices is −log softmax(x)[label], averaged over samples", () => {
    expect(loss.crossEntropy(f64([[2, 0, 0]]), labels([0])).item()).toBeCloseTo(
      Math.log(Math.exp(2) + 2) - 2,
      15,
    );
    expectClose(
      loss.crossEntropy(logits(), labels([2, 0]), { reduction: "none" }),
      [lse - 3, Math.log(3)],
      1e-15,
    );
    expect(loss.crossEntropy(logits(), labels([2, 0])).item()).toBeCloseTo((lse - 3 + Math.log(3)) / 2, 15);
    expect(loss.crossEntropy(logits(), labels([2, 0]), { reduction: "sum" }).item()).toBeCloseTo(
      lse - 3 + Math.log(3),
      14,
    );
  });

  it("with probability targets [N, C] is −Σ y log softmax(x); one-hot targets equal class indices", () => {
    const soft = f64([
      [0.5, 0.5, 0],
      [0, 0, 1],
    ]);
    expectClose(
      loss.crossEntropy(logits(), soft, { reduction: "none" }),
      [0.5 * (lse - 1) + 0.5 * (lse - 2), Math.log(3)],
      1e-15,
    );
    const oneHot = f64([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(loss.crossEntropy(logits(), oneHot).item()).toBeCloseTo(
      loss.crossEntropy(logits(), labels([2, 0])).item(),
      15,
    );
  });

  it("its gradient is (softmax(x) − onehot)/N, and it is stable at logits ±1e4", () => {
    const g = grad((x: Tensor) => loss.crossEntropy(x, labels([2, 0])))(logits()) as Tensor;
    const s = softmax(logits()).data();
    expectClose(g, [s[0]! / 2, s[1]! / 2, (s[2]! - 1) / 2, (s[3]! - 1) / 2, s[4]! / 2, s[5]! / 2], 1e-15);

    for (const dtype of ["float32", "float64"] as const) {
      const x = tensor(
        [
          [1e4, -1e4, 0],
          [-1e4, 1e4, 0],
        ],
        { dtype, requiresGrad: true },
      );
      const value = loss.crossEntropy(x, labels([1, 1]));
      expect(value.item()).toBe(1e4); // (2e4 + 0) / 2
      value.backward();
      expect(x.grad!.toArray()).toEqual([
        [0.5, -0.5, 0],
        [0, 0, 0],
      ]);
    }
  });

  it("passes float64 gradchecks for both kinds of labels", () => {
    const x = f64([
      [0.2, -1, 0.5],
      [1.5, 0.3, -0.7],
    ]);
    const soft = f64([
      [0.2, 0.3, 0.5],
      [0.6, 0.4, 0],
    ]);
    for (const reduction of reductions) {
      expect(gradcheck((a) => loss.crossEntropy(a, labels([1, 0]), { reduction }), [x]).ok).toBe(true);
      expect(gradcheck((a, b) => loss.crossEntropy(a, b, { reduction }), [x, soft]).ok).toBe(true);
    }
  });

  it("names what it expected when the labels do not fit", () => {
    expect(() =>
      loss.crossEntropy(
        tensor([
          [1, 2, 3],
          [1, 1, 1],
        ]),
        tensor([2, 0]),
      ),
    ).toThrow(
      "loss.crossEntropy: for logits [2, 3] the labels must be int32 class indices [2] or float probabilities [2, 3], got float32 [2]",
    );
    expect(() => loss.crossEntropy(tensor([[1, 2, 3]]), labels([3]))).toThrow(
      "loss.crossEntropy: label 3 of sample 0 is not a class index in [0, 3)",
    );
    expect(() => loss.crossEntropy(tensor([1, 2, 3]), labels([0]))).toThrow(
      "loss.crossEntropy: logits must have shape [N, C], got [3]",
    );
  });
});
