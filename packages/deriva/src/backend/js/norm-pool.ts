/**
 * Batch normalization followed by max pooling, as the two kernels in turn with the normalized
 * tensor (and, backward, its gradient) in a temporary array: the reference the WebAssembly
 * backend's single call is tested against.
 */
import { allocate, type FloatArray } from "../arrays.js";
import type { BatchNormParams, Pool2dParams } from "../backend.js";
import { batchNorm, batchNormBackward } from "./normalization.js";
import { maxPool2d, maxPool2dBackward } from "./pool.js";

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
): void {
  const normalized = like(x);
  batchNorm(x, weight, bias, normalized, mean, variance, norm);
  maxPool2d(normalized, out, argmax, pool);
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
): void {
  const gNormalized = like(x);
  maxPool2dBackward(g, argmax, gNormalized, pool);
  batchNormBackward(gNormalized, x, weight, mean, variance, dx, dWeight, dBias, norm);
}
