/**
 * A convolution followed by max pooling (and a relu, which runs after the pooling: nn/sequential.ts)
 * as one op, the block of a CNN without batch norm. Its value is maxPool2d(conv2d(x)) (relu of
 * it) and its derivatives are that composite's to every order, but the backend
 * computes it in one call each way, so the full-size convolution output and its gradient are
 * never handed out (nn.Sequential uses it for a Conv2d followed by a MaxPool2d).
 */
import { backend } from "../backend/registry.js";
import type { FloatArray } from "../tensor/dtype.js";
import { isGradEnabled } from "../tensor/grad-mode.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import {
  type Conv2dOptions,
  type ConvAttrs,
  conv2dAttrs,
  conv2dOp,
  convParams,
  type Pair,
  type PoolingAttrs,
  poolingAttrs,
  unpooledGrad,
} from "./conv.js";
import { apply, type OpDef } from "./op.js";

/** What conv2dMaxPool2dOp carries: the convolution's attributes and the pooling's (PoolingAttrs). */
export interface ConvPoolAttrs extends PoolingAttrs {
  readonly conv: ConvAttrs;
}

/** maxPool2d(conv2d(x, weight, bias?)), relu of it with `relu`; inputs [x, weight, bias?]; `indices` gets the argmax. */
export const conv2dMaxPool2dOp: OpDef<ConvPoolAttrs> = {
  name: "conv2dMaxPool2d",
  forward([x, weight, bias], { conv, params, indices, shape, relu }) {
    const out = allocateResult(x!.dtype, indices.length) as FloatArray;
    backend().conv2dMaxPool2d(
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      (bias?.storage as FloatArray) ?? null,
      out,
      indices,
      convParams(conv),
      params,
      relu,
    );
    return new Tensor(out, shape);
  },
  vjp(g, inputs, output, attrs) {
    const [x, weight, bias] = inputs;
    if (isGradEnabled()) {
      // recording a second derivative: the composite's rules, each differentiable again
      return conv2dOp.vjp(unpooledGrad(g, output, attrs), inputs, output, attrs.conv);
    }
    const dx = x!.requiresGrad ? (allocateResult(x!.dtype, x!.size) as FloatArray) : null;
    const dWeight = weight!.requiresGrad ? (allocateResult(x!.dtype, weight!.size) as FloatArray) : null;
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
      attrs.relu ? (output.storage as FloatArray) : null,
    );
    return [
      dx && new Tensor(dx, x!.shape),
      dWeight && new Tensor(dWeight, weight!.shape),
      dBias && new Tensor(dBias, bias!.shape),
    ];
  },
};

/**
 * maxPool2d(conv2d(x, weight, bias, options), kernel, stride), relu of it with `relu`, in one op:
 * the same values and derivatives to every order as the ops in turn, without the full-size
 * convolution output between them. Internal: nn.Sequential reaches it through Conv2d.forwardMaxPooled.
 */
export function conv2dMaxPool2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: Conv2dOptions,
  kernel: Pair,
  stride?: Pair,
  relu = false,
): Tensor {
  // errors name the ops the layers run: what the user of nn.Conv2d and nn.MaxPool2d wrote
  const { inputs, attrs: conv } = conv2dAttrs("conv2d", x, weight, bias, options);
  const p = convParams(conv);
  const pooling = poolingAttrs("maxPool2d", [p.n, p.cOut, p.outH, p.outW], kernel, stride, relu);
  return apply(conv2dMaxPool2dOp, inputs, { conv, ...pooling });
}
