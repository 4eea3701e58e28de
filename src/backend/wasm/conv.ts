/**
 * Convolution and pooling on the WebAssembly kernels. The forward pass and the input gradient
 * are split across threads by image; the filter gradient first builds every image's im2col
 * matrix (split by image), then splits the filter rows, each thread summing over all images in
 * the same order, so that any thread count gives the same result.
 */
import type { FloatArray } from "../../tensor/dtype.js";
import type { Conv2dParams, Pool2dParams } from "../backend.js";
import type { WasmRuntime } from "./runtime.js";
import { splitRange, threadsFor, tuning } from "./split.js";

const TILE_ROWS = 4;

/** The geometry block the kernels read (order of assembly/geometry.ts). */
function convGeometry(p: Conv2dParams): number[] {
  return [p.n, p.cIn, p.h, p.w, p.cOut, p.kh, p.kw, p.strideH, p.strideW, p.padH, p.padW, p.outH, p.outW];
}

/** Multiply-adds of one of the three convolution GEMMs. */
export function convWork(p: Conv2dParams): number {
  return p.n * p.cOut * p.cIn * p.kh * p.kw * p.outH * p.outW;
}

function isF64(x: FloatArray): boolean {
  return x instanceof Float64Array;
}

/** Per-image ranges and a scratch block for each, as the forward and input-gradient kernels take them. */
function imageParts(
  rt: WasmRuntime,
  p: Conv2dParams,
  geometry: number,
  f64: boolean,
): [number, number, number][] {
  const threads = threadsFor(convWork(p), p.n, rt.pool.threads);
  const scratch = f64 ? rt.kernels.conv_scratch_f64(geometry) : rt.kernels.conv_scratch_f32(geometry);
  return splitRange(p.n, threads).map(([b0, b1]) => [b0, b1, rt.heap.alloc(scratch)]);
}

export function wasmConv2d(
  rt: WasmRuntime,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  p: Conv2dParams,
): void {
  const { heap } = rt;
  const f64 = isF64(x);
  heap.reset();
  const g = heap.writeInts(convGeometry(p));
  const xAt = heap.write(x);
  const wAt = heap.write(weight);
  const biasAt = bias ? heap.write(bias) : 0;
  const outAt = heap.alloc(out.byteLength);
  const parts = imageParts(rt, p, g, f64).map(([b0, b1, scratch]) => [
    g,
    xAt,
    wAt,
    biasAt,
    bias ? 1 : 0,
    outAt,
    b0,
    b1,
    scratch,
  ]);
  rt.pool.run(f64 ? "conv2d_f64" : "conv2d_f32", parts);
  heap.read(outAt, out);
}

export function wasmConv2dInputGrad(
  rt: WasmRuntime,
  grad: FloatArray,
  weight: FloatArray,
  out: FloatArray,
  p: Conv2dParams,
): void {
  const { heap } = rt;
  const f64 = isF64(grad);
  heap.reset();
  const g = heap.writeInts(convGeometry(p));
  const gradAt = heap.write(grad);
  const wAt = heap.write(weight);
  const dxAt = heap.alloc(out.byteLength);
  const parts = imageParts(rt, p, g, f64).map(([b0, b1, scratch]) => [g, gradAt, wAt, dxAt, b0, b1, scratch]);
  rt.pool.run(f64 ? "conv2d_input_grad_f64" : "conv2d_input_grad_f32", parts);
  heap.read(dxAt, out);
}

export function wasmConv2dFilterGrad(
  rt: WasmRuntime,
  x: FloatArray,
  grad: FloatArray,
  out: FloatArray,
  p: Conv2dParams,
): void {
  const { heap, pool, kernels } = rt;
  const f64 = isF64(x);
  const size = f64 ? 8 : 4;
  heap.reset();
  const g = heap.writeInts(convGeometry(p));
  const xAt = heap.write(x);
  const gradAt = heap.write(grad);
  const dwAt = heap.alloc(out.byteLength);
  const pointwise =
    p.kh === 1 && p.kw === 1 && p.strideH === 1 && p.strideW === 1 && p.padH === 0 && p.padW === 0;
  let colsAt = xAt;
  if (!pointwise) {
    colsAt = heap.alloc(p.n * p.cIn * p.kh * p.kw * p.outH * p.outW * size);
    const threads = threadsFor(convWork(p), p.n, pool.threads);
    const parts = splitRange(p.n, threads).map(([b0, b1]) => [g, xAt, colsAt, b0, b1]);
    pool.run(f64 ? "im2col_f64" : "im2col_f32", parts);
  }
  const threads = threadsFor(convWork(p), p.cOut, pool.threads);
  const scratch = f64 ? kernels.gemm_scratch_f64() : kernels.gemm_scratch_f32();
  const parts = splitRange(p.cOut, threads, TILE_ROWS).map(([co0, co1]) => [
    g,
    gradAt,
    colsAt,
    dwAt,
    p.n,
    co0,
    co1,
    heap.alloc(scratch),
  ]);
  pool.run(f64 ? "conv2d_filter_grad_f64" : "conv2d_filter_grad_f32", parts);
  heap.read(dwAt, out);
}

// ── pooling ────────────────────────────────────────────────────────────────────────────

function poolGeometry(p: Pool2dParams): number[] {
  return [p.n, p.c, p.h, p.w, p.kh, p.kw, p.strideH, p.strideW, p.padH, p.padW, p.outH, p.outW];
}

/** Plane ranges for the pooling kernels (memory-bound: a thread needs many elements to pay off). */
function planeRanges(rt: WasmRuntime, p: Pool2dParams): [number, number][] {
  const planes = p.n * p.c;
  const threads = threadsFor(planes * p.h * p.w, planes, rt.pool.threads, tuning.elementsPerThread);
  return splitRange(planes, threads);
}

export function wasmMaxPool2d(
  rt: WasmRuntime,
  x: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
  p: Pool2dParams,
): void {
  const { heap } = rt;
  const f64 = isF64(x);
  heap.reset();
  const g = heap.writeInts(poolGeometry(p));
  const xAt = heap.write(x);
  const outAt = heap.alloc(out.byteLength);
  const argAt = heap.alloc(argmax.byteLength);
  const parts = planeRanges(rt, p).map(([p0, p1]) => [g, xAt, outAt, argAt, p0, p1]);
  rt.pool.run(f64 ? "max_pool_f64" : "max_pool_f32", parts);
  heap.read(outAt, out);
  heap.read(argAt, argmax);
}

export function wasmAvgPool2d(rt: WasmRuntime, x: FloatArray, out: FloatArray, p: Pool2dParams): void {
  const { heap } = rt;
  const f64 = isF64(x);
  heap.reset();
  const g = heap.writeInts(poolGeometry(p));
  const xAt = heap.write(x);
  const outAt = heap.alloc(out.byteLength);
  const parts = planeRanges(rt, p).map(([p0, p1]) => [g, xAt, outAt, p0, p1]);
  rt.pool.run(f64 ? "avg_pool_f64" : "avg_pool_f32", parts);
  heap.read(outAt, out);
}

export function wasmAvgPool2dBackward(
  rt: WasmRuntime,
  grad: FloatArray,
  out: FloatArray,
  p: Pool2dParams,
): void {
  const { heap } = rt;
  const f64 = isF64(grad);
  heap.reset();
  const g = heap.writeInts(poolGeometry(p));
  const gradAt = heap.write(grad);
  const dxAt = heap.write(out); // arrives zero-filled
  const parts = planeRanges(rt, p).map(([p0, p1]) => [g, gradAt, dxAt, p0, p1]);
  rt.pool.run(f64 ? "avg_pool_backward_f64" : "avg_pool_backward_f32", parts);
  heap.read(dxAt, out);
}
