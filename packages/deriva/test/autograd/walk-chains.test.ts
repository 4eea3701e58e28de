/**
 * The backward walk's chains (ops/walk-rules.ts): a convolution, max pooling and a relu written
 * with the functional ops are differentiated in one backend call where nothing is recorded, with
 * exactly the gradients of the ops' own rules in turn, and only where the tensors inside the chain
 * feed nothing else and no gradient of theirs is wanted.
 */
import { afterEach, expect, it, vi } from "vitest";
import { gradients } from "../../src/autograd/graph.js";
import { backend } from "../../src/backend/registry.js";
import {
  type DType,
  gradcheck,
  manualSeed,
  onesLike,
  optim,
  randn,
  relu,
  type Tensor,
  valueAndGrad,
} from "../../src/index.js";
import { conv2d, maxPool2d } from "../../src/ops/conv.js";
import { add } from "../../src/ops/elementwise.js";
import { WALK_RULES } from "../../src/ops/walk-rules.js";
import { describeEachBackend } from "../helpers/backends.js";

type Chain = (x: Tensor, w: Tensor, b: Tensor | null) => Tensor;

const CHAINS: [string, Chain][] = [
  ["maxPool2d(relu(conv2d))", (x, w, b) => maxPool2d(relu(conv2d(x, w, b, { padding: 1 })), 2)],
  ["relu(maxPool2d(conv2d))", (x, w, b) => relu(maxPool2d(conv2d(x, w, b, { padding: 1 }), 2))],
  ["maxPool2d(conv2d)", (x, w, b) => maxPool2d(conv2d(x, w, b, { padding: 1 }), 2)],
  // strided convolution, overlapping and padded windows, no bias
  [
    "maxPool2d(relu(conv2d)), strided and overlapping",
    (x, w) => maxPool2d(relu(conv2d(x, w, null, { stride: 2, padding: 1 })), 3, 2, 1),
  ],
];

/** x [3, 2, 9, 9], weight [4, 2, 3, 3], bias [4], all requiring grad: about half the convolution is negative. */
function chainInputs(dtype: DType): [Tensor, Tensor, Tensor] {
  const leaf = (shape: number[]) => {
    const t = randn(shape, { dtype });
    t.requiresGrad = true;
    return t;
  };
  return [leaf([3, 2, 9, 9]), leaf([4, 2, 3, 3]), leaf([4])];
}

/** Σ chain·c, with c fixed weights of every sign. */
function weightedSum(chain: Chain, [x, w, b]: Tensor[]): Tensor {
  const y = chain(x!, w!, b!);
  return y.mul(randn(y.shape, { dtype: y.dtype })).sum();
}

const spyOnFused = () => vi.spyOn(backend(), "conv2dMaxPool2dBackward");

afterEach(() => {
  vi.restoreAllMocks();
});

describeEachBackend("the backward walk differentiates conv2d, relu and maxPool2d in one call", () => {
  for (const [name, chain] of CHAINS) {
    for (const dtype of ["float32", "float64"] as const) {
      it(`${name}, ${dtype}: the gradients of the ops in turn, bit for bit, from one backend call`, () => {
        manualSeed(41);
        const inputs = chainInputs(dtype);
        const loss = weightedSum(chain, inputs);
        const fused = spyOnFused();
        const opByOp = gradients(loss, onesLike(loss), inputs, false, { add });
        expect(fused).not.toHaveBeenCalled();
        const chained = gradients(loss, onesLike(loss), inputs, false, WALK_RULES);
        expect(fused).toHaveBeenCalledTimes(1);
        for (const [i, g] of chained.entries()) expect(g?.data()).toEqual(opByOp[i]?.data());
      });
    }
  }

  it("backward() and valueAndGrad take the chain", () => {
    manualSeed(42);
    const [x, w, b] = chainInputs("float32");
    const fused = spyOnFused();
    weightedSum(CHAINS[0]![1], [x, w, b]).backward();
    expect(fused).toHaveBeenCalledTimes(1);
    valueAndGrad((w: Tensor) => maxPool2d(relu(conv2d(x.detach(), w, null)), 2).sum())(w.detach());
    expect(fused).toHaveBeenCalledTimes(2);
  });

  it("passes over no tensor that feeds anything else, or whose gradient is wanted", () => {
    manualSeed(43);
    const inputs = chainInputs("float64");
    const [x, w, b] = inputs;
    const convolved = conv2d(x, w, b, { padding: 1 });
    const rectified = relu(convolved);
    const pooled = maxPool2d(rectified, 2);
    const pooledFirst = maxPool2d(convolved, 2);
    for (const [root, targets, calls] of [
      // the convolution's output also enters the loss directly
      [pooled.sum().add(convolved.mul(0.5).sum()), inputs, 0],
      // the relu's output is pooled twice
      [pooled.sum().add(maxPool2d(rectified, 3).sum()), inputs, 0],
      // the relu's gradient is asked for
      [pooled.mul(pooled).sum(), [...inputs, rectified], 0],
      // the pooled output enters the loss beside its relu: only the pooling of the convolution is a chain
      [relu(pooledFirst).sum().add(pooledFirst.mul(0.5).sum()), inputs, 1],
    ] as const) {
      const fused = spyOnFused();
      const chained = gradients(root, onesLike(root), targets, false, WALK_RULES);
      expect(fused).toHaveBeenCalledTimes(calls);
      const opByOp = gradients(root, onesLike(root), targets, false, { add });
      for (const [i, g] of chained.entries()) expect(g?.data()).toEqual(opByOp[i]?.data());
      vi.restoreAllMocks();
    }
  });

  it("checks the derivatives against finite differences, to the second order, in float64", () => {
    manualSeed(44);
    for (const [name, chain] of CHAINS) {
      const inputs = chainInputs("float64").map((t) => t.detach());
      const first = gradcheck((x, w, b) => chain(x!, w!, b!), inputs);
      expect(first.ok, `${name}: ${first.message}`).toBe(true);
      // the gradient of Σ (∂L/∂w)²: a walk through the recorded backward ops (and the chain, where
      // the forward ops lie on its path)
      const gradOfW = (x: Tensor, w: Tensor, b: Tensor) =>
        valueAndGrad((v: Tensor) => chain(x, v, b).square().sum())(w)[1]
          .square()
          .sum();
      const second = gradcheck(gradOfW, inputs);
      expect(second.ok, `${name}, second order: ${second.message}`).toBe(true);
    }
  });

  it("refuses a weight changed in place since the forward pass, naming the convolution", () => {
    manualSeed(45);
    const [x, w, b] = chainInputs("float32");
    const loss = weightedSum(CHAINS[0]![1], [x, w, b]);
    w.grad = onesLike(w);
    new optim.SGD([w], { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow(/^backward: .*an input of conv2d, was modified in place/);
  });
});
