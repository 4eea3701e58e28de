/** Matrix multiply on the WebAssembly kernels: operands copied into the arena, C split across threads. */
import type { FloatArray } from "../arrays.js";
import type { MatmulParams } from "../backend.js";
import type { KernelExports } from "./exports.js";
import type { WasmRuntime } from "./runtime.js";
import { splitForThreads, splitRange, threadsFor } from "./split.js";

type GemmArgs = Parameters<KernelExports["gemm_f32"]>;

/** Rows of the kernel's register tile, and its columns for f32 (f64: half). */
export const TILE_ROWS = 4;
export const TILE_COLS_F32 = 8;

export function wasmMatmul(
  rt: WasmRuntime,
  a: FloatArray,
  b: FloatArray,
  out: FloatArray,
  p: MatmulParams,
): void {
  const { heap, pool, kernels } = rt;
  const f64 = a instanceof Float64Array;
  if (isMatrixVector(p)) {
    wasmGemv(rt, a, b, out, p);
    return;
  }
  heap.reset();
  const aAt = heap.write(a);
  const bAt = heap.write(b);
  const aOffsets = heap.write(p.aOffsets);
  const bOffsets = heap.write(p.bOffsets);
  const cAt = heap.alloc(out.byteLength);
  const ars = p.transA ? 1 : p.k;
  const acs = p.transA ? p.m : 1;
  const brs = p.transB ? 1 : p.n;
  const bcs = p.transB ? p.k : 1;
  const threads = threadsFor(p.batch * p.m * p.n * p.k, Number.POSITIVE_INFINITY, pool.threads);
  const scratchBytes = f64 ? kernels.gemm_scratch_f64() : kernels.gemm_scratch_f32();
  const part = (b0: number, b1: number, i0: number, i1: number, j0: number, j1: number): GemmArgs => [
    aAt,
    ars,
    acs,
    aOffsets,
    bAt,
    brs,
    bcs,
    bOffsets,
    cAt,
    p.m,
    p.n,
    p.k,
    b0,
    b1,
    i0,
    i1,
    j0,
    j1,
    heap.alloc(scratchBytes),
  ];
  let parts: GemmArgs[];
  if (threads === 1) {
    // one thread: a direct call, no job for the pool (most products are small)
    (f64 ? kernels.gemm_f64 : kernels.gemm_f32)(...part(0, p.batch, 0, p.m, 0, p.n));
    heap.read(cAt, out);
    return;
  }
  // independent matrices go out a few per thread (a slower thread takes fewer); a band of one
  // product goes out once per thread, since each band packs the whole of the other operand
  if (p.batch >= threads) {
    parts = splitForThreads(p.batch, threads).map(([b0, b1]) => part(b0, b1, 0, p.m, 0, p.n));
  } else if (p.m >= p.n) {
    parts = splitRange(p.m, threads, TILE_ROWS).map(([i0, i1]) => part(0, p.batch, i0, i1, 0, p.n));
  } else {
    const align = f64 ? TILE_COLS_F32 / 2 : TILE_COLS_F32;
    parts = splitRange(p.n, threads, align).map(([j0, j1]) => part(0, p.batch, 0, p.m, j0, j1));
  }
  pool.run(f64 ? "gemm_f64" : "gemm_f32", parts);
  heap.read(cAt, out);
}

/** Whether a product is one matrix times one vector (on either side): the gemv kernel's case. */
export function isMatrixVector(p: MatmulParams): boolean {
  return p.batch === 1 && (p.n === 1 || p.m === 1);
}

/**
 * A single matrix-vector product (n = 1: op(A)·b; m = 1: a·op(B), i.e. op(B)ᵀ·a) by the gemv
 * kernel. The vector side is contiguous whichever way it is read ([k, 1] and [1, k] are the same
 * memory); the matrix is read along its stored rows or columns.
 */
function wasmGemv(rt: WasmRuntime, a: FloatArray, b: FloatArray, out: FloatArray, p: MatmulParams): void {
  const { heap, kernels } = rt;
  heap.reset();
  const aAt = heap.write(a);
  const bAt = heap.write(b);
  const yAt = heap.alloc(out.byteLength);
  const gemv = a instanceof Float64Array ? kernels.gemv_f64 : kernels.gemv_f32;
  if (p.n === 1) {
    // op(A)[i, kk] is at i·ars + kk·acs
    gemv(aAt, p.transA ? 1 : p.k, p.transA ? p.m : 1, bAt, yAt, p.m, p.k);
  } else {
    // op(B)ᵀ[j, kk] = op(B)[kk, j] is at kk·brs + j·bcs
    gemv(bAt, p.transB ? p.k : 1, p.transB ? 1 : p.n, aAt, yAt, p.n, p.k);
  }
  heap.read(yAt, out);
}
