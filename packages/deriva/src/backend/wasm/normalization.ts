/**
 * Training-mode batch normalization on the WebAssembly kernels (assembly/norm.ts): the operands
 * are copied into the heap, each thread takes a contiguous range of channels (their statistics
 * are independent), and the results are copied back. Against the JavaScript loops (about a
 * nanosecond an element per pass) the kernels run two f64 lanes at a time on every thread.
 */
import type { FloatArray } from "../arrays.js";
import type { BatchNormParams } from "../backend.js";
import type { ThreadedKernel } from "./exports.js";
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

function suffix(x: FloatArray): "f32" | "f64" {
  return x instanceof Float64Array ? "f64" : "f32";
}

/**
 * Copies `inputs` into the heap, reserves `outputs`, runs `kernel` on each thread's channel range
 * (its arguments: the inputs' and outputs' offsets in that order, then n, c, spatial, eps, c0, c1)
 * and copies the outputs back.
 */
function runPerChannel(
  rt: WasmRuntime,
  kernel: ThreadedKernel,
  inputs: readonly FloatArray[],
  outputs: readonly FloatArray[],
  p: BatchNormParams,
): void {
  const { heap } = rt;
  heap.reset();
  const pointers = [...inputs.map((a) => heap.write(a)), ...outputs.map((a) => heap.alloc(a.byteLength))];
  const parts = channelRanges(rt, p).map(([c0, c1]) => [...pointers, p.n, p.c, p.spatial, p.eps, c0, c1]);
  rt.pool.run(kernel, parts);
  for (let i = 0; i < outputs.length; i++) heap.read(pointers[inputs.length + i]!, outputs[i]!);
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
  runPerChannel(rt, `batch_norm_${suffix(x)}`, [x, weight, bias], [out, mean, variance], p);
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
    `batch_norm_backward_${suffix(x)}`,
    [g, x, weight, mean, variance],
    [dx, dWeight, dBias],
    p,
  );
}
