/**
 * A convolution followed by max pooling as one op, the pair a CNN without batch norm runs in
 * every block (a ReLU between them runs after the pooling: nn/sequential.ts). Its value is
 * maxPool2d(conv2d(x)) and its derivatives are that composite's to every order, but the backend
 * computes it in one call each way, so the full-size convolution output and its gradient are
 * never handed out (nn.Sequential uses it for a Conv2d followed by a MaxPool2d).
 */
import type { Pool2dParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import type { FloatArray } from "../tensor/dtype.js";
import { isGradEnabled } from "../tensor/grad-mode.js";
import { sizeOf } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import {
  type Conv2dOptions,
  type ConvAttrs,
  conv2dAttrs,
  conv2dOp,
  convParams,
  maxPool2dGradOp,
  type Pair,
  poolParams,
} from "./conv.js";
import { apply, type OpDef } from "./op.js";
import type { IndexAttrs } from "./shape.js";

/** What conv2dMaxPool2dOp carries: the convolution's attributes, the pooling's geometry and argmax. */
export interface ConvPoolAttrs extends IndexAttrs {
  readonly conv: ConvAttrs;
  readonly params: Pool2dParams;
}

/** maxPool2d(conv2d(x, weight, bias?)), inputs [x, weight, bias?]; `indices` gets the argmax. */
export const conv2dMaxPool2dOp: OpDef<ConvPoolAttrs> = {
  name: "conv2dMaxPool2d",
  forward([x, weight, bias], { conv, params, indices, shape }) {
    const out = allocateResult(x!.dtype, indices.length) as FloatArray;
    backend().conv2dMaxPool2d(
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      (bias?.storage as FloatArray) ?? null,
      out,
      indices,
      convParams(conv),
      params,
    );
    return new Tensor(out, shape);
  },
  vjp(g, inputs, _output, attrs) {
    const [x, weight, bias] = inputs;
    if (isGradEnabled()) {
      // recording a second derivative: the composite's rules, each differentiable again
      return conv2dOp.vjp(apply(maxPool2dGradOp, [g], attrs), inputs, _output, attrs.conv);
    }
    const dx = x!.requiresGrad ? (allocateResult(x!.dtype, x!.size) as FloatArray) : null;
    const dWeight = allocateResult(x!.dtype, weight!.size) as FloatArray;
    const dBias = bias?.requiresGrad ? (allocateResult(x!.dtype, bias.size) as FloatArray) : null;
    backend().conv2dMaxPool2dBackward(
      g.storage as FloatArray,
      attrs.indices,
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      dx,
      dWeight,
      dBias,
      convParams(attrs.conv),
      attrs.params,
    );
    return [
      dx && new Tensor(dx, x!.shape),
      weight!.requiresGrad ? new Tensor(dWeight, weight!.shape) : null,
      dBias && new Tensor(dBias, bias!.shape),
    ];
  },
};

/**
 * maxPool2d(conv2d(x, weight, bias, options), kernel, stride) in one op: the same values and
 * derivatives to every order as the two ops in turn, without the full-size convolution output
 * between them. Internal: nn.Sequential reaches it through Conv2d.forwardMaxPooled.
 */
export function conv2dMaxPool2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: Conv2dOptions,
  kernel: Pair,
  stride?: Pair,
): Tensor {
  const { inputs, attrs: conv } = conv2dAttrs("conv2dMaxPool2d", x, weight, bias, options);
  const p = convParams(conv);
  const convolved = [p.n, p.cOut, p.outH, p.outW];
  const params = poolParams("conv2dMaxPool2d", convolved, kernel, stride, undefined);
  const shape = [params.n, params.c, params.outH, params.outW];
  const attrs: ConvPoolAttrs = {
    conv,
    params,
    indices: new Int32Array(sizeOf(shape)),
    shape,
    sourceShape: convolved,
  };
  return apply(conv2dMaxPool2dOp, inputs, attrs);
}
