/**
 * Training-mode batch normalization followed by max pooling as one op, the pair every
 * conv–batch-norm–pool block of a CNN runs. Its value is maxPool2d(batchNorm(x)) and its
 * derivatives are that composite's to every order, but the backend computes it in one call each
 * way, so the full-size normalized tensor and its gradient are never handed out (nn.Sequential
 * uses it for a BatchNorm2d followed by a MaxPool2d).
 */
import type { Pool2dParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import type { FloatArray } from "../tensor/dtype.js";
import { isGradEnabled } from "../tensor/grad-mode.js";
import { sizeOf } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { maxPool2dGradOp, type Pair, poolParams } from "./conv.js";
import {
  type BatchNormAttrs,
  type BatchNormResult,
  batchNormGradients,
  batchNormInputs,
  batchNormVjpInOps,
  statistics,
} from "./normalization.js";
import { apply, type OpDef } from "./op.js";
import type { IndexAttrs } from "./shape.js";

/** What batchNormMaxPool2dOp carries: batch norm's layout and statistics, the pooling's geometry and argmax. */
export interface NormPoolAttrs extends IndexAttrs {
  readonly norm: BatchNormAttrs;
  readonly params: Pool2dParams;
}

/** maxPool2d(batchNorm(x, weight, bias)), inputs [x, weight, bias]; `indices` gets the argmax. */
export const batchNormMaxPool2dOp: OpDef<NormPoolAttrs> = {
  name: "batchNormMaxPool2d",
  forward([x, weight, bias], { norm, params, indices, shape }) {
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
    );
    return new Tensor(out, shape);
  },
  vjp(g, [x, weight], _output, attrs) {
    const { norm, params, indices } = attrs;
    if (isGradEnabled()) {
      // recording a second derivative: the composite's rules, each differentiable again
      const gNormalized = apply(maxPool2dGradOp, [g], attrs);
      return batchNormVjpInOps(gNormalized, x!, weight!, norm.params.eps);
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
      ),
    );
  },
};

/**
 * maxPool2d(batchNorm(x, weight, bias, eps).output, kernel, stride, padding) for x [N, C, H, W],
 * with the batch's statistics (for running averages), in one op: the same values and derivatives
 * to every order as the two ops in turn, without the full-size normalized tensor between them.
 * Internal: nn.Sequential reaches it through BatchNorm2d.forwardMaxPooled.
 */
export function batchNormMaxPool2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  eps: number,
  kernel: Pair,
  stride?: Pair,
  padding?: Pair,
): BatchNormResult {
  const { inputs, attrs: norm } = batchNormInputs("batchNormMaxPool2d", x, weight, bias, eps);
  const params = poolParams("batchNormMaxPool2d", inputs[0]!.shape, kernel, stride, padding);
  const shape = [params.n, params.c, params.outH, params.outW];
  const attrs: NormPoolAttrs = {
    norm,
    params,
    indices: new Int32Array(sizeOf(shape)),
    shape,
    sourceShape: inputs[0]!.shape,
  };
  const output = apply(batchNormMaxPool2dOp, inputs, attrs);
  return { output, ...statistics(norm) };
}
