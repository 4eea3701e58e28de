/**
 * Training-mode batch normalization followed by max pooling (and a relu) as one op, what every
 * conv–batch-norm–relu–pool block of a CNN runs. Its value is maxPool2d(batchNorm(x)) (relu of it)
 * and its derivatives are that composite's to every order, but the backend computes it in one call each
 * way, so the full-size normalized tensor and its gradient are never handed out (nn.Sequential
 * uses it for a BatchNorm2d followed by a MaxPool2d).
 */
import { backend } from "../backend/registry.js";
import type { FloatArray } from "../tensor/dtype.js";
import { isGradEnabled } from "../tensor/grad-mode.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { type Pair, type PoolingAttrs, poolingAttrs, unpooledGrad } from "./conv.js";
import {
  type BatchNormAttrs,
  type BatchNormResult,
  batchNormGradients,
  batchNormInputs,
  batchNormVjpInOps,
  statistics,
} from "./normalization.js";
import { apply, type OpDef } from "./op.js";

/** What batchNormMaxPool2dOp carries: batch norm's layout and statistics, and the pooling's (PoolingAttrs). */
export interface NormPoolAttrs extends PoolingAttrs {
  readonly norm: BatchNormAttrs;
}

/** maxPool2d(batchNorm(x, weight, bias)), relu of it with `relu`; inputs [x, weight, bias]; `indices` gets the argmax. */
export const batchNormMaxPool2dOp: OpDef<NormPoolAttrs> = {
  name: "batchNormMaxPool2d",
  forward([x, weight, bias], { norm, params, indices, shape, relu }) {
    const out = allocateResult(x!.dtype, indices.length) as FloatArray;
    backend().batchNormMaxPool2d(
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      bias!.storage as FloatArray,
      out,
      indices,
      norm.mean,
      norm.variance,
      norm.params,
      params,
      relu,
    );
    return new Tensor(out, shape);
  },
  vjp(g, [x, weight], output, attrs) {
    const { norm, params, indices } = attrs;
    if (isGradEnabled()) {
      // recording a second derivative: the composite's rules, each differentiable again
      return batchNormVjpInOps(unpooledGrad(g, output, attrs), x!, weight!, norm.params.eps);
    }
    return batchNormGradients(x!, norm.params.c, (dx, dWeight, dBias) =>
      backend().batchNormMaxPool2dBackward(
        g.storage as FloatArray,
        indices,
        x!.storage as FloatArray,
        weight!.storage as FloatArray,
        norm.mean,
        norm.variance,
        dx,
        dWeight,
        dBias,
        norm.params,
        params,
        attrs.relu ? (output.storage as FloatArray) : null,
      ),
    );
  },
};

/**
 * maxPool2d(batchNorm(x, weight, bias, eps).output, kernel, stride, padding) for x [N, C, H, W],
 * relu of it with `relu`, with the batch's statistics (for running averages), in one op: the same
 * values and derivatives to every order as the ops in turn, without the full-size normalized
 * tensor between them. Internal: nn.Sequential reaches it through BatchNorm2d.forwardMaxPooled.
 */
export function batchNormMaxPool2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  eps: number,
  kernel: Pair,
  stride?: Pair,
  relu = false,
): BatchNormResult {
  // errors name the ops the layers run: what the user of nn.BatchNorm2d and nn.MaxPool2d wrote
  const { inputs, attrs: norm } = batchNormInputs("batchNorm", x, weight, bias, eps);
  const pooling = poolingAttrs("maxPool2d", inputs[0]!.shape, kernel, stride, relu);
  const output = apply(batchNormMaxPool2dOp, inputs, { norm, ...pooling });
  return { output, ...statistics(norm) };
}
