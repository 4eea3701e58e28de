/**
 * 3×3 convolutions at stride 1 by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016), for f32 and layers of at least
 * MIN_CHANNELS channels each way: each 2×2 block of outputs comes from a 4×4 block of inputs with 16
 * multiplications per channel pair instead of 36. Filters g become U = G·g·Gᵀ and input tiles d
 * become V = Bᵀ·d·B (4×4 each); the 16 elementwise products summed over input channels are 16
 * matrix products M[ξ] = U[ξ]·V[ξ] (filters × channels times channels × tiles, through gemm);
 * each output block is Aᵀ·m·A. The transforms run on four horizontally adjacent tiles at once, one
 * per vector lane. Images are taken a few at a time so that each product spans GROUP_TILES tiles.
 *
 * The input gradient of such a convolution is one too (the filters turned by 180° with input and
 * output channels swapped, the padding 2 − p), so both passes share this code; the filter
 * gradient is the transpose of the same scheme (winogradFilterGrad). Rounding differs from the
 * direct sum's (the transforms add and subtract), at the level of f32's epsilon.
 */
import { gemm, gemmScratchBytes } from "./gemm";
import { fillSpan } from "./simd";

/** Fewest channels each way for which the products (as deep as either count) pay for the transforms. */
const MIN_CHANNELS: i32 = 8;
/** Tiles each of the 16 products spans at least (images are grouped to reach it). */
const GROUP_TILES: i32 = 128;
/** Elements of the buffer a row of four tiles' outputs goes through where it crosses the edge. */
const EDGE: i32 = 8;

/** Whether a convolution takes this path: f32, 3×3, stride 1, padding at most 2, enough channels each way. */
export function winogradFits<T>(cIn: i32, cOut: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32): bool {
  return sizeof<T>() == 4 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && ph <= 2 && pw <= 2 &&
    min(cIn, cOut) >= MIN_CHANNELS;
}

/** Tile rows, tile columns (a multiple of 4, one per lane) and images per group of one convolution. */
// @ts-ignore: decorator
@inline function tileRows(outH: i32): i32 {
  return (outH + 1) / 2;
}
// @ts-ignore: decorator
@inline function tileColumns(outW: i32): i32 {
  return (((outW + 1) / 2 + 3) / 4) * 4;
}
// @ts-ignore: decorator
@inline function imagesPerGroup(outH: i32, outW: i32): i32 {
  const perImage = tileRows(outH) * tileColumns(outW);
  return max(1, (GROUP_TILES + perImage - 1) / perImage);
}

/**
 * Bytes from one of the 16 matrices V[ξ] (or M[ξ], D[ξ]) of `floats` floats to the next: one
 * cache line more than they hold, so that the transforms' 16 streams, 16 or 64 KB apart
 * otherwise, do not all fall in the same few sets of the L1 cache.
 */
// @ts-ignore: decorator
@inline function matrixStride(floats: i32): usize {
  return <usize>(floats + 16) * 4;
}

/** Floats of one padded input plane and the 16 vectors inputTiles passes its rows through. */
// @ts-ignore: decorator
@inline function planeFloats(outH: i32, outW: i32): i32 {
  return (2 * tileRows(outH) + 2) * (2 * tileColumns(outW) + 2) + 64;
}

/** Tiles each of the 16 products spans for a convolution's output size (whole groups of images). */
// @ts-ignore: decorator
@inline function productWidth(outH: i32, outW: i32): i32 {
  return imagesPerGroup(outH, outW) * tileRows(outH) * tileColumns(outW);
}

/** The parts of Winograd's scratch after its lead (the filter gradient's 16 filters × ins matrices dU): */
const PART_V: i32 = 1; // the 16 ins × width matrices V[ξ]
const PART_M: i32 = 2; // the 16 outs × width matrices M[ξ] (D[ξ] for the filter gradient)
const PART_PLANE: i32 = 3; // the padded plane, inputTiles' vectors, the output rows' edge buffer
const PART_GEMM: i32 = 4; // gemm's scratch, 16-byte aligned

/**
 * Where `part` of Winograd's scratch starts, for V[ξ] of vRows rows and M[ξ] of mRows rows, an
 * output of outH × outW, and `lead` floats before the parts.
 */
// @ts-ignore: decorator
@inline function scratchPart(scratch: usize, part: i32, vRows: i32, mRows: i32, outH: i32, outW: i32, lead: i32): usize {
  const width = productWidth(outH, outW);
  let at = scratch + <usize>lead * 4;
  if (part >= PART_M && vRows > 0) at += 16 * matrixStride(vRows * width);
  if (part >= PART_PLANE) at += 16 * matrixStride(mRows * width);
  if (part >= PART_GEMM) at = (at + <usize>(planeFloats(outH, outW) + EDGE) * 4 + 15) & ~(<usize>15);
  return at;
}

/**
 * Bytes of scratch a thread's part of Winograd's passes needs for `ins` input and `outs` output
 * channels and an output of outH × outW; with `filterGrad`, of the filter gradient for `outs`
 * filters (its dU first, and no V: winogradInputs transforms the inputs once for all parts).
 */
export function winogradScratchBytes(ins: i32, outs: i32, outH: i32, outW: i32, filterGrad: bool): i32 {
  const lead = filterGrad ? 16 * outs * ins : 0;
  return <i32>scratchPart(0, PART_GEMM, filterGrad ? 0 : ins, outs, outH, outW, lead) + gemmScratchBytes<f32>();
}

/** Bytes of the transformed inputs of all n images (winogradInputs): 16 matrices ins × n·tiles. */
export function winogradInputsBytes(ins: i32, outH: i32, outW: i32, n: i32): i32 {
  return 16 * <i32>matrixStride(ins * n * tileRows(outH) * tileColumns(outW));
}

/** Bytes of scratch a part of winogradInputs needs: one padded plane and inputTiles' vectors. */
export function winogradPlaneBytes(outH: i32, outW: i32): i32 {
  return planeFloats(outH, outW) * 4;
}

/**
 * V[ξ][c][b·tiles + tile] = (Bᵀ·d·B)[ξ] for the images b in [b0, b1) of x [n, ins, h, w]
 * (padding (ph, pw)), into the matrices of all n images at v (winogradInputsBytes), which the
 * filter gradient's parts then share. `plane` holds winogradPlaneBytes.
 */
export function winogradInputs(
  x: usize, n: i32, ins: i32, h: i32, w: i32, ph: i32, pw: i32, outH: i32, outW: i32, v: usize, b0: i32, b1: i32,
  plane: usize,
): void {
  const rows = tileRows(outH), cols = tileColumns(outW);
  const perImage = rows * cols;
  transformInputs(
    x + <usize>(b0 * ins * h * w) * 4, b1 - b0, ins, h, w, ph, pw, rows, cols, n * perImage, v + <usize>(b0 * perImage) * 4,
    plane,
  );
}

/**
 * U[ξ][o][i] = (G·g·Gᵀ)[ξ], G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]], for the 3×3
 * filter g joining input channel i to output channel o: weight[o][i] as stored (weight
 * [outs, ins, 3, 3]) or, `turned`, weight[i][o] turned by 180° (weight [ins, outs, 3, 3]: the
 * input gradient's filters). Computed in f64, U[ξ] being an outs × ins matrix; this call writes
 * the rows o in [o0, o1), so that threads can share the work.
 */
export function transformFilters(weight: usize, outs: i32, ins: i32, turned: bool, u: usize, o0: i32, o1: i32): void {
  const matrix = <usize>(outs * ins) * 4;
  for (let o = o0; o < o1; o++) {
    for (let i = 0; i < ins; i++) {
      const g = weight + <usize>((turned ? i * outs + o : o * ins + i) * 9) * 4;
      const at = u + <usize>(o * ins + i) * 4;
      for (let r = 0; r < 4; r++) {
        // row r of t = G·g, then row r of t·Gᵀ
        const t0 = gRow(g, r, 0, turned), t1 = gRow(g, r, 1, turned), t2 = gRow(g, r, 2, turned);
        const row = at + <usize>(4 * r) * matrix;
        store<f32>(row, <f32>t0);
        store<f32>(row + matrix, <f32>(0.5 * (t0 + t1 + t2)));
        store<f32>(row + 2 * matrix, <f32>(0.5 * (t0 - t1 + t2)));
        store<f32>(row + 3 * matrix, <f32>t2);
      }
    }
  }
}

/** (G·g)[r][c]: row r of G applied to column c of the filter (or of the filter turned by 180°). */
// @ts-ignore: decorator
@inline function gRow(g: usize, r: i32, c: i32, turned: bool): f64 {
  const g0 = filterAt(g, 0, c, turned), g1 = filterAt(g, 1, c, turned), g2 = filterAt(g, 2, c, turned);
  if (r == 0) return g0;
  if (r == 1) return 0.5 * (g0 + g1 + g2);
  if (r == 2) return 0.5 * (g0 - g1 + g2);
  return g2;
}

/** Element (r, c) of a 3×3 filter, or of the filter turned by 180°. */
// @ts-ignore: decorator
@inline function filterAt(g: usize, r: i32, c: i32, turned: bool): f64 {
  const k = turned ? (2 - r) * 3 + (2 - c) : r * 3 + c;
  return <f64>load<f32>(g + (<usize>k << 2));
}

/**
 * out[b] = conv3×3(x[b]) (+ bias) for images b in [b0, b1), stride 1: x [n, ins, h, w], out
 * [n, outs, outH, outW], padding (ph, pw), the filters as U (transformFilters). Scratch holds
 * winogradScratchBytes(ins, outs, outH, outW, false).
 */
export function winogradImages(
  x: usize, ins: i32, h: i32, w: i32, outs: i32, ph: i32, pw: i32, outH: i32, outW: i32,
  u: usize, bias: usize, hasBias: bool, out: usize, b0: i32, b1: i32, scratch: usize,
): void {
  const rows = tileRows(outH), cols = tileColumns(outW);
  const perImage = rows * cols;
  const group = imagesPerGroup(outH, outW);
  const n = productWidth(outH, outW);
  const v = scratchPart(scratch, PART_V, ins, outs, outH, outW, 0);
  const m = scratchPart(scratch, PART_M, ins, outs, outH, outW, 0);
  const plane = scratchPart(scratch, PART_PLANE, ins, outs, outH, outW, 0);
  const edge = plane + <usize>planeFloats(outH, outW) * 4;
  const gemmScratch = scratchPart(scratch, PART_GEMM, ins, outs, outH, outW, 0);
  const vStride = matrixStride(ins * n); // bytes from V[ξ] to V[ξ + 1]
  const mStride = matrixStride(outs * n);
  for (let first = b0; first < b1; first += group) {
    const images = min(group, b1 - first);
    transformInputs(x + <usize>(first * ins * h * w) * 4, images, ins, h, w, ph, pw, rows, cols, n, v, plane);
    for (let xi = 0; xi < 16; xi++) {
      gemm<f32>(
        u + <usize>(xi * outs * ins) * 4, ins, 1,
        v + <usize>xi * vStride, n, 1,
        m + <usize>xi * mStride, n,
        outs, images * perImage, ins, false, gemmScratch,
      );
    }
    for (let k = 0; k < images; k++) {
      for (let o = 0; o < outs; o++) {
        const add = f32x4.splat(hasBias ? load<f32>(bias + (<usize>o << 2)) : 0);
        const dst = out + <usize>(((first + k) * outs + o) * outH * outW) * 4;
        const mAt = m + <usize>(o * n + k * perImage) * 4;
        for (let ty = 0; ty < rows; ty++) {
          for (let tx = 0; tx < cols; tx += 4) {
            outputTiles(mAt + <usize>(ty * cols + tx) * 4, mStride, add, dst, outH, outW, 2 * ty, 2 * tx, edge);
          }
        }
      }
    }
  }
}

/**
 * V[ξ][c][k·perImage + tile] = (Bᵀ·d·B)[ξ] for the 4×4 tiles d of channel c of each of `images`
 * images at x ([ins, h, w] each, padding (ph, pw)); tiles in rows of `cols`, n columns per V[ξ][c].
 */
function transformInputs(
  x: usize, images: i32, ins: i32, h: i32, w: i32, ph: i32, pw: i32, rows: i32, cols: i32, n: i32, v: usize, plane: usize,
): void {
  const planeH = 2 * rows + 2, planeW = 2 * cols + 2;
  const rowsBuffer = plane + <usize>(planeH * planeW) * 4; // inputTiles' 16 vectors
  const vStride = matrixStride(ins * n);
  const perImage = rows * cols;
  for (let k = 0; k < images; k++) {
    for (let c = 0; c < ins; c++) {
      padPlane(x + <usize>((k * ins + c) * h * w) * 4, h, w, ph, pw, plane, planeH, planeW);
      const vAt = v + <usize>(c * n + k * perImage) * 4;
      for (let ty = 0; ty < rows; ty++) {
        for (let tx = 0; tx < cols; tx += 4) {
          inputTiles(plane + <usize>(2 * ty * planeW + 2 * tx) * 4, <usize>planeW * 4, vAt + <usize>(ty * cols + tx) * 4, vStride, rowsBuffer);
        }
      }
    }
  }
}

/**
 * The plane [h, w] at src placed at (ph, pw) in a [rows, cols] plane at dst, zero around it: row
 * by row, with vector copies (rows are short; one memory.fill and a memory.copy per row cost more).
 */
function padPlane(src: usize, h: i32, w: i32, ph: i32, pw: i32, dst: usize, rows: i32, cols: i32): void {
  const width = min(w, cols - pw);
  for (let r = 0; r < rows; r++) {
    const line = dst + <usize>(r * cols) * 4;
    const from = r - ph;
    if (from < 0 || from >= h) {
      fillSpan<f32>(line, cols, 0);
      continue;
    }
    fillSpan<f32>(line, pw, 0);
    const to = line + <usize>pw * 4, row = src + <usize>(from * w) * 4;
    let c = 0;
    for (; c + 4 <= width; c += 4) v128.store(to + <usize>c * 4, v128.load(row + <usize>c * 4));
    for (; c < width; c++) store<f32>(to + <usize>c * 4, load<f32>(row + <usize>c * 4));
    fillSpan<f32>(to + <usize>width * 4, cols - pw - width, 0);
  }
}

/** d·B for one row of four adjacent tiles at `at`, into rowOut[0..3] (B's columns: d0 − d2, d1 + d2, d2 − d1, d1 − d3). */
// @ts-ignore: decorator
@inline function rowTimesB(at: usize, rowOut: usize): void {
  // lane t of column c is element 2t + c of the row: even and odd elements, from 0 and from 2
  const a = v128.load(at), b = v128.load(at, 16), a2 = v128.load(at, 8), b2 = v128.load(at, 24);
  const d0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), d1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  const d2 = v128.shuffle<f32>(a2, b2, 0, 2, 4, 6), d3 = v128.shuffle<f32>(a2, b2, 1, 3, 5, 7);
  v128.store(rowOut, f32x4.sub(d0, d2));
  v128.store(rowOut, f32x4.add(d1, d2), 16);
  v128.store(rowOut, f32x4.sub(d2, d1), 32);
  v128.store(rowOut, f32x4.sub(d1, d3), 48);
}

/**
 * V = Bᵀ·d·B for four adjacent 4×4 input tiles (lane t: the tile whose top-left element is at
 * at + 2t elements; rows `row` bytes apart), Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0],
 * [0, 1, 0, −1]]: element ξ = 4r + c of the four results goes to dst + ξ·stride. The rows' d·B
 * go through `rows` (16 vectors), each row's elements loaded once.
 */
// @ts-ignore: decorator
@inline function inputTiles(at: usize, row: usize, dst: usize, stride: usize, rows: usize): void {
  rowTimesB(at, rows);
  rowTimesB(at + row, rows + 64);
  rowTimesB(at + 2 * row, rows + 128);
  rowTimesB(at + 3 * row, rows + 192);
  for (let c = 0; c < 4; c++) {
    const e0 = v128.load(rows + <usize>c * 16), e1 = v128.load(rows + <usize>(64 + c * 16));
    const e2 = v128.load(rows + <usize>(128 + c * 16)), e3 = v128.load(rows + <usize>(192 + c * 16));
    const column = dst + <usize>c * stride;
    v128.store(column, f32x4.sub(e0, e2));
    v128.store(column + 4 * stride, f32x4.add(e1, e2));
    v128.store(column + 8 * stride, f32x4.sub(e2, e1));
    v128.store(column + 12 * stride, f32x4.sub(e1, e3));
  }
}

/** Row r of m·A for four tiles' products (m[ξ] at at + ξ·stride): (m0 + m1 + m2, m1 − m2 − m3) for column `second`. */
// @ts-ignore: decorator
@inline function timesA(at: usize, stride: usize, r: i32, second: bool): v128 {
  const base = at + <usize>(4 * r) * stride;
  const m1 = v128.load(base + stride), m2 = v128.load(base + 2 * stride);
  if (!second) return f32x4.add(f32x4.add(v128.load(base), m1), m2);
  return f32x4.sub(f32x4.sub(m1, m2), v128.load(base + 3 * stride));
}

/**
 * Y = Aᵀ·m·A (+ bias) for four adjacent tiles, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]: their 2×2
 * outputs are rows oh, oh + 1 and columns ow .. ow + 7 of the output plane at dst, of which only
 * those inside [outH, outW] are written (through `edge` where the row crosses the edge).
 */
// @ts-ignore: decorator
@inline function outputTiles(
  at: usize, stride: usize, add: v128, dst: usize, outH: i32, outW: i32, oh: i32, ow: i32, edge: usize,
): void {
  for (let a = 0; a < 2; a++) {
    if (oh + a >= outH) return;
    const second = a == 1;
    const left = combineRows(at, stride, false, second), right = combineRows(at, stride, true, second);
    const y0 = f32x4.add(left, add), y1 = f32x4.add(right, add);
    const line = dst + <usize>((oh + a) * outW + ow) * 4;
    const lo = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), hi = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7);
    if (ow + 8 <= outW) {
      v128.store(line, lo);
      v128.store(line, hi, 16);
      continue;
    }
    v128.store(edge, lo);
    v128.store(edge, hi, 16);
    for (let j = 0; j < outW - ow; j++) store<f32>(line + (<usize>j << 2), load<f32>(edge + (<usize>j << 2)));
  }
}

/** Aᵀ's row `second` applied to the rows of m·A's column `right`: s0 + s1 + s2, or s1 − s2 − s3. */
// @ts-ignore: decorator
@inline function combineRows(at: usize, stride: usize, right: bool, second: bool): v128 {
  const s1 = timesA(at, stride, 1, right), s2 = timesA(at, stride, 2, right);
  if (!second) return f32x4.add(f32x4.add(timesA(at, stride, 0, right), s1), s2);
  return f32x4.sub(f32x4.sub(s1, s2), timesA(at, stride, 3, right));
}

/**
 * dw[o][i] for output channels o in [o0, o1) of a 3×3 convolution at stride 1 (the one
 * winogradImages computes), summed over all n images: with D = A·dy·Aᵀ for each 2×2 tile of the
 * output gradient (A = (Aᵀ)ᵀ) and V = Bᵀ·d·B for the matching input tile, dU[ξ] = Σ_tiles D[ξ]·V[ξ]ᵀ
 * (16 products filters × tiles times tiles × channels) and dw = Gᵀ·dU·G, in f64. v holds every
 * image's V (winogradInputs), grad [n, outs, outH, outW], dw [outs, ins, 3, 3]. Scratch holds
 * winogradScratchBytes(ins, o1 − o0, outH, outW, true).
 */
export function winogradFilterGrad(
  v: usize, n: i32, ins: i32, grad: usize, outs: i32, outH: i32, outW: i32, o0: i32, o1: i32, dw: usize, scratch: usize,
): void {
  const filters = o1 - o0;
  const rows = tileRows(outH), cols = tileColumns(outW);
  const perImage = rows * cols;
  const group = imagesPerGroup(outH, outW);
  const width = productWidth(outH, outW);
  const du = scratch;
  const lead = 16 * filters * ins;
  const d = scratchPart(scratch, PART_M, 0, filters, outH, outW, lead);
  const plane = scratchPart(scratch, PART_PLANE, 0, filters, outH, outW, lead);
  const gemmScratch = scratchPart(scratch, PART_GEMM, 0, filters, outH, outW, lead);
  const all = n * perImage; // V's row length: every image's tiles
  const vStride = matrixStride(ins * all);
  const dStride = matrixStride(filters * width);
  for (let first = 0; first < n; first += group) {
    const images = min(group, n - first);
    for (let k = 0; k < images; k++) {
      for (let o = o0; o < o1; o++) {
        padPlane(grad + <usize>(((first + k) * outs + o) * outH * outW) * 4, outH, outW, 0, 0, plane, 2 * rows, 2 * cols);
        const dAt = d + <usize>((o - o0) * width + k * perImage) * 4;
        for (let ty = 0; ty < rows; ty++) {
          for (let tx = 0; tx < cols; tx += 4) {
            gradTiles(plane + <usize>(2 * ty * 2 * cols + 2 * tx) * 4, <usize>(2 * cols) * 4, dAt + <usize>(ty * cols + tx) * 4, dStride);
          }
        }
      }
    }
    for (let xi = 0; xi < 16; xi++) {
      gemm<f32>(
        d + <usize>xi * dStride, width, 1,
        v + <usize>xi * vStride + <usize>(first * perImage) * 4, 1, all,
        du + <usize>(xi * filters * ins) * 4, ins,
        filters, ins, images * perImage, first > 0, gemmScratch,
      );
    }
  }
  filterFromTransform(du, filters, ins, dw + <usize>(o0 * ins * 9) * 4);
}

/**
 * D = A·dy·Aᵀ, A = [[1, 0], [1, 1], [1, −1], [0, −1]], for four adjacent 2×2 tiles of an output
 * gradient (lane t: the tile at at + 2t elements, rows `row` bytes apart): element ξ = 4i + j of
 * the four results goes to dst + ξ·stride.
 */
// @ts-ignore: decorator
@inline function gradTiles(at: usize, row: usize, dst: usize, stride: usize): void {
  for (let j = 0; j < 4; j++) {
    const r0 = gradTimesAT(at, j), r1 = gradTimesAT(at + row, j);
    const column = dst + <usize>j * stride;
    v128.store(column, r0);
    v128.store(column + 4 * stride, f32x4.add(r0, r1));
    v128.store(column + 8 * stride, f32x4.sub(r0, r1));
    v128.store(column + 12 * stride, f32x4.neg(r1));
  }
}

/** Column j of dy·Aᵀ for one row of four 2×2 tiles: dy0, dy0 + dy1, dy0 − dy1, −dy1. */
// @ts-ignore: decorator
@inline function gradTimesAT(at: usize, j: i32): v128 {
  const a = v128.load(at), b = v128.load(at, 16);
  const dy0 = v128.shuffle<f32>(a, b, 0, 2, 4, 6), dy1 = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
  if (j == 0) return dy0;
  if (j == 1) return f32x4.add(dy0, dy1);
  if (j == 2) return f32x4.sub(dy0, dy1);
  return f32x4.neg(dy1);
}

/** dw[o][i] = Gᵀ·dU[·][o][i]·G (3×3 from 4×4, in f64) for `filters` × ins pairs; dw rows of ins·9. */
function filterFromTransform(du: usize, filters: i32, ins: i32, dw: usize): void {
  const matrix = <usize>(filters * ins) * 4;
  for (let o = 0; o < filters; o++) {
    for (let i = 0; i < ins; i++) {
      const at = du + <usize>(o * ins + i) * 4;
      const out = dw + <usize>((o * ins + i) * 9) * 4;
      for (let r = 0; r < 3; r++) {
        // row r of Gᵀ·dU: Gᵀ's rows are (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1)
        const t0 = gtRow(at, matrix, r, 0), t1 = gtRow(at, matrix, r, 1);
        const t2 = gtRow(at, matrix, r, 2), t3 = gtRow(at, matrix, r, 3);
        store<f32>(out + <usize>(3 * r) * 4, <f32>(t0 + 0.5 * (t1 + t2)));
        store<f32>(out + <usize>(3 * r + 1) * 4, <f32>(0.5 * (t1 - t2)));
        store<f32>(out + <usize>(3 * r + 2) * 4, <f32>(0.5 * (t1 + t2) + t3));
      }
    }
  }
}

/** (Gᵀ·dU)[r][j] for one pair: row r of Gᵀ applied to column j of its 4×4 dU (element ξ at at + ξ·matrix). */
// @ts-ignore: decorator
@inline function gtRow(at: usize, matrix: usize, r: i32, j: i32): f64 {
  const u0 = <f64>load<f32>(at + <usize>j * matrix), u1 = <f64>load<f32>(at + <usize>(4 + j) * matrix);
  const u2 = <f64>load<f32>(at + <usize>(8 + j) * matrix), u3 = <f64>load<f32>(at + <usize>(12 + j) * matrix);
  if (r == 0) return u0 + 0.5 * (u1 + u2);
  if (r == 1) return 0.5 * (u1 - u2);
  return 0.5 * (u1 + u2) + u3;
}
