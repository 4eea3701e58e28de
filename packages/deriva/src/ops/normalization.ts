/**
 * Batch normalization in training mode (the batch's own statistics) as one op. Written with ops,
 * it takes a dozen full-size elementwise ops and broadcasts forward and more backward; here the
 * forward pass and the first-order backward pass are one kernel each. Differentiating it again
 * (a backward pass that records its graph) runs the same backward formula written with ops, so
 * it still differentiates to any order.
 */
import type { BatchNormParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import { checkTensor } from "../tensor/arguments.js";
import type { DType, FloatArray } from "../tensor/dtype.js";
import { isGradEnabled } from "../tensor/grad-mode.js";
import { formatShape } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { asFloat, castTo } from "./convert.js";
import { div, mul, sqrt, sub } from "./elementwise.js";
import { apply, type OpDef } from "./op.js";
import { mean, sum } from "./reduce.js";
import { reshape } from "./shape.js";

/** What batchNormOp carries from its forward pass to its backward pass. */
export interface BatchNormAttrs {
  /** The layout [n, c, spatial] and eps. */
  readonly params: BatchNormParams;
  /** The per-channel batch mean, [C]: written by the forward kernel, read by the backward one. */
  readonly mean: FloatArray;
  /** The per-channel biased batch variance, [C]: written by the forward kernel, read by the backward one. */
  readonly variance: FloatArray;
}

/** (x − mean) / √(variance + eps) · weight + bias per channel of x [N, C, ...], from the batch's statistics. */
export const batchNormOp: OpDef<BatchNormAttrs> = {
  name: "batchNorm",
  forward([x, weight, bias], attrs) {
    const out = allocateResult(x!.dtype, x!.size) as FloatArray;
    backend().batchNorm(
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      bias!.storage as FloatArray,
      out,
      attrs.mean,
      attrs.variance,
      attrs.params,
    );
    return new Tensor(out, x!.shape);
  },
  vjp(g, [x, weight], _output, attrs) {
    if (isGradEnabled()) return batchNormVjpInOps(g, x!, weight!, attrs.params.eps);
    return batchNormGradients(x!, attrs.params.c, (dx, dWeight, dBias) =>
      backend().batchNormBackward(
        g.storage as FloatArray,
        x!.storage as FloatArray,
        weight!.storage as FloatArray,
        attrs.mean,
        attrs.variance,
        dx,
        dWeight,
        dBias,
        attrs.params,
      ),
    );
  },
};

/**
 * [dx, dWeight, dBias] for x [N, C, ...], from a backend call that writes them into the fresh
 * arrays it is given.
 */
export function batchNormGradients(
  x: Tensor,
  c: number,
  write: (dx: FloatArray, dWeight: FloatArray, dBias: FloatArray) => void,
): Tensor[] {
  const dx = allocateResult(x.dtype, x.size) as FloatArray;
  const dWeight = allocateResult(x.dtype, c) as FloatArray;
  const dBias = allocateResult(x.dtype, c) as FloatArray;
  write(dx, dWeight, dBias);
  return [new Tensor(dx, x.shape), new Tensor(dWeight, [c]), new Tensor(dBias, [c])];
}

/**
 * The backward kernel's formula written with ops, for a backward pass that records its graph
 * (a second derivative): with x̂ = (x − μ)/σ over the batch, dBias = Σ g, dWeight = Σ g·x̂,
 * dx = weight/σ · (g − dBias/M − x̂·dWeight/M), where μ and σ are recomputed from x so that
 * their own dependence on x is differentiated too.
 */
export function batchNormVjpInOps(g: Tensor, x: Tensor, weight: Tensor, eps: number): Tensor[] {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const channel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const count = x.size / x.shape[1]!;
  const centered = sub(x, mean(x, axes, true));
  const std = sqrt(mean(mul(centered, centered), axes, true).add(eps));
  const normalized = div(centered, std);
  const dBias = sum(g, axes);
  const dWeight = sum(mul(g, normalized), axes);
  const inner = sub(
    sub(g, div(reshape(dBias, channel), count)),
    mul(normalized, div(reshape(dWeight, channel), count)),
  );
  return [mul(div(reshape(weight, channel), std), inner), dWeight, dBias];
}

/** What batchNorm returns: the normalized output, and the batch's statistics for running averages. */
export interface BatchNormResult {
  readonly output: Tensor;
  /** The per-channel batch mean, [C] (not differentiable). */
  readonly mean: Tensor;
  /** The per-channel biased batch variance, [C] (not differentiable). */
  readonly variance: Tensor;
}

/**
 * Training-mode batch normalization of x [N, C, ...] over every axis but 1:
 * (x − mean) / √(variance + eps) · weight + bias with the batch's mean and biased variance, as
 * torch.nn.functional.batch_norm(training=True). weight and bias are [C]; the three tensors are
 * brought to one float dtype. Differentiable to any order in x, weight and bias.
 */
export function batchNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): BatchNormResult {
  const { inputs, attrs } = batchNormInputs("batchNorm", x, weight, bias, eps);
  const output = apply(batchNormOp, inputs, attrs);
  return { output, ...statistics(attrs) };
}

/**
 * batchNorm's checks and conversions: x [N, C, ...], weight [C] and bias [C] brought to one float
 * dtype, and the attributes with room for the statistics. `op` names the caller in errors.
 */
export function batchNormInputs(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  eps: number,
): { inputs: Tensor[]; attrs: BatchNormAttrs } {
  checkTensor(op, "x", x);
  checkTensor(op, "weight", weight);
  checkTensor(op, "bias", bias);
  const [n = 0, c = 0] = x.shape;
  if (x.ndim < 2 || !isVector(weight, c) || !isVector(bias, c)) {
    throw new Error(
      `${op}: expected x [N, C, ...], weight [C] and bias [C], got ${formatShape(x.shape)}, ${formatShape(weight.shape)} and ${formatShape(bias.shape)}`,
    );
  }
  const dtype: DType = [x, weight, bias].some((t) => t.dtype === "float64") ? "float64" : "float32";
  return {
    inputs: [x, weight, bias].map((t) => castTo(asFloat(t), dtype)),
    attrs: {
      params: { n, c, spatial: n * c === 0 ? 0 : x.size / (n * c), eps },
      mean: allocateResult(dtype, c) as FloatArray,
      variance: allocateResult(dtype, c) as FloatArray,
    },
  };
}

/** The batch statistics a forward pass wrote into `attrs`, as tensors. */
export function statistics(attrs: BatchNormAttrs): Pick<BatchNormResult, "mean" | "variance"> {
  const { c } = attrs.params;
  return { mean: new Tensor(attrs.mean, [c]), variance: new Tensor(attrs.variance, [c]) };
}

function isVector(t: Tensor, length: number): boolean {
  return t.ndim === 1 && t.shape[0] === length;
}
