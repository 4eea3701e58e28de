/**
 * Batch normalization as two kernels (the training-mode forward and its backward), each a few
 * passes over one channel at a time, instead of the dozen full-size elementwise ops and
 * broadcasts the formula takes when written with ops. Sums run in doubles whatever the storage.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams } from "../backend.js";

/** Σ over channel ch of x [n, c, spatial] of f(x[i]) (f the identity, or the square of x − shift). */
function channelSum(x: FloatArray, ch: number, p: BatchNormParams, shift: number | null): number {
  const { n, spatial } = p;
  const stride = p.c * spatial;
  let total = 0;
  for (let i = 0, base = ch * spatial; i < n; i++, base += stride) {
    const end = base + spatial;
    if (shift === null) for (let k = base; k < end; k++) total += x[k]!;
    else
      for (let k = base; k < end; k++) {
        const d = x[k]! - shift;
        total += d * d;
      }
  }
  return total;
}

export function batchNorm(
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray,
  out: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  p: BatchNormParams,
): void {
  const { n, c, spatial, eps } = p;
  const count = n * spatial;
  const stride = c * spatial;
  for (let ch = 0; ch < c; ch++) {
    // the statistics as stored (rounded to the dtype), so the backward pass sees the same ones
    mean[ch] = channelSum(x, ch, p, null) / count;
    const m = mean[ch]!;
    variance[ch] = channelSum(x, ch, p, m) / count;
    const scale = weight[ch]! / Math.sqrt(variance[ch]! + eps);
    const b = bias[ch]!;
    for (let i = 0, base = ch * spatial; i < n; i++, base += stride) {
      const end = base + spatial;
      for (let k = base; k < end; k++) out[k] = (x[k]! - m) * scale + b;
    }
  }
}

export function batchNormBackward(
  g: FloatArray,
  x: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  dx: FloatArray,
  dWeight: FloatArray,
  dBias: FloatArray,
  p: BatchNormParams,
): void {
  const { n, c, spatial, eps } = p;
  const count = n * spatial;
  const stride = c * spatial;
  for (let ch = 0; ch < c; ch++) {
    const m = mean[ch]!;
    const invStd = 1 / Math.sqrt(variance[ch]! + eps);
    let sumG = 0;
    let sumGCentered = 0;
    for (let i = 0, base = ch * spatial; i < n; i++, base += stride) {
      const end = base + spatial;
      for (let k = base; k < end; k++) {
        const gk = g[k]!;
        sumG += gk;
        sumGCentered += gk * (x[k]! - m);
      }
    }
    dBias[ch] = sumG;
    dWeight[ch] = sumGCentered * invStd;
    // dx = k·(g − a − (x − m)·b), with x̂ = (x − m)·invStd folded into b
    const k = weight[ch]! * invStd;
    const a = sumG / count;
    const b = (sumGCentered * invStd * invStd) / count;
    for (let i = 0, base = ch * spatial; i < n; i++, base += stride) {
      const end = base + spatial;
      for (let j = base; j < end; j++) dx[j] = k * (g[j]! - a - (x[j]! - m) * b);
    }
  }
}
