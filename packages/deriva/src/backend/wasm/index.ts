/**
 * The WebAssembly backend: SIMD kernels (matmul, convolution and its two gradients, pooling,
 * elementwise ops, reductions) split across worker threads, behind the same interface as the
 * JavaScript backend. Each call picks its path by size: small tensors stay in JavaScript (their
 * cost is the call, not the arithmetic), and so do the kernels that only move memory (strided
 * copies, take, scatterAdd, casts), where copying into WebAssembly memory would cost as much as
 * the work. The registry (../registry.ts) loads it on first use and prefers it wherever this
 * engine can run it.
 */
import type { FloatArray, TypedArray } from "../arrays.js";
import type { Backend, Conv2dParams, UnaryOp } from "../backend.js";
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
} from "./conv.js";
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
import { loadRuntime, loadRuntimeAsync, type WasmRuntime } from "./runtime.js";
import { tuning, worthIt } from "./split.js";

/**
 * Runs the WebAssembly path, or the JavaScript one when the call needs more memory than the
 * module may grow to.
 */
function orFallback(wasm: () => void, js: () => void): void {
  try {
    wasm();
  } catch (error) {
    if (!(error instanceof HeapFull)) throw error;
    js();
  }
}

/**
 * The backend. Each method is a size test that hands small calls straight to the JavaScript
 * kernel (kept tiny so that the engine inlines it: the document's scalar examples make millions
 * of such calls) and a separate function for the WebAssembly path.
 */
export function createWasmBackend(rt: WasmRuntime): Backend {
  const js = jsBackend;
  const big = {
    unary: (op: UnaryOp, x: TypedArray, out: TypedArray) =>
      orFallback(
        () => wasmUnary(rt, op, x as FloatArray, out as FloatArray),
        () => js.unary(op, x, out),
      ),
    unaryGrad: (...args: Parameters<Backend["unaryGrad"]>) =>
      orFallback(
        () => wasmUnaryGrad(rt, ...args),
        () => js.unaryGrad(...args),
      ),
    binary: (...args: Parameters<Backend["binary"]>) =>
      orFallback(
        () => {
          const [op, a, aStrides, b, bStrides, out, outShape] = args;
          wasmBinary(
            rt,
            op,
            a as FloatArray,
            aStrides,
            b as FloatArray,
            bStrides,
            out as FloatArray,
            outShape,
          );
        },
        () => js.binary(...args),
      ),
    reduce: (...args: Parameters<Backend["reduce"]>) =>
      orFallback(
        () => {
          const [op, x, shape, axes, out] = args;
          wasmReduce(rt, op, x as FloatArray, shape, axes, out as FloatArray);
        },
        () => js.reduce(...args),
      ),
    matmul: (...args: Parameters<Backend["matmul"]>) =>
      orFallback(
        () => wasmMatmul(rt, ...args),
        () => js.matmul(...args),
      ),
    conv2d: (...args: Parameters<Backend["conv2d"]>) =>
      orFallback(
        () => wasmConv2d(rt, ...args),
        () => js.conv2d(...args),
      ),
    conv2dBackwardInput: (...args: Parameters<Backend["conv2dBackwardInput"]>) =>
      orFallback(
        () => wasmConv2dInputGrad(rt, ...args),
        () => js.conv2dBackwardInput(...args),
      ),
    conv2dBackwardFilter: (...args: Parameters<Backend["conv2dBackwardFilter"]>) =>
      orFallback(
        () => wasmConv2dFilterGrad(rt, ...args),
        () => js.conv2dBackwardFilter(...args),
      ),
    maxPool2d: (...args: Parameters<Backend["maxPool2d"]>) =>
      orFallback(
        () => wasmMaxPool2d(rt, ...args),
        () => js.maxPool2d(...args),
      ),
    avgPool2d: (...args: Parameters<Backend["avgPool2d"]>) =>
      orFallback(
        () => wasmAvgPool2d(rt, ...args),
        () => js.avgPool2d(...args),
      ),
    avgPool2dBackward: (...args: Parameters<Backend["avgPool2dBackward"]>) =>
      orFallback(
        () => wasmAvgPool2dBackward(rt, ...args),
        () => js.avgPool2dBackward(...args),
      ),
  };
  const convFits = (p: Conv2dParams) => worthIt(convWork(p), tuning.convMinWork);
  return {
    ...js,
    name: "wasm",
    unary: (op, x, out) => (wasmUnaryFits(op, x, out) ? big.unary(op, x, out) : js.unary(op, x, out)),
    unaryGrad: (op, g, y, out) =>
      wasmUnaryGradFits(g, y, out) ? big.unaryGrad(op, g, y, out) : js.unaryGrad(op, g, y, out),
    binary: (op, a, as, b, bs, out, shape) =>
      wasmBinaryFits(a, b, out)
        ? big.binary(op, a, as, b, bs, out, shape)
        : js.binary(op, a, as, b, bs, out, shape),
    reduce: (op, x, shape, axes, out) =>
      wasmReduceFits(x, out, axes) ? big.reduce(op, x, shape, axes, out) : js.reduce(op, x, shape, axes, out),
    matmul: (a, b, out, p) =>
      worthIt(p.batch * p.m * p.n * p.k, isMatrixVector(p) ? tuning.gemvMinWork : tuning.matmulMinWork)
        ? big.matmul(a, b, out, p)
        : js.matmul(a, b, out, p),
    conv2d: (x, w, bias, out, p) =>
      convFits(p) ? big.conv2d(x, w, bias, out, p) : js.conv2d(x, w, bias, out, p),
    conv2dBackwardInput: (g, w, out, p) =>
      convFits(p) ? big.conv2dBackwardInput(g, w, out, p) : js.conv2dBackwardInput(g, w, out, p),
    conv2dBackwardFilter: (x, g, out, p) =>
      convFits(p) ? big.conv2dBackwardFilter(x, g, out, p) : js.conv2dBackwardFilter(x, g, out, p),
    maxPool2d: (x, out, argmax, p) =>
      worthIt(out.length, tuning.poolMinSize)
        ? big.maxPool2d(x, out, argmax, p)
        : js.maxPool2d(x, out, argmax, p),
    avgPool2d: (x, out, p) =>
      worthIt(out.length, tuning.poolMinSize) ? big.avgPool2d(x, out, p) : js.avgPool2d(x, out, p),
    avgPool2dBackward: (g, out, p) =>
      worthIt(g.length, tuning.poolMinSize)
        ? big.avgPool2dBackward(g, out, p)
        : js.avgPool2dBackward(g, out, p),
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
