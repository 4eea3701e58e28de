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

/**
 * The common case the vector kernels take (maxPool2x2, unpool2x2): f32 2×2 windows with stride 2,
 * no padding, rows at least four windows wide.
 */
// @ts-ignore: decorator
@inline function plain2x2<T>(g: usize): bool {
  return sizeof<T>() == 4 && field(g, P_KH) == 2 && field(g, P_KW) == 2 && field(g, P_SH) == 2 &&
    field(g, P_SW) == 2 && field(g, P_PH) == 0 && field(g, P_PW) == 0 && field(g, P_OW) >= 4;
}

/** out = max of each window, argmax = its flat index into x. */
export function maxPool2d<T>(g: usize, x: usize, out: usize, argmax: usize, plane0: i32, plane1: i32): void {
  if (plain2x2<T>(g)) {
    maxPool2x2(g, x, out, argmax, plane0, plane1);
    return;
  }
  poolWalk<T>(MAX, g, x, out, argmax, plane0, plane1);
}

/** Keeps v (index iv) where it beats best: greater, or the first NaN. */
// @ts-ignore: decorator
@inline function takeLanes(best: v128, v: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
}

/**
 * plain2x2's case, four windows at a time: the even and odd columns of two input rows are the
 * four candidates, met in the reference's order (top-left, top-right, bottom-left,
 * bottom-right), so ties and NaNs resolve the same way. The last four windows of a row whose
 * width is not a multiple of 4 overlap the ones before: computed again, to the same values.
 */
function maxPool2x2(g: usize, x: usize, out: usize, argmax: usize, plane0: i32, plane1: i32): void {
  windows2x2(g, x, out, argmax, plane0, plane1, false);
}

/**
 * The walk maxPool2x2 and unpool2x2 share: each row of windows four at a time, the last four of
 * a row overlapping the ones before where its width is not a multiple of 4. For four windows, o
 * is the first one's index, i its top-left element's, and index the four top-left elements'.
 * Forward: src is x, dst out; backward: src is the pooled gradient, dst dx.
 */
// @ts-ignore: decorator
@inline function windows2x2(
  g: usize, src: usize, dst: usize, argmax: usize, plane0: i32, plane1: i32, backward: bool,
): void {
  const h = field(g, P_H), w = field(g, P_W), outH = field(g, P_OH), outW = field(g, P_OW);
  const lanes4 = i32x4(0, 2, 4, 6);
  for (let plane = plane0; plane < plane1; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      const top = plane * h * w + 2 * oh * w;
      const row = (plane * outH + oh) * outW;
      for (let ow = 0; ow < outW; ow += 4) {
        if (ow + 4 > outW) ow = outW - 4;
        const o = row + ow;
        const i = top + 2 * ow;
        const index = v128.add<i32>(i32x4.splat(i), lanes4);
        if (backward) unpoolFour(src, argmax, dst, o, i, index, w);
        else poolFour(src, dst, argmax, o, i, index, w);
      }
    }
  }
}

/** Four windows' maxima and argmaxes (windows2x2's o, i, index; rows w elements wide). */
// @ts-ignore: decorator
@inline function poolFour(x: usize, out: usize, argmax: usize, o: i32, i: i32, index: v128, w: i32): void {
  const t0 = v128.load(x + (<usize>i << 2)), t1 = v128.load(x + (<usize>i << 2), 16);
  const b0 = v128.load(x + (<usize>(i + w) << 2)), b1 = v128.load(x + (<usize>(i + w) << 2), 16);
  let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
  let at = index;
  let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
  let take = takeLanes(best, v);
  best = v128.bitselect(v, best, take);
  at = v128.bitselect(v128.add<i32>(index, i32x4.splat(1)), at, take);
  v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  take = takeLanes(best, v);
  best = v128.bitselect(v, best, take);
  at = v128.bitselect(v128.add<i32>(index, i32x4.splat(w)), at, take);
  v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  take = takeLanes(best, v);
  best = v128.bitselect(v, best, take);
  at = v128.bitselect(v128.add<i32>(index, i32x4.splat(w + 1)), at, take);
  v128.store(out + (<usize>o << 2), best);
  v128.store(argmax + (<usize>o << 2), at);
}

/** out = mean of each window (padding excluded from the count). */
export function avgPool2d<T>(g: usize, x: usize, out: usize, plane0: i32, plane1: i32): void {
  poolWalk<T>(AVG, g, x, out, 0, plane0, plane1);
}

/** dx (zero-filled by the caller) += each window's share of grad. */
export function avgPool2dBackward<T>(g: usize, grad: usize, dx: usize, plane0: i32, plane1: i32): void {
  poolWalk<T>(AVG_BACKWARD, g, grad, dx, 0, plane0, plane1);
}

/**
 * The transpose of maxPool2d over planes [plane0, plane1): their part of dx is zeroed, then each
 * window's gradient is added at its argmax (maxPool2d's indices, which stay in their plane, so
 * threads given different planes never write the same element).
 */
export function maxPool2dBackward<T>(g: usize, grad: usize, argmax: usize, dx: usize, plane0: i32, plane1: i32): void {
  const S = sizeof<T>();
  if (plain2x2<T>(g)) {
    unpool2x2(g, grad, argmax, dx, plane0, plane1);
    return;
  }
  const planeSize = field(g, P_H) * field(g, P_W), windows = field(g, P_OH) * field(g, P_OW);
  memory.fill(dx + <usize>(plane0 * planeSize) * S, 0, <usize>((plane1 - plane0) * planeSize) * S);
  for (let o = plane0 * windows; o < plane1 * windows; o++) {
    const at = dx + <usize>load<i32>(argmax + (<usize>o << 2)) * S;
    store<T>(at, load<T>(at) + load<T>(grad + <usize>o * S));
  }
}

/** Each window's gradient gv where its argmax `at` is the element `offset` after its top-left one (index), else 0. */
// @ts-ignore: decorator
@inline function gradAt(gv: v128, at: v128, index: v128, offset: i32): v128 {
  return v128.and(gv, i32x4.eq(at, v128.add<i32>(index, i32x4.splat(offset))));
}

/**
 * maxPool2dBackward in plain2x2's case: the windows do not overlap, so each one writes its four elements, the
 * gradient where the argmax is and 0 elsewhere, four windows at a time (the last four of a row
 * overlap the ones before, as in maxPool2x2, and write the same values again). Only the elements
 * no window covers (an odd last row or column) are zeroed first.
 */
function unpool2x2(g: usize, grad: usize, argmax: usize, dx: usize, plane0: i32, plane1: i32): void {
  const h = field(g, P_H), w = field(g, P_W);
  if (h != 2 * field(g, P_OH) || w != 2 * field(g, P_OW)) {
    memory.fill(dx + (<usize>(plane0 * h * w) << 2), 0, <usize>((plane1 - plane0) * h * w) << 2);
  }
  windows2x2(g, grad, dx, argmax, plane0, plane1, true);
}

/** Four windows' elements of dx: the gradient where each argmax is, 0 elsewhere (windows2x2's o, i, index). */
// @ts-ignore: decorator
@inline function unpoolFour(grad: usize, argmax: usize, dx: usize, o: i32, i: i32, index: v128, w: i32): void {
  const gv = v128.load(grad + (<usize>o << 2));
  const at = v128.load(argmax + (<usize>o << 2));
  const tl = gradAt(gv, at, index, 0), tr = gradAt(gv, at, index, 1);
  const bl = gradAt(gv, at, index, w), br = gradAt(gv, at, index, w + 1);
  const t = dx + (<usize>i << 2), b = dx + (<usize>(i + w) << 2);
  v128.store(t, v128.shuffle<f32>(tl, tr, 0, 4, 1, 5));
  v128.store(t, v128.shuffle<f32>(tl, tr, 2, 6, 3, 7), 16);
  v128.store(b, v128.shuffle<f32>(bl, br, 0, 4, 1, 5));
  v128.store(b, v128.shuffle<f32>(bl, br, 2, 6, 3, 7), 16);
}
