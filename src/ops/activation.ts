/** Activations built from primitives (sigmoid, tanh, relu and softplus are primitives in elementwise.ts). */

import { normalizeAxis } from "../tensor/shape.js";
import type { Tensor, TensorLike } from "../tensor/tensor.js";
import { asFloat } from "./convert.js";
import { add, erf, exp, gt, mul, sub, where } from "./elementwise.js";
import { shiftedLogSumExp } from "./reduce.js";

/** x for x > 0, slope·x otherwise. */
export function leakyRelu(x: TensorLike, slope = 0.01): Tensor {
  const t = asFloat(x);
  return where(gt(t, 0), t, mul(t, slope));
}

/** GELU, the exact form PyTorch uses by default: x·Φ(x) = ½·x·(1 + erf(x/√2)). */
export function gelu(x: TensorLike): Tensor {
  const t = asFloat(x);
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/** log softmax(x) = x − logΣexp(x) along `axis`, computed as (x − max) − logΣexp(x − max): stable for any logits. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = asFloat(x);
  const { shifted, logSum } = shiftedLogSumExp(t, [normalizeAxis("logSoftmax", axis, t.ndim)]);
  return sub(shifted, logSum);
}

/** softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along `axis`, computed as exp(logSoftmax) so it never overflows. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
