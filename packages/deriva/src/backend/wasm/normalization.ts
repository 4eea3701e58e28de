/**
 * Training-mode batch normalization on the WebAssembly kernels (assembly/norm.ts): the operands
 * are copied into the heap, each thread takes a contiguous range of channels (their statistics
 * are independent), and the results are copied back. Against the JavaScript loops (about a
 * nanosecond an element per pass) the kernels run two f64 lanes at a time on every thread.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams } from "../backend.js";
import type { WasmRuntime } from "./runtime.js";
import { splitRange, threadsFor, tuning, worthIt } from "./split.js";

/** Whether the kernels take this call: enough elements, and every array of x's float type. */
export function wasmBatchNormFits(x: FloatArray, ...others: FloatArray[]): boolean {
  if (!worthIt(x.length, tuning.elementwiseMinSize)) return false;
  for (const other of others) if (other.constructor !== x.constructor) return false;
  return true;
}

/** Channel ranges for the threads worth using on p (one channel is never split). */
function channelRanges(rt: WasmRuntime, p: BatchNormParams): [number, number][] {
  const elements = p.n * p.c * p.spatial;
  return splitRange(p.c, threadsFor(elements, p.c, rt.pool.threads, tuning.elementsPerThread));
}

function suffix(x: FloatArray): "f32" | "f64" {
  return x instanceof Float64Array ? "f64" : "f32";
}

export function wasmBatchNorm(
  rt: WasmRuntime,
  x: FloatArray,
  weight: FloatArray,
  bias: FloatArray,
  out: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  p: BatchNormParams,
): void {
  const { heap } = rt;
  heap.reset();
  const xAt = heap.write(x);
  const wAt = heap.write(weight);
  const bAt = heap.write(bias);
  const outAt = heap.alloc(out.byteLength);
  const meanAt = heap.alloc(mean.byteLength);
  const varianceAt = heap.alloc(variance.byteLength);
  const parts = channelRanges(rt, p).map(([c0, c1]) => [
    ...[xAt, wAt, bAt, outAt, meanAt, varianceAt],
    ...[p.n, p.c, p.spatial, p.eps, c0, c1],
  ]);
  rt.pool.run(`batch_norm_${suffix(x)}`, parts);
  heap.read(outAt, out);
  heap.read(meanAt, mean);
  heap.read(varianceAt, variance);
}

export function wasmBatchNormBackward(
  rt: WasmRuntime,
  g: FloatArray,
  x: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  variance: FloatArray,
  dx: FloatArray,
  dWeight: FloatArray,
  dBias: FloatArray,
  p: BatchNormParams,
): void {
  const { heap } = rt;
  heap.reset();
  const gAt = heap.write(g);
  const xAt = heap.write(x);
  const wAt = heap.write(weight);
  const meanAt = heap.write(mean);
  const varianceAt = heap.write(variance);
  const dxAt = heap.alloc(dx.byteLength);
  const dwAt = heap.alloc(dWeight.byteLength);
  const dbAt = heap.alloc(dBias.byteLength);
  const parts = channelRanges(rt, p).map(([c0, c1]) => [
    ...[gAt, xAt, wAt, meanAt, varianceAt, dxAt, dwAt, dbAt],
    ...[p.n, p.c, p.spatial, p.eps, c0, c1],
  ]);
  rt.pool.run(`batch_norm_backward_${suffix(x)}`, parts);
  heap.read(dxAt, dx);
  heap.read(dwAt, dWeight);
  heap.read(dbAt, dBias);
}
