/**
 * The optimizers' fused updates on the WebAssembly kernels (assembly/update.ts): the parameter,
 * its gradient and its state buffers are copied into the heap, updated there in one pass of SIMD
 * f64 arithmetic split across threads by element range, and copied back. Even with the copies this beats the JavaScript loop (V8 runs a
 * float32 loop at about a nanosecond per element; a memcpy is ten times faster), and the bits are
 * the JavaScript reference's: both compute in f64 in the same order.
 */
import type { FloatArray, TypedArray } from "../arrays.js";
import { adamFactors, sgdBufferWeights } from "../js/update.js";
import type { AdamHyper, SgdHyper } from "../storage.js";
import type { WasmRuntime } from "./runtime.js";
import { splitForThreads, threadsFor, tuning, worthIt } from "./split.js";

/** Whether the kernel takes this update: enough elements, all arrays of one float type. */
export function wasmUpdateFits(p: TypedArray, ...others: (TypedArray | null)[]): boolean {
  if (!worthIt(p.length, tuning.elementwiseMinSize) || p instanceof Int32Array) return false;
  for (const other of others) if (other && other.constructor !== p.constructor) return false;
  return true;
}

export function wasmSgdUpdate(
  rt: WasmRuntime,
  p: FloatArray,
  g: FloatArray,
  buffer: FloatArray | null,
  h: SgdHyper,
): void {
  const { heap } = rt;
  heap.reset();
  const pAt = heap.write(p);
  const gAt = heap.write(g);
  const hasBuffer = buffer !== null && h.momentum !== 0;
  const bAt = hasBuffer ? heap.write(buffer) : 0;
  const { keep, take } = sgdBufferWeights(h);
  const flags = [h.lr, h.weightDecay, h.momentum, keep, take, hasBuffer ? 1 : 0, h.nesterov ? 1 : 0];
  rt.pool.run(
    p instanceof Float64Array ? "sgd_update_f64" : "sgd_update_f32",
    byRange(rt, p.length).map(([from, to]) => [pAt, gAt, bAt, from, to, ...flags]),
  );
  heap.read(pAt, p);
  if (hasBuffer) heap.read(bAt, buffer);
}

export function wasmAdamUpdate(
  rt: WasmRuntime,
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  h: AdamHyper,
): void {
  const { heap } = rt;
  heap.reset();
  const pAt = heap.write(p);
  const gAt = heap.write(g);
  const mAt = heap.write(m);
  const vAt = heap.write(v);
  const { rest1, rest2, invCorrection1, invSqrtCorrection2 } = adamFactors(h);
  const hyper = [
    h.lr,
    h.beta1,
    h.beta2,
    rest1,
    rest2,
    invCorrection1,
    invSqrtCorrection2,
    h.eps,
    h.weightDecay,
    h.decoupled ? 1 : 0,
  ];
  rt.pool.run(
    p instanceof Float64Array ? "adam_update_f64" : "adam_update_f32",
    byRange(rt, p.length).map(([from, to]) => [pAt, gAt, mAt, vAt, from, to, ...hyper]),
  );
  heap.read(pAt, p);
  heap.read(mAt, m);
  heap.read(vAt, v);
}

/** The element ranges of an update, for the threads that pay for themselves (a few ranges each). */
function byRange(rt: WasmRuntime, n: number): [number, number][] {
  return splitForThreads(n, threadsFor(n, n, rt.pool.threads, tuning.updateElementsPerThread));
}
