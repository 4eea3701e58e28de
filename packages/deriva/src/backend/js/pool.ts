/** Max and average pooling on NCHW, one window at a time. */

import type { FloatArray } from "../arrays.js";
import type { Pool2dParams } from "../backend.js";
import { unaryGrad } from "./elementwise.js";
import { scatterAdd } from "./movement.js";

/** Calls visit(planeBase, outIndex, h0, h1, w0, w1) for every output window, clipped to the input. */
function forEachWindow(
  p: Pool2dParams,
  visit: (planeBase: number, outIndex: number, h0: number, h1: number, w0: number, w1: number) => void,
): void {
  let outIndex = 0;
  for (let plane = 0; plane < p.n * p.c; plane++) {
    const planeBase = plane * p.h * p.w;
    for (let oh = 0; oh < p.outH; oh++) {
      const hStart = oh * p.strideH - p.padH;
      const h0 = Math.max(hStart, 0);
      const h1 = Math.min(hStart + p.kh, p.h);
      for (let ow = 0; ow < p.outW; ow++, outIndex++) {
        const wStart = ow * p.strideW - p.padW;
        visit(planeBase, outIndex, h0, h1, Math.max(wStart, 0), Math.min(wStart + p.kw, p.w));
      }
    }
  }
}

export function maxPool2d(x: FloatArray, out: FloatArray, argmax: Int32Array, p: Pool2dParams): void {
  forEachWindow(p, (planeBase, o, h0, h1, w0, w1) => {
    let best = -Infinity;
    let bestIndex = planeBase + h0 * p.w + w0;
    for (let ih = h0; ih < h1; ih++) {
      for (let iw = w0; iw < w1; iw++) {
        const i = planeBase + ih * p.w + iw;
        const v = x[i]!;
        if (v > best || Number.isNaN(v)) {
          best = v;
          bestIndex = i;
          if (Number.isNaN(v)) break;
        }
      }
    }
    out[o] = best;
    argmax[o] = bestIndex;
  });
}

export function avgPool2d(x: FloatArray, out: FloatArray, p: Pool2dParams): void {
  forEachWindow(p, (planeBase, o, h0, h1, w0, w1) => {
    let sum = 0;
    for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) sum += x[planeBase + ih * p.w + iw]!;
    out[o] = sum / ((h1 - h0) * (w1 - w0));
  });
}

export function avgPool2dBackward(g: FloatArray, out: FloatArray, p: Pool2dParams): void {
  forEachWindow(p, (planeBase, o, h0, h1, w0, w1) => {
    const share = g[o]! / ((h1 - h0) * (w1 - w0));
    for (let ih = h0; ih < h1; ih++)
      for (let iw = w0; iw < w1; iw++) out[planeBase + ih * p.w + iw]! += share;
  });
}

/** The transpose of maxPool2d: g added at each window's argmax (a scatter-add; params unused). */
export function maxPool2dBackward(
  g: FloatArray,
  argmax: Int32Array,
  out: FloatArray,
  _p: Pool2dParams,
): void {
  scatterAdd(g, argmax, out);
}

/**
 * g as it passes back through a relu whose output was `reluOutput` (g where it is > 0, else 0,
 * in a new array), or g itself when there was none: the fused pooling ops' backward passes.
 */
export function throughRelu(g: FloatArray, reluOutput: FloatArray | null): FloatArray {
  if (!reluOutput) return g;
  const masked = g instanceof Float64Array ? new Float64Array(g.length) : new Float32Array(g.length);
  unaryGrad("relu", g, reluOutput, masked);
  return masked;
}
