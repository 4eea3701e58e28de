/**
 * Training-mode batch normalization over channels [c0, c1) of x [n, c, spatial], the layout and
 * formulas of the JavaScript reference (src/backend/js/normalization.ts): the statistics in one
 * pass over x − K (K the channel's first element), then the normalization; the backward pass's
 * two sums, then dx. The sums in f64 whatever the storage, two lanes at a time plus a scalar tail
 * per row; the elementwise passes (y, and dx) in the storage's type, four f32 lanes or two f64
 * lanes at a time, from coefficients computed in f64 (as PyTorch's float32 kernels do): results
 * agree with the reference, which computes in f64, to rounding. Channels are independent, so
 * threads split them.
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
    const firstOut = out + <usize>ch * <usize>spatial * S;
    const mV = v128.splat<T>(<T>m), scaleV = v128.splat<T>(<T>scale), biasV = v128.splat<T>(<T>bias);
    for (let i = 0, at: usize = 0; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 16 <= row; k += 16) {
        const y = v128.add<T>(v128.mul<T>(v128.sub<T>(v128.load(first + at + k), mV), scaleV), biasV);
        v128.store(firstOut + at + k, y);
      }
      for (; k < row; k += S) {
        store<T>(firstOut + at + k, (load<T>(first + at + k) - <T>m) * <T>scale + <T>bias);
      }
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
    const mT = v128.splat<T>(<T>m), kV = v128.splat<T>(<T>kk), aV = v128.splat<T>(<T>a), bV = v128.splat<T>(<T>bb);
    for (let i = 0, at = base; i < n; i++, at += stride) {
      let k: usize = 0;
      for (; k + 16 <= row; k += 16) {
        const centered = v128.sub<T>(v128.load(x + at + k), mT);
        const inner = v128.sub<T>(v128.sub<T>(v128.load(g + at + k), aV), v128.mul<T>(centered, bV));
        v128.store(dx + at + k, v128.mul<T>(kV, inner));
      }
      for (; k < row; k += S) {
        const centered = load<T>(x + at + k) - <T>m;
        store<T>(dx + at + k, <T>kk * (load<T>(g + at + k) - <T>a - centered * <T>bb));
      }
    }
  }
}
