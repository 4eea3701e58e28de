/**
 * Batch normalization followed by max pooling (and a relu), as the kernels in turn with the normalized
 * tensor (and, backward, its gradient) in a temporary array: the reference the WebAssembly
 * backend's single call is tested against.
 */
import { allocate, type FloatArray } from "../arrays.js";
import type { BatchNormParams, Pool2dParams } from "../backend.js";
import { unary } from "./elementwise.js";
import { batchNorm, batchNormBackward } from "./normalization.js";
import { maxPool2d, maxPool2dBackward, throughRelu } from "./pool.js";

/** A zero-filled array of x's type and length. */
function like(x: FloatArray): FloatArray {
  return allocate(x instanceof Float64Array ? "float64" : "float32", x.length) as FloatArray;
}

export function batchNormMaxPool2d(
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
  mean: FloatArray,
  variance: FloatArray,
  norm: BatchNormParams,
  pool: Pool2dParams,
  relu: boolean,
): void {
  const normalized = like(x);
  batchNorm(x, weight, bias, normalized, mean, variance, norm);
  maxPool2d(normalized, out, argmax, pool);
  if (relu) unary("relu", out, out);
}

export function batchNormMaxPool2dBackward(
  g: FloatArray,
  argmax: Int32Array,
  x: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  dx: FloatArray,
  dWeight: FloatArray,
  dBias: FloatArray,
  norm: BatchNormParams,
  pool: Pool2dParams,
  reluOutput: FloatArray | null,
): void {
  const gNormalized = like(x);
  maxPool2dBackward(throughRelu(g, reluOutput), argmax, gNormalized, pool);
  batchNormBackward(gNormalized, x, weight, mean, variance, dx, dWeight, dBias, norm);
}
