/**
 * Convolution and pooling on the WebAssembly kernels. The forward pass and the input gradient
 * are split across threads by image; the filter gradient first lays out every image's im2col
 * matrix and output gradient side by side (split by image), then runs one GEMM over all of them,
 * split by taps or by filters, whose every element sums in the same order on any thread count.
 * Pooling splits by plane.
 */
import type { FloatArray, TypedArray } from "../arrays.js";
import type { Conv2dParams, Pool2dParams } from "../backend.js";
import type { ThreadedKernel } from "./exports.js";
import { callThroughHeap, flavour, type HeapOutput } from "./heap-call.js";
import { TILE_COLS_F32, TILE_ROWS } from "./matmul.js";
import type { WasmRuntime } from "./runtime.js";
import { splitForThreads, splitRange, threadsFor, tuning } from "./split.js";

/** The geometry block the kernels read (order of assembly/geometry.ts). */
export function convGeometry(p: Conv2dParams): number[] {
  return [p.n, p.cIn, p.h, p.w, p.cOut, p.kh, p.kw, p.strideH, p.strideW, p.padH, p.padW, p.outH, p.outW];
}

/** The pooling geometry block the kernels read (order of assembly/geometry.ts). */
export function poolGeometry(p: Pool2dParams): number[] {
  return [p.n, p.c, p.h, p.w, p.kh, p.kw, p.strideH, p.strideW, p.padH, p.padW, p.outH, p.outW];
}

/** Multiply-adds of one of the three convolution GEMMs. */
export function convWork(p: Conv2dParams): number {
  return p.n * p.cOut * p.cIn * p.kh * p.kw * p.outH * p.outW;
}

/** A call through the arena (callThroughHeap) whose kernel first reads the geometry block at g. */
function call(
  rt: WasmRuntime,
  kernel: ThreadedKernel,
  geometry: number[],
  inputs: readonly (TypedArray | null)[],
  outputs: readonly HeapOutput[],
  split: (g: number, offsets: number[]) => number[][],
): void {
  callThroughHeap(rt, kernel, inputs, outputs, (offsets) => split(rt.heap.writeInts(geometry), offsets));
}

/** Parts by image: [b0, b1, scratch] appended to `head`, with a scratch block per part. */
export function byImage(
  rt: WasmRuntime,
  p: Conv2dParams,
  x: FloatArray,
  g: number,
  head: number[],
): number[][] {
  const threads = threadsFor(convWork(p), p.n, rt.pool.threads);
  const scratch = x instanceof Float64Array ? rt.kernels.conv_scratch_f64(g) : rt.kernels.conv_scratch_f32(g);
  return splitForThreads(p.n, threads).map(([b0, b1]) => [g, ...head, b0, b1, rt.heap.alloc(scratch)]);
}

/**
 * The filters the forward pass (or, `turned`, the input gradient) of the convolution at g reads:
 * on Winograd's path (assembly/winograd.ts) their transform, computed here once for all parts of
 * the call, threads sharing its rows; else the weight as it is, at wAt.
 */
export function passFilters(
  rt: WasmRuntime,
  p: Conv2dParams,
  x: FloatArray,
  g: number,
  wAt: number,
  turned: boolean,
): number {
  if (x instanceof Float64Array || !rt.kernels.conv_by_winograd_f32(g)) return wAt;
  const rows = turned ? p.cIn : p.cOut;
  const uAt = rt.heap.alloc(16 * p.cIn * p.cOut * 4);
  // each of the 16·cIn·cOut values costs about eight elementwise operations (gRow's f64 sums)
  const threads = threadsFor(16 * p.cIn * p.cOut * 8, rows, rt.pool.threads, tuning.elementsPerThread);
  const parts = splitRange(rows, threads).map(([o0, o1]) => [g, wAt, uAt, turned ? 1 : 0, o0, o1]);
  rt.pool.run("winograd_filters_f32", parts);
  return uAt;
}

export function wasmConv2d(
  rt: WasmRuntime,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  out: FloatArray,
  p: Conv2dParams,
): void {
  call(rt, flavour(x, "conv2d"), convGeometry(p), [x, weight, bias], [{ array: out }], (g, offsets) =>
    conv2dParts(rt, p, x, g, offsets),
  );
}

export function wasmConv2dInputGrad(
  rt: WasmRuntime,
  grad: FloatArray,
  weight: FloatArray,
  out: FloatArray,
  p: Conv2dParams,
): void {
  call(
    rt,
    flavour(grad, "conv2d_input_grad"),
    convGeometry(p),
    [grad, weight],
    [{ array: out }],
    (g, [gradAt, wAt, dxAt]) =>
      byImage(rt, p, grad, g, [gradAt!, passFilters(rt, p, grad, g, wAt!, true), dxAt!]),
  );
}

export function wasmConv2dFilterGrad(
  rt: WasmRuntime,
  x: FloatArray,
  grad: FloatArray,
  out: FloatArray,
  p: Conv2dParams,
): void {
  call(
    rt,
    flavour(x, "conv2d_filter_grad"),
    convGeometry(p),
    [x, grad],
    [{ array: out }],
    (g, [xAt, gradAt, dwAt]) => filterGradParts(rt, p, x, g, xAt!, gradAt!, dwAt!),
  );
}

/** The parts of conv2d over images, the geometry at g: x, weight, bias (0: none) and out at their offsets. */
export function conv2dParts(
  rt: WasmRuntime,
  p: Conv2dParams,
  x: FloatArray,
  g: number,
  [xAt, wAt, bAt, outAt]: readonly number[],
): number[][] {
  return byImage(rt, p, x, g, [xAt!, passFilters(rt, p, x, g, wAt!, false), bAt!, bAt ? 1 : 0, outAt!]);
}

/**
 * The parts of the filter gradient (conv2d_filter_grad): the geometry at g, x and the output
 * gradient at xAt and gradAt, dw written at dwAt. One band of dw per thread, split by taps where
 * there are enough (each thread then lays out only its own taps of each image), else by filters;
 * by filters always on Winograd's path (assembly/winograd.ts), which needs all of a filter's taps
 * and reads the inputs transformed here first, once for all parts.
 */
export function filterGradParts(
  rt: WasmRuntime,
  p: Conv2dParams,
  x: FloatArray,
  g: number,
  xAt: number,
  gradAt: number,
  dwAt: number,
): number[][] {
  const { heap, pool, kernels } = rt;
  const f64 = x instanceof Float64Array;
  const taps = p.cIn * p.kh * p.kw;
  if (!f64 && kernels.conv_filter_grad_winograd_scratch_f32(g, p.cOut) > 0) {
    // Winograd's path: the inputs transformed once for all parts (split by image), then all of a
    // filter's taps at once, a range of filters per thread, reading them in place of x
    const vAt = heap.alloc(kernels.winograd_inputs_bytes_f32(g));
    const planeBytes = kernels.winograd_plane_bytes_f32(g);
    const byImages = splitForThreads(p.n, threadsFor(convWork(p), p.n, pool.threads));
    pool.run(
      "winograd_inputs_f32",
      byImages.map(([b0, b1]) => [g, xAt, vAt, b0, b1, heap.alloc(planeBytes)]),
    );
    const threads = threadsFor(convWork(p), Math.ceil(p.cOut / TILE_ROWS), pool.threads);
    return splitRange(p.cOut, threads, TILE_ROWS).map(([i0, i1]) => {
      const scratch = heap.alloc(kernels.conv_filter_grad_winograd_scratch_f32(g, i1 - i0));
      return [g, vAt, gradAt, dwAt, i0, i1, 0, taps, scratch];
    });
  }
  const gemmScratch = f64 ? kernels.gemm_scratch_f64() : kernels.gemm_scratch_f32();
  const tileColumns = f64 ? TILE_COLS_F32 / 2 : TILE_COLS_F32;
  const byTaps = taps >= p.cOut;
  const [extent, align] = byTaps ? [taps, tileColumns] : [p.cOut, TILE_ROWS];
  const threads = threadsFor(convWork(p), Math.ceil(extent / align), pool.threads);
  return splitRange(extent, threads, align).map(([a, b]) => {
    const [i0, i1, j0, j1] = byTaps ? [0, p.cOut, a, b] : [a, b, 0, taps];
    // the receptive fields of one image's taps, and the sums of a transposed block (conv2dFilterGrad)
    const colsBytes = (j1 - j0) * (p.outH * p.outW + i1 - i0) * x.BYTES_PER_ELEMENT;
    return [g, xAt, gradAt, dwAt, i0, i1, j0, j1, heap.alloc(colsBytes + gemmScratch)];
  });
}

// ── pooling ────────────────────────────────────────────────────────────────────────────

/** Parts by plane (memory-bound: a thread needs many elements to pay off): [...offsets, p0, p1]. */
export function byPlane(rt: WasmRuntime, p: Pool2dParams, g: number, offsets: number[]): number[][] {
  const planes = p.n * p.c;
  const threads = threadsFor(planes * p.h * p.w, planes, rt.pool.threads, tuning.elementsPerThread);
  return splitForThreads(planes, threads).map(([p0, p1]) => [g, ...offsets, p0, p1]);
}

export function wasmMaxPool2d(
  rt: WasmRuntime,
  x: FloatArray,
  out: FloatArray,
  argmax: Int32Array,
  p: Pool2dParams,
): void {
  call(rt, flavour(x, "max_pool"), poolGeometry(p), [x], [{ array: out }, { array: argmax }], (g, offsets) =>
    byPlane(rt, p, g, offsets),
  );
}

export function wasmMaxPool2dBackward(
  rt: WasmRuntime,
  grad: FloatArray,
  argmax: Int32Array,
  out: FloatArray,
  p: Pool2dParams,
): void {
  // the kernel zeroes its planes of out before adding into them: no zeros to copy in
  call(
    rt,
    flavour(grad, "max_pool_backward"),
    poolGeometry(p),
    [grad, argmax],
    [{ array: out }],
    (g, offsets) => byPlane(rt, p, g, offsets),
  );
}

export function wasmAvgPool2d(rt: WasmRuntime, x: FloatArray, out: FloatArray, p: Pool2dParams): void {
  call(rt, flavour(x, "avg_pool"), poolGeometry(p), [x], [{ array: out }], (g, offsets) =>
    byPlane(rt, p, g, offsets),
  );
}

export function wasmAvgPool2dBackward(
  rt: WasmRuntime,
  grad: FloatArray,
  out: FloatArray,
  p: Pool2dParams,
): void {
  // out arrives zero-filled and the kernel adds into it
  call(
    rt,
    flavour(grad, "avg_pool_backward"),
    poolGeometry(p),
    [grad],
    [{ array: out, initial: true }],
    (g, offsets) => byPlane(rt, p, g, offsets),
  );
}
