/**
 * 2-D convolution on NCHW by im2col: each image's receptive fields become the columns of a
 * [cIn·kh·kw, outH·outW] matrix, so forward and both backward passes are one matmul per image.
 */
import type { FloatArray } from "../arrays.js";
import type { Conv2dParams, MatmulParams } from "../backend.js";
import { matmul } from "./matmul.js";

const ZERO_OFFSET = new Int32Array(1);

function single(m: number, k: number, n: number, transA: boolean, transB: boolean): MatmulParams {
  return { batch: 1, m, k, n, transA, transB, aOffsets: ZERO_OFFSET, bOffsets: ZERO_OFFSET };
}

/** The im2col index table: for each cols element [row, position], the input element it copies (-1 = padding). */
function patchIndex(p: Conv2dParams): Int32Array {
  const positions = p.outH * p.outW;
  const table = new Int32Array(p.cIn * p.kh * p.kw * positions);
  let t = 0;
  for (let c = 0; c < p.cIn; c++) {
    for (let ki = 0; ki < p.kh; ki++) {
      for (let kj = 0; kj < p.kw; kj++) {
        for (let oh = 0; oh < p.outH; oh++) {
          const ih = oh * p.strideH - p.padH + ki;
          const rowInside = ih >= 0 && ih < p.h;
          for (let ow = 0; ow < p.outW; ow++, t++) {
            const iw = ow * p.strideW - p.padW + kj;
            table[t] = rowInside && iw >= 0 && iw < p.w ? (c * p.h + ih) * p.w + iw : -1;
          }
        }
      }
    }
  }
  return table;
}

function im2col(x: FloatArray, imageBase: number, table: Int32Array, cols: FloatArray): void {
  for (let i = 0; i < table.length; i++) {
    const src = table[i]!;
    cols[i] = src < 0 ? 0 : x[imageBase + src]!;
  }
}

function newLike(x: FloatArray, size: number): FloatArray {
  return x instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
}

export function conv2d(
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  p: Conv2dParams,
): void {
  const kSize = p.cIn * p.kh * p.kw;
  const positions = p.outH * p.outW;
  const table = patchIndex(p);
  const cols = newLike(x, kSize * positions);
  const params = single(p.cOut, kSize, positions, false, false);
  for (let b = 0; b < p.n; b++) {
    im2col(x, b * p.cIn * p.h * p.w, table, cols);
    const o = out.subarray(b * p.cOut * positions, (b + 1) * p.cOut * positions);
    matmul(weight, cols, o, params);
    if (bias) {
      for (let co = 0; co < p.cOut; co++) {
        const bv = bias[co]!;
        for (let i = co * positions; i < (co + 1) * positions; i++) o[i]! += bv;
      }
    }
  }
}

export function conv2dBackwardInput(
  g: FloatArray,
  weight: FloatArray,
  out: FloatArray,
  p: Conv2dParams,
): void {
  const kSize = p.cIn * p.kh * p.kw;
  const positions = p.outH * p.outW;
  const imageSize = p.cIn * p.h * p.w;
  const table = patchIndex(p);
  const cols = newLike(g, kSize * positions);
  const params = single(kSize, p.cOut, positions, true, false);
  out.fill(0);
  for (let b = 0; b < p.n; b++) {
    matmul(weight, g.subarray(b * p.cOut * positions, (b + 1) * p.cOut * positions), cols, params);
    const base = b * imageSize;
    for (let i = 0; i < table.length; i++) {
      const dst = table[i]!;
      if (dst >= 0) out[base + dst]! += cols[i]!;
    }
  }
}

export function conv2dBackwardFilter(x: FloatArray, g: FloatArray, out: FloatArray, p: Conv2dParams): void {
  const kSize = p.cIn * p.kh * p.kw;
  const positions = p.outH * p.outW;
  const table = patchIndex(p);
  const cols = newLike(x, kSize * positions);
  const partial = newLike(x, p.cOut * kSize);
  const params = single(p.cOut, positions, kSize, false, true);
  out.fill(0);
  for (let b = 0; b < p.n; b++) {
    im2col(x, b * p.cIn * p.h * p.w, table, cols);
    matmul(g.subarray(b * p.cOut * positions, (b + 1) * p.cOut * positions), cols, partial, params);
    for (let i = 0; i < partial.length; i++) out[i]! += partial[i]!;
  }
}
