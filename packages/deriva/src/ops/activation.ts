/** Activations built from primitives (sigmoid, tanh, relu and softplus are primitives in elementwise.ts). */

import { checkTensorLike, describeValue } from "../tensor/arguments.js";
import { normalizeAxis } from "../tensor/shape.js";
import type { Tensor, TensorLike } from "../tensor/tensor.js";
import { asFloat } from "./convert.js";
import { add, erf, exp, gt, mul, sub, where } from "./elementwise.js";
import { shiftedLogSumExp } from "./reduce.js";

/** x for x > 0, slope·x otherwise. */
export function leakyRelu(x: TensorLike, slope = 0.01): Tensor {
  checkTensorLike("leakyRelu", x);
  if (typeof slope !== "number")
    throw new Error(`leakyRelu: slope must be a number, got ${describeValue(slope)}`);
  const t = asFloat(x);
  return where(gt(t, 0), t, mul(t, slope));
}

/** GELU, the exact form PyTorch uses by default: x·Φ(x) = ½·x·(1 + erf(x/√2)). */
export function gelu(x: TensorLike): Tensor {
  checkTensorLike("gelu", x);
  const t = asFloat(x);
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

function logSoftmaxAlong(op: string, x: TensorLike, axis: number): Tensor {
  checkTensorLike(op, x);
  const t = asFloat(x);
  const { shifted, logSum } = shiftedLogSumExp(t, [normalizeAxis(op, axis, t.ndim)]);
  return sub(shifted, logSum);
}

/**
 * log softmax(x) = x − log Σ exp(x) along `axis`, computed as (x − m) − log Σ exp(x − m) with m the
 * maximum: exact for any logits. Same shape as x. Example: logSoftmax(tensor([0, 0])) → [−ln 2, −ln 2].
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return logSoftmaxAlong("logSoftmax", x, axis);
}

/**
 * softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along `axis` (each slice sums to 1), computed as
 * exp(logSoftmax) so it never overflows. Example: softmax(tensor([1, 1])) → [0.5, 0.5].
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return exp(logSoftmaxAlong("softmax", x, axis));
}
