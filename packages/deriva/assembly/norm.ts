/**
 * Training-mode batch normalization over channels [c0, c1) of x [n, c, spatial], the layout and
 * formulas of the JavaScript reference (src/backend/js/normalization.ts): the statistics in one
 * pass over x − K (K the channel's first element), then the normalization; the backward pass's
 * two sums, then dx. Arithmetic in f64 whatever the storage, two lanes at a time plus a scalar
 * tail per row; the sums' order differs from the reference's, so results agree to rounding.
 * Channels are independent, so threads split them.
 */
import { load2, splat, store2 } from "./simd";

// @ts-ignore: decorator
@inline function sumLanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

export function batchNorm<T>(
  x: usize, w: usize, b: usize, out: usize, mean: usize, variance: usize,
  n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  const S = <usize>sizeof<T>();
  const count = <f64>n * <f64>spatial;
  const stride = <usize>c * <usize>spatial * S;
  const row = <usize>spatial * S;
  for (let ch = c0; ch < c1; ch++) {
    const first = x + <usize>ch * <usize>spatial * S;
    const shift = <f64>load<T>(first);
    const shiftV = splat(shift);
    let sumV = splat(0), squaresV = splat(0);
    let sum: f64 = 0, squares: f64 = 0;
    for (let i = 0, at = first; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 2 * S <= row; k += 2 * S) {
        const d = f64x2.sub(load2<T>(at + k), shiftV);
        sumV = f64x2.add(sumV, d);
        squaresV = f64x2.add(squaresV, f64x2.mul(d, d));
      }
      for (; k < row; k += S) {
        const d = <f64>load<T>(at + k) - shift;
        sum += d;
        squares += d * d;
      }
    }
    const offset = (sum + sumLanes(sumV)) / count;
    // the statistics as stored (rounded to T), so the backward pass sees the same ones
    store<T>(mean + <usize>ch * S, <T>(shift + offset));
    store<T>(variance + <usize>ch * S, <T>max(0, (squares + sumLanes(squaresV)) / count - offset * offset));
    const m = <f64>load<T>(mean + <usize>ch * S);
    const scale = <f64>load<T>(w + <usize>ch * S) / Math.sqrt(<f64>load<T>(variance + <usize>ch * S) + eps);
    const bias = <f64>load<T>(b + <usize>ch * S);
    const mV = splat(m), scaleV = splat(scale), biasV = splat(bias);
    const firstOut = out + <usize>ch * <usize>spatial * S;
    for (let i = 0, at: usize = 0; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 2 * S <= row; k += 2 * S) {
        const y = f64x2.add(f64x2.mul(f64x2.sub(load2<T>(first + at + k), mV), scaleV), biasV);
        store2<T>(firstOut + at + k, y);
      }
      for (; k < row; k += S) store<T>(firstOut + at + k, <T>((<f64>load<T>(first + at + k) - m) * scale + bias));
    }
  }
}

export function batchNormBackward<T>(
  g: usize, x: usize, w: usize, mean: usize, variance: usize, dx: usize, dw: usize, db: usize,
  n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  const S = <usize>sizeof<T>();
  const count = <f64>n * <f64>spatial;
  const stride = <usize>c * <usize>spatial * S;
  const row = <usize>spatial * S;
  for (let ch = c0; ch < c1; ch++) {
    const base = <usize>ch * <usize>spatial * S;
    const m = <f64>load<T>(mean + <usize>ch * S);
    const invStd = 1 / Math.sqrt(<f64>load<T>(variance + <usize>ch * S) + eps);
    const mV = splat(m);
    let sumGV = splat(0), sumGCV = splat(0);
    let sumG: f64 = 0, sumGC: f64 = 0;
    for (let i = 0, at = base; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 2 * S <= row; k += 2 * S) {
        const gv = load2<T>(g + at + k);
        sumGV = f64x2.add(sumGV, gv);
        sumGCV = f64x2.add(sumGCV, f64x2.mul(gv, f64x2.sub(load2<T>(x + at + k), mV)));
      }
      for (; k < row; k += S) {
        const gk = <f64>load<T>(g + at + k);
        sumG += gk;
        sumGC += gk * (<f64>load<T>(x + at + k) - m);
      }
    }
    sumG += sumLanes(sumGV);
    sumGC += sumLanes(sumGCV);
    store<T>(db + <usize>ch * S, <T>sumG);
    store<T>(dw + <usize>ch * S, <T>(sumGC * invStd));
    // dx = k·(g − a − (x − m)·b), as in the reference
    const kk = <f64>load<T>(w + <usize>ch * S) * invStd;
    const a = sumG / count;
    const bb = (sumGC * invStd * invStd) / count;
    const kV = splat(kk), aV = splat(a), bV = splat(bb);
    for (let i = 0, at = base; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 2 * S <= row; k += 2 * S) {
        const centered = f64x2.sub(load2<T>(x + at + k), mV);
        const inner = f64x2.sub(f64x2.sub(load2<T>(g + at + k), aV), f64x2.mul(centered, bV));
        store2<T>(dx + at + k, f64x2.mul(kV, inner));
      }
      for (; k < row; k += S) {
        const centered = <f64>load<T>(x + at + k) - m;
        store<T>(dx + at + k, <T>(kk * (<f64>load<T>(g + at + k) - a - centered * bb)));
      }
    }
  }
}
