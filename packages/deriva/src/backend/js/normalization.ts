/**
 * Batch normalization as two kernels (the training-mode forward and its backward), each a few
 * passes over one channel at a time, instead of the dozen full-size elementwise ops and
 * broadcasts the formula takes when written with ops. Sums run in doubles whatever the storage.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams } from "../backend.js";

/**
 * Writes channel ch's mean and biased variance over x [n, c, spatial] in one pass, summing x − K
 * and (x − K)² with K the channel's first element: shifted by a value of the data, the sums do not
 * cancel catastrophically when the mean is large against the spread.
 */
function channelMoments(
  x: FloatArray,
  ch: number,
  p: BatchNormParams,
  mean: FloatArray,
  variance: FloatArray,
): void {
  const { n, spatial } = p;
  const stride = p.c * spatial;
  const count = n * spatial;
  const shift = x[ch * spatial]!;
  let sum = 0;
  let squares = 0;
  for (let i = 0, base = ch * spatial; i < n; i++, base += stride) {
    const end = base + spatial;
    for (let k = base; k < end; k++) {
      const d = x[k]! - shift;
      sum += d;
      squares += d * d;
    }
  }
  const offset = sum / count;
  mean[ch] = shift + offset;
  variance[ch] = Math.max(0, squares / count - offset * offset);
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
  const stride = c * spatial;
  for (let ch = 0; ch < c; ch++) {
    channelMoments(x, ch, p, mean, variance);
    // the statistics as stored (rounded to the dtype), so the backward pass sees the same ones
    const m = mean[ch]!;
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
