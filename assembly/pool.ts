/** Max and average pooling on NCHW over a range of planes (image × channel), one window at a time. */
import { P_H, P_KH, P_KW, P_OH, P_OW, P_PH, P_PW, P_SH, P_SW, P_W, field } from "./geometry";

const MAX = 0, AVG = 1, AVG_BACKWARD = 2;

/**
 * One loop over the output windows of planes [plane0, plane1), clipped to the input, doing
 * `mode`'s work per window. Inlined with a constant mode, so each pooling op gets its own loop.
 * src is x (MAX, AVG) or the output gradient (AVG_BACKWARD); dst is out or the input gradient.
 */
// @ts-ignore: decorator
@inline function poolWalk<T>(mode: i32, g: usize, src: usize, dst: usize, argmax: usize, plane0: i32, plane1: i32): void {
  const S = sizeof<T>();
  const h = field(g, P_H), w = field(g, P_W), kh = field(g, P_KH), kw = field(g, P_KW);
  const sh = field(g, P_SH), sw = field(g, P_SW), ph = field(g, P_PH), pw = field(g, P_PW);
  const outH = field(g, P_OH), outW = field(g, P_OW);
  let o = plane0 * outH * outW;
  for (let plane = plane0; plane < plane1; plane++) {
    const planeBase = plane * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * sh - ph;
      const h0 = max(hs, 0), h1 = min(hs + kh, h);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * sw - pw;
        const w0 = max(ws, 0), w1 = min(ws + kw, w);
        if (mode == MAX) {
          // the first maximum wins; the first NaN wins outright (as in the reference). Branch-free:
          // on real data "v > best" is a coin flip, and mispredicted branches cost more than the work.
          let best = <T>-Infinity;
          let bestIndex = planeBase + h0 * w + w0;
          for (let ih = h0; ih < h1; ih++) {
            let i = planeBase + ih * w + w0;
            for (let iw = w0; iw < w1; iw++, i++) {
              const v = load<T>(src + <usize>i * S);
              const take = (v > best) | ((v != v) & (best == best));
              best = select<T>(v, best, take);
              bestIndex = select<i32>(i, bestIndex, take);
            }
          }
          store<T>(dst + <usize>o * S, best);
          store<i32>(argmax + (<usize>o << 2), bestIndex);
        } else if (mode == AVG) {
          let sum: f64 = 0;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) sum += <f64>load<T>(src + <usize>(planeBase + ih * w + iw) * S);
          }
          store<T>(dst + <usize>o * S, <T>(sum / <f64>((h1 - h0) * (w1 - w0))));
        } else {
          const share = <f64>load<T>(src + <usize>o * S) / <f64>((h1 - h0) * (w1 - w0));
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const p = dst + <usize>(planeBase + ih * w + iw) * S;
              store<T>(p, <T>(<f64>load<T>(p) + share));
            }
          }
        }
      }
    }
  }
}

/** out = max of each window, argmax = its flat index into x. */
export function maxPool2d<T>(g: usize, x: usize, out: usize, argmax: usize, plane0: i32, plane1: i32): void {
  poolWalk<T>(MAX, g, x, out, argmax, plane0, plane1);
}

/** out = mean of each window (padding excluded from the count). */
export function avgPool2d<T>(g: usize, x: usize, out: usize, plane0: i32, plane1: i32): void {
  poolWalk<T>(AVG, g, x, out, 0, plane0, plane1);
}

/** dx (zero-filled by the caller) += each window's share of grad. */
export function avgPool2dBackward<T>(g: usize, grad: usize, dx: usize, plane0: i32, plane1: i32): void {
  poolWalk<T>(AVG_BACKWARD, g, grad, dx, 0, plane0, plane1);
}
