/**
 * The WebAssembly backend: SIMD kernels (matmul, convolution and its two gradients, pooling,
 * batch normalization, elementwise ops, reductions) split across worker threads, behind the same
 * interface as the JavaScript backend. Each call picks its path by size: small tensors stay in
 * JavaScript (their cost is the call, not the arithmetic), and so do the kernels that only move
 * memory (strided copies, take, scatterAdd, casts), where copying into WebAssembly memory would
 * cost as much as the work. The storage is the CPU storage (js/storage.ts); the fused SGD and Adam
 * updates run in WebAssembly (RMSprop, Adagrad and scaleAdd keep the JavaScript loops). The arena
 * keeps copies of the arrays it was given (heap.ts), so the kernels that write existing arrays in
 * JavaScript (the storage's writes and updates, stridedWrite, scatterAdd) first forget them. The
 * registry (../registry.ts) loads it on first use and prefers it wherever this engine can run it.
 */
import type { FloatArray } from "../arrays.js";
import type { Backend, Conv2dParams } from "../backend.js";
import { jsBackend } from "../js/index.js";
import type { BackendProvider } from "../registry.js";
import {
  convWork,
  wasmAvgPool2d,
  wasmAvgPool2dBackward,
  wasmConv2d,
  wasmConv2dFilterGrad,
  wasmConv2dInputGrad,
  wasmMaxPool2d,
  wasmMaxPool2dBackward,
} from "./conv.js";
import { wasmConv2dMaxPool2d, wasmConv2dMaxPool2dBackward } from "./conv-pool.js";
import {
  wasmBinary,
  wasmBinaryFits,
  wasmReduce,
  wasmReduceFits,
  wasmUnary,
  wasmUnaryFits,
  wasmUnaryGrad,
  wasmUnaryGradFits,
} from "./elementwise.js";
import { HeapFull } from "./heap.js";
import { isMatrixVector, wasmMatmul } from "./matmul.js";
import { wasmBatchNormMaxPool2d, wasmBatchNormMaxPool2dBackward } from "./norm-pool.js";
import { wasmBatchNorm, wasmBatchNormBackward, wasmBatchNormFits } from "./normalization.js";
import { loadRuntime, loadRuntimeAsync, type WasmRuntime } from "./runtime.js";
import { tuning, worthIt } from "./split.js";
import { wasmAdamUpdate, wasmSgdUpdate, wasmUpdateFits } from "./update.js";

/**
 * Runs a WebAssembly kernel; false when the call needs more memory than the module may grow to
 * (the caller then runs the JavaScript kernel). It takes the kernel and its arguments rather than
 * a closure: a closure over the method's parameters would make every call, small ones included,
 * allocate a context for them.
 */
function ranInWasm<A extends unknown[]>(kernel: (...args: A) => void, ...args: A): boolean {
  try {
    kernel(...args);
    return true;
  } catch (error) {
    if (!(error instanceof HeapFull)) throw error;
    return false;
  }
}

/**
 * The backend: the JavaScript one, with the kernels that pay off in WebAssembly replaced, one
 * entry each: a size test, the WebAssembly call, and the JavaScript kernel for small calls (and
 * for calls too large for the heap). The size test comes first and the entries stay small, so the
 * engine inlines the path of small calls: the document's scalar examples make millions of them.
 */
export function createWasmBackend(rt: WasmRuntime): Backend {
  const js = jsBackend;
  // the kernels that change existing memory in JavaScript forget the arena's copies of it (heap.ts)
  const { heap } = rt;
  const convFits = (p: Conv2dParams) => worthIt(convWork(p), tuning.convMinWork);
  const poolFits = (size: number) => worthIt(size, tuning.poolMinSize);
  return {
    ...js,
    name: "wasm",
    unary(op, x, out) {
      if (!wasmUnaryFits(op, x, out) || !ranInWasm(wasmUnary, rt, op, x as FloatArray, out as FloatArray))
        js.unary(op, x, out);
    },
    unaryGrad(op, g, y, out) {
      if (!wasmUnaryGradFits(g, y, out) || !ranInWasm(wasmUnaryGrad, rt, op, g, y, out))
        js.unaryGrad(op, g, y, out);
    },
    binary(op, a, as, b, bs, out, shape) {
      const fits = wasmBinaryFits(a, b, out);
      if (
        !fits ||
        !ranInWasm(wasmBinary, rt, op, a as FloatArray, as, b as FloatArray, bs, out as FloatArray, shape)
      )
        js.binary(op, a, as, b, bs, out, shape);
    },
    reduce(op, x, shape, axes, out) {
      const fits = wasmReduceFits(x, out, axes);
      if (!fits || !ranInWasm(wasmReduce, rt, op, x as FloatArray, shape, axes, out as FloatArray))
        js.reduce(op, x, shape, axes, out);
    },
    matmul(a, b, out, p) {
      const fits = worthIt(
        p.batch * p.m * p.n * p.k,
        isMatrixVector(p) ? tuning.gemvMinWork : tuning.matmulMinWork,
      );
      if (!fits || !ranInWasm(wasmMatmul, rt, a, b, out, p)) js.matmul(a, b, out, p);
    },
    conv2d(x, w, bias, out, p) {
      if (!convFits(p) || !ranInWasm(wasmConv2d, rt, x, w, bias, out, p)) js.conv2d(x, w, bias, out, p);
    },
    conv2dBackwardInput(g, w, out, p) {
      if (!convFits(p) || !ranInWasm(wasmConv2dInputGrad, rt, g, w, out, p))
        js.conv2dBackwardInput(g, w, out, p);
    },
    conv2dBackwardFilter(x, g, out, p) {
      if (!convFits(p) || !ranInWasm(wasmConv2dFilterGrad, rt, x, g, out, p))
        js.conv2dBackwardFilter(x, g, out, p);
    },
    maxPool2d(x, out, argmax, p) {
      if (!poolFits(out.length) || !ranInWasm(wasmMaxPool2d, rt, x, out, argmax, p))
        js.maxPool2d(x, out, argmax, p);
    },
    maxPool2dBackward(g, argmax, out, p) {
      if (!poolFits(out.length) || !ranInWasm(wasmMaxPool2dBackward, rt, g, argmax, out, p))
        js.maxPool2dBackward(g, argmax, out, p);
    },
    avgPool2d(x, out, p) {
      if (!poolFits(out.length) || !ranInWasm(wasmAvgPool2d, rt, x, out, p)) js.avgPool2d(x, out, p);
    },
    sgdUpdate(p, g, buffer, h) {
      const fits = wasmUpdateFits(p, g, buffer);
      if (
        !fits ||
        !ranInWasm(wasmSgdUpdate, rt, p as FloatArray, g as FloatArray, buffer as FloatArray | null, h)
      ) {
        heap.forget(p);
        if (buffer) heap.forget(buffer);
        js.sgdUpdate(p, g, buffer, h);
      }
    },
    adamUpdate(p, g, m, v, h) {
      const fits = wasmUpdateFits(p, g, m, v);
      if (
        !fits ||
        !ranInWasm(wasmAdamUpdate, rt, p as FloatArray, g as FloatArray, m as FloatArray, v as FloatArray, h)
      ) {
        heap.forget(p);
        heap.forget(m);
        heap.forget(v);
        js.adamUpdate(p, g, m, v, h);
      }
    },
    rmspropUpdate(p, g, squareAvg, gradAvg, buffer, h) {
      for (const written of [p, squareAvg, gradAvg, buffer]) if (written) heap.forget(written);
      js.rmspropUpdate(p, g, squareAvg, gradAvg, buffer, h);
    },
    adagradUpdate(p, g, sum, h) {
      heap.forget(p);
      heap.forget(sum);
      js.adagradUpdate(p, g, sum, h);
    },
    write(target, values) {
      heap.forget(target);
      js.write(target, values);
    },
    scaleAdd(y, a, x, b) {
      heap.forget(y);
      js.scaleAdd(y, a, x, b);
    },
    stridedWrite(x, shape, out, offset, strides) {
      heap.forget(out);
      js.stridedWrite(x, shape, out, offset, strides);
    },
    scatterAdd(values, indices, out) {
      heap.forget(out);
      js.scatterAdd(values, indices, out);
    },
    avgPool2dBackward(g, out, p) {
      if (!poolFits(g.length) || !ranInWasm(wasmAvgPool2dBackward, rt, g, out, p))
        js.avgPool2dBackward(g, out, p);
    },
    batchNorm(x, weight, bias, out, mean, variance, p) {
      if (
        !wasmBatchNormFits(x, weight, bias, out, mean, variance) ||
        !ranInWasm(wasmBatchNorm, rt, x, weight, bias, out, mean, variance, p)
      )
        js.batchNorm(x, weight, bias, out, mean, variance, p);
    },
    batchNormBackward(g, x, weight, mean, variance, dx, dWeight, dBias, p) {
      if (
        !wasmBatchNormFits(x, g, weight, mean, variance, dx, dWeight, dBias) ||
        !ranInWasm(wasmBatchNormBackward, rt, g, x, weight, mean, variance, dx, dWeight, dBias, p)
      )
        js.batchNormBackward(g, x, weight, mean, variance, dx, dWeight, dBias, p);
    },
    conv2dMaxPool2d(x, w, bias, out, argmax, conv, pool, relu) {
      if (!convFits(conv) || !ranInWasm(wasmConv2dMaxPool2d, rt, x, w, bias, out, argmax, conv, pool, relu))
        js.conv2dMaxPool2d(x, w, bias, out, argmax, conv, pool, relu);
    },
    conv2dMaxPool2dBackward(g, argmax, x, w, dx, dWeight, dBias, conv, pool, reluOutput) {
      if (
        !convFits(conv) ||
        !ranInWasm(
          wasmConv2dMaxPool2dBackward,
          rt,
          g,
          argmax,
          x,
          w,
          dx,
          dWeight,
          dBias,
          conv,
          pool,
          reluOutput,
        )
      )
        js.conv2dMaxPool2dBackward(g, argmax, x, w, dx, dWeight, dBias, conv, pool, reluOutput);
    },
    batchNormMaxPool2d(x, weight, bias, out, argmax, mean, variance, norm, pool, relu) {
      if (
        !wasmBatchNormFits(x, weight, bias, out, mean, variance) ||
        !ranInWasm(wasmBatchNormMaxPool2d, rt, x, weight, bias, out, argmax, mean, variance, norm, pool, relu)
      )
        js.batchNormMaxPool2d(x, weight, bias, out, argmax, mean, variance, norm, pool, relu);
    },
    batchNormMaxPool2dBackward(...args) {
      const [g, , x, weight, mean, variance, dx, dWeight, dBias] = args;
      if (
        !wasmBatchNormFits(x, g, weight, mean, variance, dx, dWeight, dBias) ||
        !ranInWasm(wasmBatchNormMaxPool2dBackward, rt, ...args)
      )
        js.batchNormMaxPool2dBackward(...args);
    },
  };
}

let runtime: WasmRuntime | null = null;
let backendOfRuntime: Backend | null = null;
/** Whether a synchronous load was tried (it is tried once). */
let triedSync = false;
let loading: Promise<WasmRuntime | null> | null = null;
/** A thread count set before the kernels were loaded. */
let threadsWanted: number | null = null;

function adopt(loaded: WasmRuntime): WasmRuntime {
  runtime = loaded;
  if (threadsWanted !== null) loaded.pool.threads = threadsWanted;
  return loaded;
}

/**
 * The loaded kernels, loading them synchronously on the first call where the host allows (Node,
 * workers, single-file builds); null until loadWasmRuntime resolves where they must be fetched
 * (a browser), null for good where the engine has no WebAssembly SIMD.
 */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime || triedSync) return runtime;
  triedSync = true;
  const loaded = loadRuntime();
  return loaded ? adopt(loaded) : null;
}

/** The kernels by any means (fetched where needed), once; null where they cannot run. */
export function loadWasmRuntime(): Promise<WasmRuntime | null> {
  const now = wasmRuntime();
  if (now) return Promise.resolve(now);
  loading ??= loadRuntimeAsync().then((loaded) => (runtime ? runtime : loaded ? adopt(loaded) : null));
  return loading;
}

function backendOf(rt: WasmRuntime | null): Backend | null {
  if (!rt) return null;
  backendOfRuntime ??= createWasmBackend(rt);
  return backendOfRuntime;
}

/** The WebAssembly backend as the registry loads it (see backend/registry.ts). */
export const wasmProvider: BackendProvider = {
  name: "wasm",
  loadSync: (): Backend | null => backendOf(wasmRuntime()),
  async load(): Promise<Backend | null> {
    const rt = await loadWasmRuntime();
    await rt?.pool.warmUp(); // a browser starts its workers only now, between calls
    return backendOf(rt);
  },
};

/**
 * Sets how many threads the WebAssembly kernels split large matrix products and convolutions
 * across (the calling thread included). Default: the number of cores where threads are
 * possible (Node; a cross-origin-isolated browser worker), else 1. Values are clamped to [1, 64].
 *
 * @example setNumThreads(1) // reproducible single-core timings
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  threadsWanted = n;
  const rt = wasmRuntime();
  if (rt) rt.pool.threads = n;
}

/** The number of threads the WebAssembly kernels use (1 where threads are not possible). */
export function getNumThreads(): number {
  return wasmRuntime()?.pool.threads ?? 1;
}

/** What the WebAssembly kernels run with, as `wasmInfo()` reports it. */
export interface WasmInfo {
  /** The instruction set the kernels were compiled for: "relaxed" (fused multiply-add) or "simd128". */
  readonly simd: "relaxed" | "simd128";
  /** How many threads large calls are split across (the calling thread included). */
  readonly threads: number;
  /** The bytes of WebAssembly memory the kernels' arena holds now (it grows to the largest call). */
  readonly memoryBytes: number;
}

/**
 * The WebAssembly backend's instruction set, threads and memory, or null where it is not loaded.
 *
 * @example wasmInfo()?.memoryBytes // 12582912 after a few MNIST epochs
 */
export function wasmInfo(): WasmInfo | null {
  const rt = wasmRuntime();
  if (!rt) return null;
  return { simd: rt.simd, threads: rt.pool.threads, memoryBytes: rt.heap.size };
}
