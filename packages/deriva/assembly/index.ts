/**
 * The WebAssembly module's exports: monomorphic f32 / f64 entry points over raw byte pointers
 * into the shared memory. The TypeScript side (src/backend/wasm/kernels.ts) declares the same
 * signatures; `<name>_f32` / `<name>_f64` pairs take identical arguments.
 */
import {
  conv2dFilterGrad, conv2dForward, conv2dInputGrad, convByWinograd, convScratchBytes, winogradFilterGradScratch,
  winogradFilterGradInputs, winogradFilterGradInputsBytes, winogradFilterGradPlaneBytes, winogradFilters,
} from "./conv";
import { gemmBatch, gemmScratchBytes } from "./gemm";
import { gemv } from "./gemv";
import { batchNorm, batchNormBackward } from "./norm";
import { binary, reduceMiddle, unary, unaryGrad } from "./elementwise";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./pool";
import { adamUpdate, sgdUpdate } from "./update";

// ── matmul ─────────────────────────────────────────────────────────────────────────────

export function gemm_f32(
  a: usize, ars: i32, acs: i32, aOffsets: usize, b: usize, brs: i32, bcs: i32, bOffsets: usize,
  c: usize, m: i32, n: i32, k: i32, batch0: i32, batch1: i32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  gemmBatch<f32>(a, ars, acs, aOffsets, b, brs, bcs, bOffsets, c, m, n, k, batch0, batch1, i0, i1, j0, j1, scratch);
}
export function gemm_f64(
  a: usize, ars: i32, acs: i32, aOffsets: usize, b: usize, brs: i32, bcs: i32, bOffsets: usize,
  c: usize, m: i32, n: i32, k: i32, batch0: i32, batch1: i32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  gemmBatch<f64>(a, ars, acs, aOffsets, b, brs, bcs, bOffsets, c, m, n, k, batch0, batch1, i0, i1, j0, j1, scratch);
}
export function gemm_scratch_f32(): i32 {
  return gemmScratchBytes<f32>();
}
export function gemm_scratch_f64(): i32 {
  return gemmScratchBytes<f64>();
}

export function gemv_f32(m: usize, mrs: i32, mcs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  gemv<f32>(m, mrs, mcs, x, y, rows, k);
}
export function gemv_f64(m: usize, mrs: i32, mcs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  gemv<f64>(m, mrs, mcs, x, y, rows, k);
}

// ── convolution ────────────────────────────────────────────────────────────────────────

export function conv_scratch_f32(g: usize): i32 {
  return convScratchBytes<f32>(g);
}
export function conv_scratch_f64(g: usize): i32 {
  return convScratchBytes<f64>(g);
}
export function conv_by_winograd_f32(g: usize): bool {
  return convByWinograd<f32>(g);
}
export function winograd_filters_f32(g: usize, weight: usize, u: usize, turned: bool, o0: i32, o1: i32): void {
  winogradFilters(g, weight, u, turned, o0, o1);
}
export function winograd_inputs_f32(g: usize, x: usize, v: usize, b0: i32, b1: i32, plane: usize): void {
  winogradFilterGradInputs(g, x, v, b0, b1, plane);
}
export function winograd_inputs_bytes_f32(g: usize): i32 {
  return winogradFilterGradInputsBytes(g);
}
export function winograd_plane_bytes_f32(g: usize): i32 {
  return winogradFilterGradPlaneBytes(g);
}
export function conv_filter_grad_winograd_scratch_f32(g: usize, filters: i32): i32 {
  return winogradFilterGradScratch<f32>(g, filters);
}
export function conv2d_f32(
  g: usize, x: usize, w: usize, bias: usize, hasBias: bool, out: usize, b0: i32, b1: i32, scratch: usize,
): void {
  conv2dForward<f32>(g, x, w, bias, hasBias, out, b0, b1, scratch);
}
export function conv2d_f64(
  g: usize, x: usize, w: usize, bias: usize, hasBias: bool, out: usize, b0: i32, b1: i32, scratch: usize,
): void {
  conv2dForward<f64>(g, x, w, bias, hasBias, out, b0, b1, scratch);
}
export function conv2d_input_grad_f32(g: usize, grad: usize, w: usize, dx: usize, b0: i32, b1: i32, scratch: usize): void {
  conv2dInputGrad<f32>(g, grad, w, dx, b0, b1, scratch);
}
export function conv2d_input_grad_f64(g: usize, grad: usize, w: usize, dx: usize, b0: i32, b1: i32, scratch: usize): void {
  conv2dInputGrad<f64>(g, grad, w, dx, b0, b1, scratch);
}
export function conv2d_filter_grad_f32(
  g: usize, x: usize, grad: usize, dw: usize, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  conv2dFilterGrad<f32>(g, x, grad, dw, i0, i1, j0, j1, scratch);
}
export function conv2d_filter_grad_f64(
  g: usize, x: usize, grad: usize, dw: usize, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  conv2dFilterGrad<f64>(g, x, grad, dw, i0, i1, j0, j1, scratch);
}

// ── pooling ────────────────────────────────────────────────────────────────────────────

export function max_pool_f32(g: usize, x: usize, out: usize, argmax: usize, p0: i32, p1: i32): void {
  maxPool2d<f32>(g, x, out, argmax, p0, p1);
}
export function max_pool_f64(g: usize, x: usize, out: usize, argmax: usize, p0: i32, p1: i32): void {
  maxPool2d<f64>(g, x, out, argmax, p0, p1);
}
export function max_pool_backward_f32(g: usize, grad: usize, argmax: usize, dx: usize, p0: i32, p1: i32): void {
  maxPool2dBackward<f32>(g, grad, argmax, dx, p0, p1);
}
export function max_pool_backward_f64(g: usize, grad: usize, argmax: usize, dx: usize, p0: i32, p1: i32): void {
  maxPool2dBackward<f64>(g, grad, argmax, dx, p0, p1);
}
export function avg_pool_f32(g: usize, x: usize, out: usize, p0: i32, p1: i32): void {
  avgPool2d<f32>(g, x, out, p0, p1);
}
export function avg_pool_f64(g: usize, x: usize, out: usize, p0: i32, p1: i32): void {
  avgPool2d<f64>(g, x, out, p0, p1);
}
export function avg_pool_backward_f32(g: usize, grad: usize, dx: usize, p0: i32, p1: i32): void {
  avgPool2dBackward<f32>(g, grad, dx, p0, p1);
}
export function avg_pool_backward_f64(g: usize, grad: usize, dx: usize, p0: i32, p1: i32): void {
  avgPool2dBackward<f64>(g, grad, dx, p0, p1);
}

// ── elementwise ────────────────────────────────────────────────────────────────────────

export function unary_f32(op: i32, x: usize, out: usize, n: i32): void {
  unary<f32>(op, x, out, n);
}
export function unary_f64(op: i32, x: usize, out: usize, n: i32): void {
  unary<f64>(op, x, out, n);
}
export function unary_grad_f32(op: i32, g: usize, y: usize, out: usize, n: i32): void {
  unaryGrad<f32>(op, g, y, out, n);
}
export function unary_grad_f64(op: i32, g: usize, y: usize, out: usize, n: i32): void {
  unaryGrad<f64>(op, g, y, out, n);
}
export function binary_f32(op: i32, a: usize, b: usize, out: usize, plan: usize, row0: i32, row1: i32): void {
  binary<f32>(op, a, b, out, plan, row0, row1);
}
export function binary_f64(op: i32, a: usize, b: usize, out: usize, plan: usize, row0: i32, row1: i32): void {
  binary<f64>(op, a, b, out, plan, row0, row1);
}
export function reduce_f32_f32(op: i32, x: usize, outer: i32, r: i32, inner: i32, out: usize, o0: i32, o1: i32, scratch: usize): void {
  reduceMiddle<f32, f32>(op, x, outer, r, inner, out, o0, o1, scratch);
}
export function reduce_f32_f64(op: i32, x: usize, outer: i32, r: i32, inner: i32, out: usize, o0: i32, o1: i32, scratch: usize): void {
  reduceMiddle<f32, f64>(op, x, outer, r, inner, out, o0, o1, scratch);
}
export function reduce_f64_f32(op: i32, x: usize, outer: i32, r: i32, inner: i32, out: usize, o0: i32, o1: i32, scratch: usize): void {
  reduceMiddle<f64, f32>(op, x, outer, r, inner, out, o0, o1, scratch);
}
export function reduce_f64_f64(op: i32, x: usize, outer: i32, r: i32, inner: i32, out: usize, o0: i32, o1: i32, scratch: usize): void {
  reduceMiddle<f64, f64>(op, x, outer, r, inner, out, o0, o1, scratch);
}

// ── optimizer updates (in place) ───────────────────────────────────────────────────────

export function sgd_update_f32(
  p: usize, g: usize, b: usize, from: i32, to: i32, lr: f64, wd: f64, momentum: f64, keep: f64, take: f64,
  hasBuffer: bool, nesterov: bool,
): void {
  sgdUpdate<f32>(p, g, b, from, to, lr, wd, momentum, keep, take, hasBuffer, nesterov);
}
export function sgd_update_f64(
  p: usize, g: usize, b: usize, from: i32, to: i32, lr: f64, wd: f64, momentum: f64, keep: f64, take: f64,
  hasBuffer: bool, nesterov: bool,
): void {
  sgdUpdate<f64>(p, g, b, from, to, lr, wd, momentum, keep, take, hasBuffer, nesterov);
}
export function adam_update_f32(
  p: usize, g: usize, m: usize, v: usize, from: i32, to: i32, lr: f64, beta1: f64, beta2: f64, rest1: f64,
  rest2: f64, c1: f64, c2: f64, eps: f64, wd: f64, decoupled: bool,
): void {
  adamUpdate<f32>(p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, decoupled);
}
export function adam_update_f64(
  p: usize, g: usize, m: usize, v: usize, from: i32, to: i32, lr: f64, beta1: f64, beta2: f64, rest1: f64,
  rest2: f64, c1: f64, c2: f64, eps: f64, wd: f64, decoupled: bool,
): void {
  adamUpdate<f64>(p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, decoupled);
}

// ── batch normalization (channels [c0, c1)) ────────────────────────────────────────────

export function batch_norm_f32(
  x: usize, w: usize, b: usize, out: usize, mean: usize, variance: usize, n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  batchNorm<f32>(x, w, b, out, mean, variance, n, c, spatial, eps, c0, c1);
}
export function batch_norm_f64(
  x: usize, w: usize, b: usize, out: usize, mean: usize, variance: usize, n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  batchNorm<f64>(x, w, b, out, mean, variance, n, c, spatial, eps, c0, c1);
}
export function batch_norm_backward_f32(
  g: usize, x: usize, w: usize, mean: usize, variance: usize, dx: usize, dw: usize, db: usize,
  n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  batchNormBackward<f32>(g, x, w, mean, variance, dx, dw, db, n, c, spatial, eps, c0, c1);
}
export function batch_norm_backward_f64(
  g: usize, x: usize, w: usize, mean: usize, variance: usize, dx: usize, dw: usize, db: usize,
  n: i32, c: i32, spatial: i32, eps: f64, c0: i32, c1: i32,
): void {
  batchNormBackward<f64>(g, x, w, mean, variance, dx, dw, db, n, c, spatial, eps, c0, c1);
}
