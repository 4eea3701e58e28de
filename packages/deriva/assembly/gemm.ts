/**
 * General matrix multiply C (+)= op(A)·op(B), generic over f32 / f64, after Goto & van de Geijn:
 * B is packed into KC×NR micro-panels (they stay in L1), A into MR×KC micro-panels (a block of
 * them stays in L2), and an MR×NR register tile of vector accumulators runs over KC.
 *
 * Element (i, p) of op(A) is at a + (i·ars + p·acs)·size, element (p, j) of op(B) at
 * b + (p·brs + j·bcs)·size, element (i, j) of C at c + (i·ldc + j)·size: any transposition is
 * just a pair of strides, and a sub-block of C is just an offset pointer. Every element of C
 * sees the same sequence of operations whatever block of C a call covers, so splitting C across
 * threads at tile boundaries gives bit-identical results.
 *
 * Zero skipping: a packed micro-panel whose depth steps are mostly all zero (MNIST's pixels are
 * 81 % zero; a relu's output, a pooling's gradient) is walked by the list of its nonzero steps.
 * A skipped step would have added a·0 = ±0 to an accumulator that starts at +0 and so is never
 * −0: the same bits, provided the other operand holds no Inf or NaN (0·Inf is NaN), which is
 * checked before any list is used.
 */
import { lanes, madd } from "./simd";

/** Rows of the register tile. */
export const MR: i32 = 4;
/** Depth of a packed block. */
const KC: i32 = 256;
/** Rows of A packed at once (a multiple of MR). */
const MC: i32 = 128;
/** Columns of B packed at once. */
const NC: i32 = 1024;

/** Columns of the register tile: two vectors. */
// @ts-ignore: decorator
@inline export function nr<T>(): i32 {
  return 2 * lanes<T>();
}

/**
 * A list of a micro-panel's nonzero depth steps: the count, then the steps (i32 each), with room
 * for the three extra lanes the last store of four may write.
 */
const LIST_BYTES: i32 = (KC + 4) * 4;
/** Blocks shallower than this are never listed: a tile's fixed cost outweighs the few steps a list could skip. */
const MIN_LISTED_DEPTH: i32 = 16;
/** Panels sampled (one in SAMPLE_STRIDE) to judge whether a block is worth listing. */
const SAMPLE_STRIDE: i32 = 4;

/** For each 4-bit mask of nonzero steps (bit s: step s), the steps set, in order, then zeros. */
const STEPS_OF_MASK: usize = memory.data<i32>(
  [
    0, 0, 0, 0, /* 0b0000 */ 0, 0, 0, 0, /* 0b0001 */ 1, 0, 0, 0, /* 0b0010 */ 0, 1, 0, 0,
    2, 0, 0, 0, /* 0b0100 */ 0, 2, 0, 0, /* 0b0101 */ 1, 2, 0, 0, /* 0b0110 */ 0, 1, 2, 0,
    3, 0, 0, 0, /* 0b1000 */ 0, 3, 0, 0, /* 0b1001 */ 1, 3, 0, 0, /* 0b1010 */ 0, 1, 3, 0,
    2, 3, 0, 0, /* 0b1100 */ 0, 2, 3, 0, /* 0b1101 */ 1, 2, 3, 0, /* 0b1110 */ 0, 1, 2, 3,
  ],
  16,
);

/** Bytes of scratch gemm needs (packed A block, packed B block, one edge tile, their step lists). */
export function gemmScratchBytes<T>(): i32 {
  return (MC * KC + KC * NC + MR * nr<T>()) * sizeof<T>() + (MC / MR + NC / nr<T>()) * LIST_BYTES;
}

/**
 * Which of four consecutive steps at `at` (`width` bytes each: 16, or 32 as two vectors) hold a
 * nonzero bit, as bits 0..3: the four vectors are transposed and OR-ed in registers, so that no
 * step needs a scalar test of its own.
 */
// @ts-ignore: decorator
@inline function nonzeroSteps4(at: usize, width: usize): i32 {
  let v0 = v128.load(at);
  let v1 = v128.load(at + width);
  let v2 = v128.load(at + 2 * width);
  let v3 = v128.load(at + 3 * width);
  if (width == 32) {
    v0 = v128.or(v0, v128.load(at, 16));
    v1 = v128.or(v1, v128.load(at + width, 16));
    v2 = v128.or(v2, v128.load(at + 2 * width, 16));
    v3 = v128.or(v3, v128.load(at + 3 * width, 16));
  }
  const t01 = v128.or(v128.shuffle<i32>(v0, v1, 0, 4, 1, 5), v128.shuffle<i32>(v0, v1, 2, 6, 3, 7));
  const t23 = v128.or(v128.shuffle<i32>(v2, v3, 0, 4, 1, 5), v128.shuffle<i32>(v2, v3, 2, 6, 3, 7));
  const any = v128.or(v128.shuffle<i32>(t01, t23, 0, 1, 4, 5), v128.shuffle<i32>(t01, t23, 2, 3, 6, 7));
  return i32x4.bitmask(i32x4.ne(any, i32x4.splat(0)));
}

/** Lists the steps [0, kc) of one packed micro-panel (`width` bytes per step) that hold a nonzero bit; returns their count. */
function listPanel(panel: usize, kc: i32, width: i32, list: usize): i32 {
  let count = 0;
  let at = panel;
  let p = 0;
  for (; p + 4 <= kc; p += 4, at += <usize>(4 * width)) {
    const bits = nonzeroSteps4(at, width);
    const steps = i32x4.add(i32x4.splat(p), v128.load(STEPS_OF_MASK + (<usize>bits << 4)));
    v128.store(list + 4 + (<usize>count << 2), steps);
    count += popcnt(bits);
  }
  for (; p < kc; p++, at += width) {
    const v = width == 32 ? v128.or(v128.load(at), v128.load(at, 16)) : v128.load(at);
    store<i32>(list + 4 + (<usize>count << 2), p);
    count += <i32>v128.any_true(v);
  }
  store<i32>(list, count);
  return count;
}

/**
 * Lists the nonzero steps of each of a packed block's micro-panels (they follow one another,
 * kc steps of `width` bytes each) and returns whether the lists are worth walking. One panel in
 * SAMPLE_STRIDE is listed first: where under a quarter of those are worth walking, the block is
 * taken as dense and the rest is not scanned (a dense product pays for a quarter of a scan).
 */
function listNonzeroSteps(block: usize, panels: i32, kc: i32, width: i32, lists: usize): bool {
  const panelBytes = <usize>(kc * width);
  let sampled = 0;
  let worth = 0;
  for (let q = 0; q < panels; q += SAMPLE_STRIDE) {
    sampled++;
    if (listWorthWalking(listPanel(block + <usize>q * panelBytes, kc, width, lists + <usize>(q * LIST_BYTES)), kc)) worth++;
  }
  if (worth * 4 < sampled) return false;
  for (let q = 0; q < panels; q++) {
    if (q % SAMPLE_STRIDE != 0) listPanel(block + <usize>q * panelBytes, kc, width, lists + <usize>(q * LIST_BYTES));
  }
  return true;
}

/** Whether a panel with `count` of `kc` steps nonzero is cheaper walked by its list (3/4 or less). */
// @ts-ignore: decorator
@inline function listWorthWalking(count: i32, kc: i32): bool {
  return count * 4 <= kc * 3;
}

/** Whether a packed block of `elements` values holds no Inf or NaN (x·0 is 0 exactly for the rest). */
function allFinite<T>(block: usize, elements: i32): bool {
  const zero = v128.splat<T>(<T>0);
  let sum = zero;
  const end = block + <usize>elements * sizeof<T>();
  for (let at = block; at < end; at += 16) sum = v128.add<T>(sum, v128.mul<T>(v128.load(at), zero));
  return i32x4.all_true(v128.eq<T>(sum, zero));
}

/**
 * Stores the transpose of the 4×4 f32 block whose rows are v0..v3: column q goes to
 * dst + q·stride (bytes).
 */
// @ts-ignore: decorator
@inline function storeTransposed4(dst: usize, stride: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** Packs rows [0, mc) × depth [0, kc) of op(A) into MR-row micro-panels, zero-padded. */
function packA<T>(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, dst: usize): void {
  const S = sizeof<T>();
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panel = dst + <usize>(i0 * kc) * S;
    if (rows == MR && ars == 1 && MR * <i32>S == 16) {
      // transposed A (columns contiguous): one vector load per depth step
      for (let p = 0; p < kc; p++) {
        v128.store(panel + <usize>(p * MR) * S, v128.load(a + <usize>(i0 + p * acs) * S));
      }
      continue;
    }
    if (rows == MR && acs == 1 && sizeof<T>() == 4) {
      // rows contiguous in depth: 4×4 blocks transposed in registers
      const r0 = a + <usize>(i0 * ars) * S;
      const step = <usize>ars * S;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = <usize>p * S;
        storeTransposed4(
          panel + <usize>(p * MR) * S, 16,
          v128.load(r0 + at), v128.load(r0 + step + at), v128.load(r0 + 2 * step + at), v128.load(r0 + 3 * step + at),
        );
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<T>(panel + <usize>(p * MR + r) * S, load<T>(r0 + <usize>r * step + <usize>p * S));
      }
      continue;
    }
    for (let r = 0; r < MR; r++) {
      if (r >= rows) {
        for (let p = 0; p < kc; p++) store<T>(panel + <usize>(p * MR + r) * S, <T>0);
        continue;
      }
      let src = a + <usize>((i0 + r) * ars) * S;
      const step = <usize>acs * S;
      for (let p = 0; p < kc; p++, src += step) store<T>(panel + <usize>(p * MR + r) * S, load<T>(src));
    }
  }
}

/** Packs depth [0, kc) × columns [0, nc) of op(B) into NR-column micro-panels, zero-padded. */
function packB<T>(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, dst: usize): void {
  const S = sizeof<T>();
  const NR = nr<T>();
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panel = dst + <usize>(j0 * kc) * S;
    if (cols == NR && bcs == 1) {
      // rows of B contiguous: two vector loads per depth step
      let src = b + <usize>j0 * S;
      const step = <usize>brs * S;
      for (let p = 0; p < kc; p++, src += step) {
        const d = panel + <usize>(p * NR) * S;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    if (cols == NR && brs == 1 && sizeof<T>() == 4) {
      // B read transposed (each column contiguous in depth): two 4×4 blocks per 4 depth steps
      const c0 = b + <usize>(j0 * bcs) * S;
      const step = <usize>bcs * S;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = <usize>p * S;
        const d = panel + <usize>(p * NR) * S;
        storeTransposed4(d, 32, v128.load(c0 + at), v128.load(c0 + step + at), v128.load(c0 + 2 * step + at), v128.load(c0 + 3 * step + at));
        const c4 = c0 + 4 * step + at;
        storeTransposed4(d + 16, 32, v128.load(c4), v128.load(c4 + step), v128.load(c4 + 2 * step), v128.load(c4 + 3 * step));
      }
      for (; p < kc; p++) {
        for (let l = 0; l < NR; l++) store<T>(panel + <usize>(p * NR + l) * S, load<T>(c0 + <usize>l * step + <usize>p * S));
      }
      continue;
    }
    for (let l = 0; l < NR; l++) {
      if (l >= cols) {
        for (let p = 0; p < kc; p++) store<T>(panel + <usize>(p * NR + l) * S, <T>0);
        continue;
      }
      let src = b + <usize>((j0 + l) * bcs) * S;
      const step = <usize>brs * S;
      for (let p = 0; p < kc; p++, src += step) store<T>(panel + <usize>(p * NR + l) * S, load<T>(src));
    }
  }
}

/**
 * The MR×NR register tile: tile = Apanel·Bpanel over kc steps, or over the steps listed at
 * `steps` (count first) where `listed`, then C (+)= tile. A partial tile (rows < MR or
 * cols < NR at the matrix edge) goes through `edge` and is copied element-wise.
 */
// @ts-ignore: decorator
@inline function microKernel<T>(
  pa: usize, pb: usize, kc: i32, listed: bool, steps: usize,
  c: usize, ldc: i32, rows: i32, cols: i32, accumulate: bool, edge: usize,
): void {
  const S = sizeof<T>();
  const NR = nr<T>();
  let c00 = v128.splat<T>(<T>0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const count = listed ? load<i32>(steps) : kc;
  const panelA = pa;
  const panelB = pb;
  for (let q = 0; q < count; q++) {
    if (listed) {
      const p = <usize>load<i32>(steps + 4 + (<usize>q << 2));
      pa = panelA + p * <usize>(MR * S);
      pb = panelB + p * <usize>(NR * S);
    }
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load_splat<T>(pa);
    c00 = madd<T>(a0, b0, c00);
    c01 = madd<T>(a0, b1, c01);
    const a1 = v128.load_splat<T>(pa, S);
    c10 = madd<T>(a1, b0, c10);
    c11 = madd<T>(a1, b1, c11);
    const a2 = v128.load_splat<T>(pa, 2 * S);
    c20 = madd<T>(a2, b0, c20);
    c21 = madd<T>(a2, b1, c21);
    const a3 = v128.load_splat<T>(pa, 3 * S);
    c30 = madd<T>(a3, b0, c30);
    c31 = madd<T>(a3, b1, c31);
    if (!listed) {
      pa += <usize>MR * S;
      pb += <usize>NR * S;
    }
  }
  const full = rows == MR && cols == NR;
  const ldcBytes = <usize>ldc * S;
  let dst = full ? c : edge;
  const step = full ? ldcBytes : <usize>NR * S;
  const add = accumulate && full;
  storeRow<T>(dst, c00, c01, add);
  storeRow<T>(dst + step, c10, c11, add);
  storeRow<T>(dst + 2 * step, c20, c21, add);
  storeRow<T>(dst + 3 * step, c30, c31, add);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const d = c + (<usize>r * ldc + j) * S;
      const v = load<T>(edge + <usize>(r * NR + j) * S);
      store<T>(d, accumulate ? load<T>(d) + v : v);
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow<T>(dst: usize, v0: v128, v1: v128, accumulate: bool): void {
  if (accumulate) {
    v0 = v128.add<T>(v128.load(dst), v0);
    v1 = v128.add<T>(v128.load(dst, 16), v1);
  }
  v128.store(dst, v0);
  v128.store(dst, v1, 16);
}

/** C (+)= op(A)·op(B) for an m×k op(A) and a k×n op(B); scratch holds gemmScratchBytes<T>(). */
export function gemm<T>(
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32,
  accumulate: bool, scratch: usize,
): void {
  const S = sizeof<T>();
  const NR = nr<T>();
  const packedA = scratch;
  const packedB = scratch + <usize>(MC * KC) * S;
  const edge = packedB + <usize>(KC * NC) * S;
  const listsA = edge + <usize>(MR * NR) * S;
  const listsB = listsA + <usize>((MC / MR) * LIST_BYTES);
  if (k == 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * S, 0, <usize>n * S);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB<T>(b + <usize>(pc * brs + jc * bcs) * S, brs, bcs, kc, nc, packedB);
      const panelsB = (nc + NR - 1) / NR;
      const listable = kc >= MIN_LISTED_DEPTH;
      const sparseB = listable && listNonzeroSteps(packedB, panelsB, kc, NR * S, listsB);
      let finiteB = -1; // unknown until a sparse A panel needs it
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(a + <usize>(ic * ars + pc * acs) * S, ars, acs, mc, kc, packedA);
        const panelsA = (mc + MR - 1) / MR;
        // one side's lists may be walked only where the other side is finite
        const byB = sparseB && allFinite<T>(packedA, panelsA * MR * kc);
        const sparseA = listable && listNonzeroSteps(packedA, panelsA, kc, MR * S, listsA);
        if (sparseA && finiteB < 0) finiteB = <i32>allFinite<T>(packedB, panelsB * NR * kc);
        const byA = sparseA && finiteB == 1;
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packedB + <usize>(jr * kc) * S;
          const cols = min(NR, nc - jr);
          const listB = listsB + <usize>((jr / NR) * LIST_BYTES);
          const walkB = byB && listWorthWalking(load<i32>(listB), kc);
          for (let ir = 0; ir < mc; ir += MR) {
            const pa = packedA + <usize>(ir * kc) * S;
            const cp = c + (<usize>(ic + ir) * ldc + jc + jr) * S;
            const rows = min(MR, mc - ir);
            const listA = listsA + <usize>((ir / MR) * LIST_BYTES);
            if (walkB) {
              microKernel<T>(pa, pb, kc, true, listB, cp, ldc, rows, cols, add, edge);
            } else if (byA && listWorthWalking(load<i32>(listA), kc)) {
              microKernel<T>(pa, pb, kc, true, listA, cp, ldc, rows, cols, add, edge);
            } else {
              microKernel<T>(pa, pb, kc, false, 0, cp, ldc, rows, cols, add, edge);
            }
          }
        }
      }
    }
  }
}

/**
 * The rows [i0, i1) × columns [j0, j1) of C for each matrix pair in [batch0, batch1): matrix
 * `batch` of A starts at element aOffsets[batch] (i32 array), of B at bOffsets[batch], and C
 * is dense m×n per matrix. The unit a thread gets: whole matrices or a band of each.
 */
export function gemmBatch<T>(
  a: usize, ars: i32, acs: i32, aOffsets: usize,
  b: usize, brs: i32, bcs: i32, bOffsets: usize,
  c: usize, m: i32, n: i32, k: i32,
  batch0: i32, batch1: i32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  const S = sizeof<T>();
  for (let batch = batch0; batch < batch1; batch++) {
    const ab = a + <usize>(load<i32>(aOffsets + (<usize>batch << 2)) + i0 * ars) * S;
    const bb = b + <usize>(load<i32>(bOffsets + (<usize>batch << 2)) + j0 * bcs) * S;
    const cb = c + (<usize>batch * m * n + <usize>i0 * n + j0) * S;
    gemm<T>(ab, ars, acs, bb, brs, bcs, cb, n, i1 - i0, j1 - j0, k, false, scratch);
  }
}
