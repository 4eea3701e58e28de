/**
 * Training-mode batch normalization on the WebAssembly kernels (assembly/norm.ts): the operands
 * are copied into the heap, each thread takes a contiguous range of channels (their statistics
 * are independent), and the results are copied back. Against the JavaScript loops (about a
 * nanosecond an element per pass) the kernels run two f64 lanes at a time on every thread.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams } from "../backend.js";
import type { ThreadedKernel } from "./exports.js";
import { callThroughHeap, flavour } from "./heap-call.js";
import type { WasmRuntime } from "./runtime.js";
import { splitForThreads, threadsFor, tuning, worthIt } from "./split.js";

/** Whether the kernels take this call: enough elements, and every array of x's float type. */
export function wasmBatchNormFits(x: FloatArray, ...others: FloatArray[]): boolean {
  if (!worthIt(x.length, tuning.elementwiseMinSize)) return false;
  for (const other of others) if (other.constructor !== x.constructor) return false;
  return true;
}

/** Channel ranges for the threads worth using on p (one channel is never split). */
function channelRanges(rt: WasmRuntime, p: BatchNormParams): [number, number][] {
  const elements = p.n * p.c * p.spatial;
  return splitForThreads(p.c, threadsFor(elements, p.c, rt.pool.threads, tuning.elementsPerThread));
}

/**
 * Runs `kernel` through the arena (callThroughHeap) on each thread's channel range; its
 * arguments: the inputs' and outputs' offsets in that order, then n, c, spatial, eps, c0, c1.
 */
function runPerChannel(
  rt: WasmRuntime,
  kernel: ThreadedKernel,
  inputs: readonly FloatArray[],
  outputs: readonly FloatArray[],
  p: BatchNormParams,
): void {
  callThroughHeap(
    rt,
    kernel,
    inputs,
    outputs.map((array) => ({ array })),
    (offsets) => perChannelParts(rt, p, offsets),
  );
}

/** The parts of a per-channel kernel: `offsets` (its arrays in the arena), then n, c, spatial, eps, c0, c1. */
export function perChannelParts(rt: WasmRuntime, p: BatchNormParams, offsets: readonly number[]): number[][] {
  return channelRanges(rt, p).map(([c0, c1]) => [...offsets, p.n, p.c, p.spatial, p.eps, c0, c1]);
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
  runPerChannel(rt, flavour(x, "batch_norm"), [x, weight, bias], [out, mean, variance], p);
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
  runPerChannel(
    rt,
    flavour(x, "batch_norm_backward"),
    [g, x, weight, mean, variance],
    [dx, dWeight, dBias],
    p,
  );
}
