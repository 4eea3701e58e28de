/**
 * 2-D convolution on NCHW through im2col: an image's receptive fields become the columns of a
 * [cIn·kh·kw, outH·outW] matrix, so the forward pass and both backward passes are GEMMs.
 * Each entry point covers a range of images (or a block of the filter gradient), so the loader can
 * hand the ranges to different threads; every output element is computed the same way whatever
 * the split.
 */
import { gemm, gemmScratchBytes, MR, nr } from "./gemm";
import { fillSpan, lanes } from "./simd";
import {
  transformFilters, winogradFilterGrad, winogradFits, winogradImages, winogradInputs, winogradInputsBytes,
  winogradPlaneBytes, winogradScratchBytes,
} from "./winograd";
import {
  C_CIN, C_COUT, C_H, C_KH, C_KW, C_N, C_OH, C_OW, C_PH, C_PW, C_SH, C_SW, C_W, field,
} from "./geometry";

/** Rows of the im2col matrix (cIn·kh·kw). */
// @ts-ignore: decorator
@inline function patchRows(g: usize): i32 {
  return field(g, C_CIN) * field(g, C_KH) * field(g, C_KW);
}

/** Output positions per image (outH·outW). */
// @ts-ignore: decorator
@inline function positions(g: usize): i32 {
  return field(g, C_OH) * field(g, C_OW);
}

/** Whether im2col is the identity (1×1 kernel, stride 1, no padding): the image is its own matrix. */
// @ts-ignore: decorator
@inline function isPointwise(g: usize): bool {
  return field(g, C_KH) == 1 && field(g, C_KW) == 1 && field(g, C_SH) == 1 && field(g, C_SW) == 1 &&
    field(g, C_PH) == 0 && field(g, C_PW) == 0;
}

/**
 * The im2col walk over one image, for rows [row0, row1) of the cols matrix: row r is tap
 * (c, ki, kj) of the receptive fields, and for each output row oh the input columns
 * iw = ow·sw − pw + kj inside [0, w) are the output columns [ow0, ow1); the rest is padding.
 * Row r of cols starts at cols + (r − row0)·ld elements. `scatter` false: cols = im2col(x)
 * (padding written as 0); true: x += col2im(cols), the transpose (overlapping windows add up).
 * Inlined with a constant `scatter`, so each use compiles to its own loop.
 */
// @ts-ignore: decorator
@inline function patchWalk<T>(g: usize, x: usize, cols: usize, ld: i32, row0: i32, row1: i32, scatter: bool): void {
  const S = sizeof<T>();
  const h = field(g, C_H), w = field(g, C_W);
  const kh = field(g, C_KH), kw = field(g, C_KW);
  const sh = field(g, C_SH), sw = field(g, C_SW), ph = field(g, C_PH), pw = field(g, C_PW);
  const outH = field(g, C_OH), outW = field(g, C_OW);
  const c0 = row0 / (kh * kw), c1 = (row1 + kh * kw - 1) / (kh * kw);
  for (let c = c0; c < c1; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        // the triple loop (not r's quotient and remainders per row) keeps the forward pass's speed
        const r = (c * kh + ki) * kw + kj;
        if (r < row0 || r >= row1) continue;
        let row = cols + <usize>((r - row0) * ld) * S;
        const iw0 = kj - pw;
        const ow0 = iw0 >= 0 ? 0 : min(outW, (-iw0 + sw - 1) / sw);
        const ow1 = w - iw0 <= 0 ? 0 : min(outW, (w - iw0 + sw - 1) / sw);
        if (sh == 1 && sw == 1 && outW == w) {
          flatTap<T>(x + <usize>(c * h * w) * S, row, h, w, outH, ki - ph, iw0, ow0, ow1, scatter);
          continue;
        }
        for (let oh = 0; oh < outH; oh++, row += <usize>outW * S) {
          const ih = oh * sh - ph + ki;
          const inside = ih >= 0 && ih < h && ow0 < ow1;
          const image = x + <usize>((c * h + ih) * w + iw0) * S; // image + ow·sw·S is element (ih, iw)
          if (scatter) {
            if (!inside) continue;
            let ow = ow0;
            if (sw == 1) {
              for (; ow + lanes<T>() <= ow1; ow += lanes<T>()) {
                const p = image + <usize>ow * S;
                v128.store(p, v128.add<T>(v128.load(p), v128.load(row + <usize>ow * S)));
              }
            }
            for (; ow < ow1; ow++) {
              const p = image + <usize>(ow * sw) * S;
              store<T>(p, load<T>(p) + load<T>(row + <usize>ow * S));
            }
            continue;
          }
          // rows are short (an image row): plain loops beat memory.copy/fill calls here
          if (!inside) {
            zeroSpan<T>(row, 0, outW);
            continue;
          }
          zeroSpan<T>(row, 0, ow0);
          if (sw == 1) {
            const src = image;
            let ow = ow0;
            for (; ow + lanes<T>() <= ow1; ow += lanes<T>()) v128.store(row + <usize>ow * S, v128.load(src + <usize>ow * S));
            for (; ow < ow1; ow++) store<T>(row + <usize>ow * S, load<T>(src + <usize>ow * S));
          } else {
            for (let ow = ow0; ow < ow1; ow++) store<T>(row + <usize>ow * S, load<T>(image + <usize>(ow * sw) * S));
          }
          zeroSpan<T>(row, ow1, outW);
        }
      }
    }
  }
}

/**
 * One tap's row of cols where both strides are 1 and output rows are as wide as input rows
 * ("same" padding): position p reads element p + di·w + dj of the input plane, so the row is one
 * contiguous copy (or, scattering, one contiguous add) instead of a short loop per output row.
 * The positions whose input column wrapped into a neighbouring input row (ow outside
 * [ow0, ow1)) are zeroed in the row: after the copy (they are padding), or before the add (so
 * that adding them changes nothing); output rows above or below the image are zero. The range is
 * clipped to the plane, so nothing outside it is read or written.
 */
// @ts-ignore: decorator
@inline function flatTap<T>(
  plane: usize, row: usize, h: i32, w: i32, outH: i32, di: i32, dj: i32, ow0: i32, ow1: i32, scatter: bool,
): void {
  const S = sizeof<T>();
  const L = lanes<T>();
  const ohLo = max(0, -di), ohHi = max(ohLo, min(outH, h - di));
  const from = max(ohLo * w, -(di * w + dj)), to = min(ohHi * w, h * w - (di * w + dj));
  const src = plane + <usize>(di * w + dj) * S; // src + p·S is position p's input element
  if (scatter) {
    zeroWrapped<T>(row, w, ohLo, ohHi, ow0, ow1);
    let p = from;
    for (; p + L <= to; p += L) {
      const at = src + <usize>p * S;
      v128.store(at, v128.add<T>(v128.load(at), v128.load(row + <usize>p * S)));
    }
    for (; p < to; p++) store<T>(src + <usize>p * S, load<T>(src + <usize>p * S) + load<T>(row + <usize>p * S));
    return;
  }
  let p = from;
  for (; p + L <= to; p += L) v128.store(row + <usize>p * S, v128.load(src + <usize>p * S));
  for (; p < to; p++) store<T>(row + <usize>p * S, load<T>(src + <usize>p * S));
  zeroWrapped<T>(row, w, ohLo, ohHi, ow0, ow1);
  zeroSpan<T>(row, 0, ohLo * w);
  zeroSpan<T>(row, ohHi * w, outH * w);
}

/**
 * In output rows [ohLo, ohHi) of a tap's row (w positions each), zeroes the columns outside
 * [ow0, ow1): column by column, since they are few (one or none for a 3×3 kernel).
 */
// @ts-ignore: decorator
@inline function zeroWrapped<T>(row: usize, w: i32, ohLo: i32, ohHi: i32, ow0: i32, ow1: i32): void {
  for (let ow = 0; ow < min(ow0, w); ow++) zeroColumn<T>(row, w, ohLo, ohHi, ow);
  for (let ow = max(ow0, ow1); ow < w; ow++) zeroColumn<T>(row, w, ohLo, ohHi, ow);
}

/** Column ow of output rows [ohLo, ohHi) of a tap's row = 0. */
// @ts-ignore: decorator
@inline function zeroColumn<T>(row: usize, w: i32, ohLo: i32, ohHi: i32, ow: i32): void {
  const S = sizeof<T>();
  let at = row + <usize>(ohLo * w + ow) * S;
  for (let oh = ohLo; oh < ohHi; oh++, at += <usize>w * S) store<T>(at, <T>0);
}

/** row[from..to) = 0. */
// @ts-ignore: decorator
@inline function zeroSpan<T>(row: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) store<T>(row + <usize>i * sizeof<T>(), <T>0);
}

/** Rows [row0, row1) of im2col(x), row r at cols + (r − row0)·ld elements. */
function im2colRows<T>(g: usize, x: usize, cols: usize, ld: i32, row0: i32, row1: i32): void {
  patchWalk<T>(g, x, cols, ld, row0, row1, false);
}

function col2imAdd<T>(g: usize, cols: usize, x: usize): void {
  patchWalk<T>(g, x, cols, positions(g), 0, patchRows(g), true);
}

/** Whether the forward and input-gradient passes take Winograd's path (winograd.ts). */
export function convByWinograd<T>(g: usize): bool {
  return winogradFits<T>(
    field(g, C_CIN), field(g, C_COUT), field(g, C_KH), field(g, C_KW), field(g, C_SH), field(g, C_SW), field(g, C_PH),
    field(g, C_PW),
  );
}

/**
 * Scratch bytes per thread for the forward and input-gradient passes: one cols matrix and GEMM
 * scratch, or what Winograd's path needs for either pass.
 */
export function convScratchBytes<T>(g: usize): i32 {
  const direct = patchRows(g) * positions(g) * sizeof<T>() + gemmScratchBytes<T>();
  if (!convByWinograd<T>(g)) return direct;
  const cIn = field(g, C_CIN), cOut = field(g, C_COUT);
  const forward = winogradScratchBytes(cIn, cOut, field(g, C_OH), field(g, C_OW), false);
  const inputGrad = winogradScratchBytes(cOut, cIn, field(g, C_H), field(g, C_W), false);
  return max(direct, max(forward, inputGrad));
}

/**
 * out[b] = weight · im2col(x[b]) (+ bias) for images b in [b0, b1). On Winograd's path
 * (convByWinograd) `weight` holds the filters as transformed by winogradFilters.
 */
export function conv2dForward<T>(
  g: usize, x: usize, weight: usize, bias: usize, hasBias: bool, out: usize, b0: i32, b1: i32, scratch: usize,
): void {
  const S = sizeof<T>();
  const K = patchRows(g), P = positions(g), cOut = field(g, C_COUT);
  const imageSize = field(g, C_CIN) * field(g, C_H) * field(g, C_W);
  const pointwise = isPointwise(g);
  const cols = scratch;
  const gemmScratch = scratch + <usize>(K * P) * S;
  if (convByWinograd<T>(g)) {
    winogradImages(
      x, field(g, C_CIN), field(g, C_H), field(g, C_W), cOut, field(g, C_PH), field(g, C_PW), field(g, C_OH),
      field(g, C_OW), weight, bias, hasBias, out, b0, b1, scratch,
    );
    return;
  }
  for (let b = b0; b < b1; b++) {
    const xb = x + <usize>(b * imageSize) * S;
    const ob = out + <usize>(b * cOut * P) * S;
    if (!pointwise) im2colRows<T>(g, xb, cols, P, 0, K);
    if (hasBias) {
      // start from the bias and accumulate the product onto it
      for (let co = 0; co < cOut; co++) fillSpan<T>(ob + <usize>(co * P) * S, P, load<T>(bias + <usize>co * S));
    }
    gemm<T>(weight, K, 1, pointwise ? xb : cols, P, 1, ob, P, cOut, P, K, hasBias, gemmScratch);
  }
}

/**
 * dx[b] = col2im(weightᵀ · g[b]) for images b in [b0, b1); dx rows of those images are
 * overwritten. On Winograd's path `weight` holds the turned filters as transformed by
 * winogradFilters.
 */
export function conv2dInputGrad<T>(
  g: usize, grad: usize, weight: usize, dx: usize, b0: i32, b1: i32, scratch: usize,
): void {
  const S = sizeof<T>();
  const K = patchRows(g), P = positions(g), cOut = field(g, C_COUT);
  const imageSize = field(g, C_CIN) * field(g, C_H) * field(g, C_W);
  const pointwise = isPointwise(g);
  const cols = scratch;
  const gemmScratch = scratch + <usize>(K * P) * S;
  if (convByWinograd<T>(g)) {
    // the input gradient is the convolution of grad by the filters turned by 180°, channels swapped
    winogradImages(
      grad, cOut, field(g, C_OH), field(g, C_OW), field(g, C_CIN), 2 - field(g, C_PH), 2 - field(g, C_PW), field(g, C_H),
      field(g, C_W), weight, 0, false, dx, b0, b1, scratch,
    );
    return;
  }
  for (let b = b0; b < b1; b++) {
    const gb = grad + <usize>(b * cOut * P) * S;
    const xb = dx + <usize>(b * imageSize) * S;
    if (pointwise) {
      gemm<T>(weight, 1, K, gb, P, 1, xb, P, K, P, cOut, false, gemmScratch);
      continue;
    }
    gemm<T>(weight, 1, K, gb, P, 1, cols, P, K, P, cOut, false, gemmScratch);
    memory.fill(xb, 0, <usize>imageSize * S);
    col2imAdd<T>(g, cols, xb);
  }
}

/**
 * Whether the filter gradient takes Winograd's path: only with 1,024 channel pairs or more. Its
 * threads split the filters, each transforming every image's input tiles again, which smaller
 * layers do not win back on 2 threads (W3's 16 × 32: 7.25-7.37 ms a step through im2col against
 * 7.57-7.60 by Winograd's path; on 1 thread the path wins, 12.26 against 12.56).
 */
// @ts-ignore: decorator
@inline function filterGradByWinograd<T>(g: usize): bool {
  return convByWinograd<T>(g) && field(g, C_CIN) * field(g, C_COUT) >= 1024;
}

/**
 * Winograd's transformed filters U (transformFilters) for this convolution's forward pass, or
 * `turned` for its input gradient, rows o in [o0, o1) of each U[ξ] (threads share the rows).
 */
export function winogradFilters(g: usize, weight: usize, u: usize, turned: bool, o0: i32, o1: i32): void {
  const cIn = field(g, C_CIN), cOut = field(g, C_COUT);
  if (turned) transformFilters(weight, cIn, cOut, true, u, o0, o1);
  else transformFilters(weight, cOut, cIn, false, u, o0, o1);
}

/**
 * The inputs of images [b0, b1) transformed for Winograd's filter gradient, into the buffer of
 * all images at v (winogradFilterGradInputsBytes) that the filter gradient's parts read in place
 * of x; `plane` holds winogradFilterGradPlaneBytes.
 */
export function winogradFilterGradInputs(g: usize, x: usize, v: usize, b0: i32, b1: i32, plane: usize): void {
  winogradInputs(
    x, field(g, C_N), field(g, C_CIN), field(g, C_H), field(g, C_W), field(g, C_PH), field(g, C_PW), field(g, C_OH),
    field(g, C_OW), v, b0, b1, plane,
  );
}

/** Bytes of the transformed inputs winogradFilterGradInputs writes for all images. */
export function winogradFilterGradInputsBytes(g: usize): i32 {
  return winogradInputsBytes(field(g, C_CIN), field(g, C_OH), field(g, C_OW), field(g, C_N));
}

/** Scratch bytes each part of winogradFilterGradInputs needs. */
export function winogradFilterGradPlaneBytes(g: usize): i32 {
  return winogradPlaneBytes(field(g, C_OH), field(g, C_OW));
}

/**
 * Scratch bytes per thread for the filter gradient of `filters` output channels by Winograd's
 * path, which takes every tap of a filter at once (a thread's part is a range of filters); 0
 * where the convolution does not take it.
 */
export function winogradFilterGradScratch<T>(g: usize, filters: i32): i32 {
  if (!filterGradByWinograd<T>(g)) return 0;
  return winogradScratchBytes(field(g, C_CIN), filters, field(g, C_OH), field(g, C_OW), true);
}

/** Elements a GEMM's register tiles cover for an m×n product (whole MR×NR tiles). */
// @ts-ignore: decorator
@inline function tiledSize<T>(m: i32, n: i32): i32 {
  return ((m + MR - 1) / MR) * MR * (((n + nr<T>() - 1) / nr<T>()) * nr<T>());
}

/**
 * dw[i0..i1) × [j0..j1) = Σ over images b of grad[b][i0..i1) · im2col(x[b])[j0..j1)ᵀ: rows are
 * filters, columns (c, ki, kj) taps. Each image's taps [j0, j1) are laid out in scratch, where
 * they stay in cache for their GEMM, which sums that image's positions onto the images before
 * it; every element of dw sees the same sums in the same order whatever block a call covers.
 * Where taps as rows fill the register tiles better (a first layer's 9 or 27 taps against 16 or
 * 32 filters), the product is the transpose, taps × filters, summed in scratch and copied into
 * dw at the end: the same products in the same order, so the same bits.
 * scratch holds (j1 − j0)·outH·outW + (j1 − j0)·(i1 − i0) elements and gemmScratchBytes<T>().
 * On Winograd's path (filterGradByWinograd: a part takes all taps of filters [i0, i1)) x holds
 * the inputs as winogradFilterGradInputs transformed them, and scratch
 * winogradFilterGradScratch<T>(g, i1 − i0).
 */
export function conv2dFilterGrad<T>(
  g: usize, x: usize, grad: usize, dw: usize, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  const S = sizeof<T>();
  const K = patchRows(g), P = positions(g), n = field(g, C_N), cOut = field(g, C_COUT);
  const imageSize = field(g, C_CIN) * field(g, C_H) * field(g, C_W);
  const pointwise = isPointwise(g);
  const filters = i1 - i0, taps = j1 - j0;
  const transposed = tiledSize<T>(taps, filters) < tiledSize<T>(filters, taps);
  const cols = scratch;
  const sums = cols + <usize>(taps * P) * S;
  const gemmScratch = sums + <usize>(taps * filters) * S;
  const block = dw + <usize>(i0 * K + j0) * S;
  if (n == 0) {
    for (let i = i0; i < i1; i++) memory.fill(dw + <usize>(i * K + j0) * S, 0, <usize>taps * S);
    return;
  }
  if (filterGradByWinograd<T>(g) && j0 == 0 && j1 == K) {
    winogradFilterGrad(x, n, field(g, C_CIN), grad, cOut, field(g, C_OH), field(g, C_OW), i0, i1, dw, scratch);
    return;
  }
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>(b * imageSize) * S;
    if (!pointwise) im2colRows<T>(g, xb, cols, P, j0, j1);
    const fields = pointwise ? xb + <usize>(j0 * P) * S : cols;
    const gradB = grad + <usize>((b * cOut + i0) * P) * S;
    if (transposed) {
      gemm<T>(fields, P, 1, gradB, 1, P, sums, filters, taps, filters, P, b > 0, gemmScratch);
    } else {
      gemm<T>(gradB, P, 1, fields, 1, P, block, K, filters, taps, P, b > 0, gemmScratch);
    }
  }
  if (!transposed) return;
  for (let j = 0; j < taps; j++) {
    for (let i = 0; i < filters; i++) {
      store<T>(block + <usize>(i * K + j) * S, load<T>(sums + <usize>(j * filters + i) * S));
    }
  }
}
