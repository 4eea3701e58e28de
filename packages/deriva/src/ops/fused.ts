/**
 * Fused ops: one op (one result, one graph node, one derivative rule) where the composite would
 * take several, for the pieces a training step runs every time. Each one is tested against the
 * composite it replaces, values and derivatives to second order.
 *
 * - linear(x, W, b) = x·Wᵀ + b reads W [out, in] transposed in the matrix kernel: the composite
 *   x.matmul(W.T).add(b) copies W into its transpose on the way forward and copies the gradient
 *   back on the way back.
 * - softmaxCrossEntropy(logits, labels) = −log softmax(logits)[label] per row, whose derivative
 *   is softmax − onehot: the composite (logSoftmax, gather, neg) records a dozen small ops.
 * - squaredError(pred, target, scale) = scale·Σ (pred − target)², the sum behind mse and the
 *   quadratic cost, whose derivative squaredErrorGrad is one op as well.
 */
import { backend } from "../backend/registry.js";
import { checkTensor } from "../tensor/arguments.js";
import type { FloatArray } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { softmax } from "./activation.js";
import { asFloat, promotePair } from "./convert.js";
import { addOp, mul, neg, sub } from "./elementwise.js";
import { matmulOp, matmulT } from "./linalg.js";
import { apply, type OpDef } from "./op.js";
import { sum, sumTo } from "./reduce.js";
import { squeeze, unsqueeze } from "./shape.js";

const READ_W_TRANSPOSED = { transA: false, transB: true } as const;

/** y = x·Wᵀ (+ b). Inputs [x (≥ 2-D), W, b?]. */
export const linearOp: OpDef<null> = {
  name: "linear",
  forward([x, w, b]) {
    const y = matmulOp.forward([x!, w!], READ_W_TRANSPOSED);
    return b ? addOp.forward([y, b], null) : y;
  },
  // dx = g·W, dW = Σ gᵀ·x over the batch axes, db = Σ g over every axis but the last
  vjp: (g, [x, w, b]) => [
    x!.requiresGrad ? matmulT(g, w!, false, false) : null,
    w!.requiresGrad ? sumTo(matmulT(g, x!, true, false), w!.shape) : null,
    b?.requiresGrad ? sumTo(g, b.shape) : null,
  ],
};

/**
 * The affine map of a fully connected layer, y = x·Wᵀ + b, with W in PyTorch's [out, in] layout
 * (torch.nn.functional.linear). One op: W is read transposed by the matrix kernel, never copied.
 *
 * Shapes: x [*, in] (1-D allowed), weight [out, in], bias [out] → [*, out].
 *
 * @example
 * linear(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), tensor([0, 0, 10])) // [[1, 2, 13]]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("linear", "x", x);
  checkTensor("linear", "weight", weight);
  if (bias !== undefined && bias !== null) checkTensor("linear", "bias", bias);
  const [fx, fw] = promotePair(asFloat(x), asFloat(weight));
  if (fw.ndim !== 2 || fx.ndim === 0 || fx.shape[fx.ndim - 1] !== fw.shape[1]) {
    throw new Error(
      `linear: expected x [*, in] and weight [out, in] with the same in, got ${formatShape(x.shape)} and ${formatShape(weight.shape)}`,
    );
  }
  const inputs = [fx.ndim === 1 ? unsqueeze(fx, 0) : fx, fw];
  if (bias) {
    const [, fb] = promotePair(fx, asFloat(bias));
    if (fb.ndim !== 1 || fb.shape[0] !== fw.shape[0]) {
      throw new Error(`linear: bias must have shape [${fw.shape[0]}], got ${formatShape(bias.shape)}`);
    }
    inputs.push(fb);
  }
  const y = apply(linearOp, inputs, null);
  return fx.ndim === 1 ? squeeze(y, 0) : y;
}

/**
 * Per-row −log softmax(logits)[label] = logΣ_c e^(x_c) − x_label, computed from the row maximum
 * (no overflow). Inputs [logits [N, C], labels int32 [N]]; the labels get no gradient.
 */
export const softmaxCrossEntropyOp: OpDef<null> = {
  name: "softmaxCrossEntropy",
  forward([logits, labels]) {
    const [n, c] = logits!.shape as [number, number];
    const dtype = logits!.dtype;
    const kernels = backend();
    const rowMax = allocateResult(dtype, n);
    kernels.reduce("max", logits!.storage, [n, c], [1], rowMax);
    const shifted = allocateResult(dtype, n * c);
    kernels.binary("sub", logits!.storage, [c, 1], rowMax, [1, 0], shifted, [n, c]);
    const exps = allocateResult(dtype, n * c);
    kernels.unary("exp", shifted, exps);
    const sums = allocateResult(dtype, n);
    kernels.reduce("sum", exps, [n, c], [1], sums);
    const logSums = allocateResult(dtype, n);
    kernels.unary("log", sums, logSums);
    const at = new Int32Array(n);
    const label = kernels.download(labels!.storage);
    for (let i = 0; i < n; i++) at[i] = i * c + label[i]!;
    const picked = allocateResult(dtype, n);
    kernels.take(shifted, at, picked);
    const out = allocateResult(dtype, n) as FloatArray;
    kernels.binary("sub", logSums, [1], picked, [1], out, [n]);
    return new Tensor(out, [n]);
  },
  // d/dx_ij = softmax(x)_ij − [j = label_i], times each row's output gradient
  vjp: (g, [logits, labels]) => [
    logits!.requiresGrad ? mul(unsqueeze(g, 1), sub(softmax(logits!, 1), oneHot(labels!, logits!))) : null,
    null,
  ],
};

/** Rows of `like`'s shape and dtype with a 1 at each row's label. */
function oneHot(labels: Tensor, like: Tensor): Tensor {
  const [n, c] = like.shape as [number, number];
  const values = allocateResult(like.dtype, n * c);
  const label = backend().download(labels.storage);
  for (let i = 0; i < n; i++) values[i * c + label[i]!] = 1;
  return new Tensor(values, [n, c]);
}

/**
 * Cross-entropy of each row of logits [N, C] against an int32 class label [N]: the vector
 * −log softmax(logits)[i, labels[i]], [N], without reduction (loss.crossEntropy takes the mean).
 * Its derivative is softmax(logits) − onehot(labels), row by row.
 *
 * @example
 * softmaxCrossEntropy(tensor([[2, 0, 0]]), tensor([0], { dtype: "int32" })) // [log(e² + 2) − 2] ≈ [0.2395]
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  checkTensor("softmaxCrossEntropy", "logits", logits);
  checkTensor("softmaxCrossEntropy", "labels", labels);
  const x = asFloat(logits);
  if (x.ndim !== 2 || labels.dtype !== "int32" || labels.ndim !== 1 || labels.shape[0] !== x.shape[0]) {
    throw new Error(
      `softmaxCrossEntropy: expected logits [N, C] and int32 labels [N], got ${formatShape(logits.shape)} and ${labels.dtype} ${formatShape(labels.shape)}`,
    );
  }
  const classes = x.shape[1]!;
  const values = backend().download(labels.storage);
  for (let i = 0; i < values.length; i++) {
    const label = values[i]!;
    if (!(label >= 0 && label < classes)) {
      throw new Error(
        `softmaxCrossEntropy: label ${label} of row ${i} is not a class index in [0, ${classes})`,
      );
    }
  }
  return apply(softmaxCrossEntropyOp, [x, labels], null);
}

export interface SquaredErrorAttrs {
  /** The sum of squares is multiplied by this (1/N for a mean, ½ for the quadratic cost's ½). */
  readonly scale: number;
}

/** scale·Σ (pred − target)² as a 0-d tensor. Inputs [pred, target] of one shape and dtype. */
export const squaredErrorOp: OpDef<SquaredErrorAttrs> = {
  name: "squaredError",
  forward([pred, target], { scale }) {
    const kernels = backend();
    const dtype = pred!.dtype;
    const n = pred!.size;
    const diff = allocateResult(dtype, n);
    kernels.binary("sub", pred!.storage, [1], target!.storage, [1], diff, [n]);
    const squares = allocateResult(dtype, n);
    kernels.binary("mul", diff, [1], diff, [1], squares, [n]);
    const total = allocateResult(dtype, 1);
    kernels.reduce("sum", squares, [n], [0], total);
    const out = allocateResult(dtype, 1);
    out[0] = total[0]! * scale;
    return new Tensor(out, []);
  },
  // d/dpred = 2·scale·(pred − target)·g, d/dtarget = its negative
  vjp(g, [pred, target], _output, attrs) {
    const slope = apply(squaredErrorGradOp, [pred!, target!, g], attrs);
    return [pred!.requiresGrad ? slope : null, target!.requiresGrad ? neg(slope) : null];
  },
};

/**
 * The derivative of squaredError in pred, 2·scale·g·(pred − target), as one op: inputs [pred,
 * target, g] with g the 0-d gradient of the loss. (As a composite it records three ops and makes
 * a scalar tensor at every step.) Its own rule is linear in each input.
 */
export const squaredErrorGradOp: OpDef<SquaredErrorAttrs> = {
  name: "squaredErrorGrad",
  forward([pred, target, g], { scale }) {
    const kernels = backend();
    const dtype = pred!.dtype;
    const n = pred!.size;
    const diff = allocateResult(dtype, n);
    kernels.binary("sub", pred!.storage, [1], target!.storage, [1], diff, [n]);
    const factor = allocateResult(dtype, 1);
    factor[0] = 2 * scale * kernels.download(g!.storage)[0]!;
    const out = allocateResult(dtype, n);
    kernels.binary("mul", diff, [1], factor, [0], out, [n]);
    return new Tensor(out, pred!.shape);
  },
  // with h the gradient of the result: d/dpred = 2·scale·g·h, d/dtarget = −that, d/dg = 2·scale·Σ h·(pred − target)
  vjp(h, [pred, target, g], _output, { scale }) {
    const dPred = pred!.requiresGrad || target!.requiresGrad ? mul(h, mul(g!, 2 * scale)) : null;
    return [
      pred!.requiresGrad ? dPred : null,
      target!.requiresGrad ? neg(dPred!) : null,
      g!.requiresGrad ? mul(sum(mul(h, sub(pred!, target!))), 2 * scale) : null,
    ];
  },
};

/** 2·scale·g·(pred − target): the gradient of squaredError(pred, target, scale) in pred, for the loss's gradient g (0-d). */
export function squaredErrorGrad(pred: Tensor, target: Tensor, g: Tensor, scale: number): Tensor {
  checkTensor("squaredErrorGrad", "pred", pred);
  checkTensor("squaredErrorGrad", "target", target);
  checkTensor("squaredErrorGrad", "g", g);
  return apply(squaredErrorGradOp, [pred, target, g], { scale });
}

/**
 * scale·Σ (pred − target)² in one op (one derivative rule: 2·scale·(pred − target)), the sum
 * behind the mean squared error (scale 1/N) and the quadratic cost (scale 1/(2N)).
 * pred and target must have the same shape.
 *
 * @example squaredError(tensor([1, 2]), tensor([0, 0]), 0.5) // ½(1 + 4) = 2.5
 */
export function squaredError(pred: Tensor, target: Tensor, scale = 1): Tensor {
  checkTensor("squaredError", "pred", pred);
  checkTensor("squaredError", "target", target);
  const [p, t] = promotePair(asFloat(pred), asFloat(target));
  if (p.ndim !== t.ndim || p.shape.some((d, i) => d !== t.shape[i])) {
    throw new Error(
      `squaredError: pred ${formatShape(pred.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
  return apply(squaredErrorOp, [p, t], { scale });
}
