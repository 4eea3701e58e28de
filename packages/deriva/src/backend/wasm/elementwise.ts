/**
 * Elementwise ops and reductions on the WebAssembly kernels, for float arrays large enough that
 * copying them into WebAssembly memory and back (a memcpy) costs less than the JavaScript loop
 * (whose data-dependent branches, as in relu or max, mispredict on real data, and whose Math.exp
 * is three times slower than a SIMD polynomial). Split across threads by contiguous ranges. Ops
 * without a kernel here (log, sin, cos, tanh, erf, softplus; integer dtypes) stay in JavaScript.
 */
import type { FloatArray, TypedArray } from "../arrays.js";
import type { BinaryOp, ReduceOp, UnaryGradOp, UnaryOp } from "../backend.js";
import { planStrided } from "../js/iterate.js";
import type { ThreadedKernel } from "./exports.js";
import type { WasmRuntime } from "./runtime.js";
import { splitForThreads, threadsFor, tuning, worthIt } from "./split.js";

/** Op codes of assembly/elementwise.ts. */
const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  relu: 2,
  sqrt: 3,
  sign: 4,
  exp: 5,
  sigmoid: 6,
};
const UNARY_GRAD_CODES: Record<UnaryGradOp, number> = { sigmoid: 0, tanh: 1, relu: 2 };
const BINARY_CODES: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  eq: 7,
  ne: 8,
  gt: 9,
  lt: 10,
  ge: 11,
  le: 12,
};
const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2 };

/** Split points stay on whole vectors (and cache lines). */
const ALIGN = 16;

function isFloatArray(x: TypedArray): x is FloatArray {
  return x instanceof Float32Array || x instanceof Float64Array;
}

/** The kernels' name for x's element type. */
export function suffix(x: TypedArray): "f32" | "f64" {
  return x instanceof Float64Array ? "f64" : "f32";
}

function threadsForElements(rt: WasmRuntime, n: number, pieces: number): number {
  return threadsFor(n, pieces, rt.pool.threads, tuning.elementsPerThread);
}

/**
 * Whether the wasm unary kernel takes this call: the SIMD ops for both float dtypes, exp and
 * sigmoid for float32 (a SIMD polynomial; float64 keeps JavaScript's Math.exp, as do the other
 * transcendental functions, which a scalar WebAssembly version would not run faster).
 */
export function wasmUnaryFits(op: UnaryOp, x: TypedArray, out: TypedArray): boolean {
  // expMinSize is the smaller threshold: small arrays leave after one comparison
  if (x.length < tuning.expMinSize || UNARY_CODES[op] === undefined || x.constructor !== out.constructor)
    return false;
  if (op === "exp" || op === "sigmoid")
    return x instanceof Float32Array && worthIt(x.length, tuning.expMinSize);
  return isFloatArray(x) && worthIt(x.length, tuning.elementwiseMinSize);
}

export function wasmUnary(rt: WasmRuntime, op: UnaryOp, x: FloatArray, out: FloatArray): void {
  const { heap } = rt;
  heap.reset();
  const xAt = heap.write(x);
  const outAt = heap.alloc(out.byteLength);
  unaryInHeap(rt, op, suffix(x), xAt, outAt, x.length);
  heap.read(outAt, out);
}

/** The unary kernel on n values of `type` already in the arena, at xAt, into outAt (which may be xAt). */
export function unaryInHeap(
  rt: WasmRuntime,
  op: UnaryOp,
  type: "f32" | "f64",
  xAt: number,
  outAt: number,
  n: number,
): void {
  const size = type === "f64" ? 8 : 4;
  const code = UNARY_CODES[op]!;
  const threads = threadsForElements(rt, n, n);
  if (threads === 1) {
    (type === "f64" ? rt.kernels.unary_f64 : rt.kernels.unary_f32)(code, xAt, outAt, n);
    return;
  }
  const parts = splitForThreads(n, threads, ALIGN).map(([s, e]) => [
    code,
    xAt + s * size,
    outAt + s * size,
    e - s,
  ]);
  rt.pool.run(`unary_${type}`, parts);
}

/** Whether the wasm unaryGrad kernel takes this call (float arrays of one type). */
export function wasmUnaryGradFits(g: TypedArray, y: TypedArray, out: TypedArray): boolean {
  return (
    worthIt(out.length, tuning.elementwiseMinSize) &&
    isFloatArray(y) &&
    g.constructor === y.constructor &&
    y.constructor === out.constructor
  );
}

export function wasmUnaryGrad(
  rt: WasmRuntime,
  op: UnaryGradOp,
  g: FloatArray,
  y: FloatArray,
  out: FloatArray,
): void {
  const { heap } = rt;
  heap.reset();
  const gAt = heap.write(g);
  const yAt = heap.write(y);
  const outAt = heap.alloc(out.byteLength);
  unaryGradInHeap(rt, op, suffix(y), gAt, yAt, outAt, out.length);
  heap.read(outAt, out);
}

/** The unaryGrad kernel on n values of `type` already in the arena (g at gAt, y at yAt), into outAt. */
export function unaryGradInHeap(
  rt: WasmRuntime,
  op: UnaryGradOp,
  type: "f32" | "f64",
  gAt: number,
  yAt: number,
  outAt: number,
  n: number,
): void {
  const size = type === "f64" ? 8 : 4;
  const code = UNARY_GRAD_CODES[op];
  const threads = threadsForElements(rt, n, n);
  if (threads === 1) {
    (type === "f64" ? rt.kernels.unary_grad_f64 : rt.kernels.unary_grad_f32)(code, gAt, yAt, outAt, n);
    return;
  }
  const parts = splitForThreads(n, threads, ALIGN).map(([s, e]) => [
    code,
    gAt + s * size,
    yAt + s * size,
    outAt + s * size,
    e - s,
  ]);
  rt.pool.run(`unary_grad_${type}`, parts);
}

/** Whether the wasm binary kernel takes this call (float operands and a result of their type). */
export function wasmBinaryFits(a: TypedArray, b: TypedArray, out: TypedArray): boolean {
  return (
    worthIt(out.length, tuning.elementwiseMinSize) &&
    isFloatArray(a) &&
    a.constructor === b.constructor &&
    a.constructor === out.constructor
  );
}

export function wasmBinary(
  rt: WasmRuntime,
  op: BinaryOp,
  a: FloatArray,
  aStrides: readonly number[],
  b: FloatArray,
  bStrides: readonly number[],
  out: FloatArray,
  outShape: readonly number[],
): void {
  const { heap } = rt;
  const code = BINARY_CODES[op];
  heap.reset();
  let planAt: number;
  let rows: number;
  if (outShape.length <= 1) {
    // one flat run (the op layer passes same-shape and scalar operands so): its own plan
    planAt = heap.writeInts([1, out.length, aStrides[0] ?? 0, bStrides[0] ?? 0]);
    rows = 1;
  } else {
    const plan = planStrided(outShape, [aStrides, bStrides]);
    const nd = plan.shape.length;
    planAt = heap.writeInts([nd, ...plan.shape, ...plan.strides[0]!, ...plan.strides[1]!]);
    rows = out.length / plan.shape[nd - 1]!;
  }
  const aAt = heap.write(a);
  const bAt = heap.write(b);
  const outAt = heap.alloc(out.byteLength);
  const threads = threadsForElements(rt, out.length, rows);
  if (threads === 1) {
    (a instanceof Float64Array ? rt.kernels.binary_f64 : rt.kernels.binary_f32)(
      code,
      aAt,
      bAt,
      outAt,
      planAt,
      0,
      rows,
    );
  } else {
    const parts = splitForThreads(rows, threads).map(([r0, r1]) => [code, aAt, bAt, outAt, planAt, r0, r1]);
    rt.pool.run(`binary_${suffix(a)}`, parts);
  }
  heap.read(outAt, out);
}

/** Whether the wasm reduction takes this call (float, non-empty). */
export function wasmReduceFits(x: TypedArray, out: TypedArray, axes: readonly number[]): boolean {
  return (
    worthIt(x.length, tuning.reduceMinSize) &&
    axes.length > 0 &&
    isFloatArray(x) &&
    x.constructor === out.constructor
  );
}

/**
 * Reduces like the reference: runs of adjacent axes, the innermost run first, each a [outer, r,
 * inner] → [outer, inner] pass; passes before the last keep f64 intermediates.
 */
export function wasmReduce(
  rt: WasmRuntime,
  op: ReduceOp,
  x: FloatArray,
  shape: readonly number[],
  axes: readonly number[],
  out: FloatArray,
): void {
  const { heap } = rt;
  heap.reset();
  heap.read(reduceInHeap(rt, op, heap.write(x), suffix(x), shape, axes, suffix(out)), out);
}

/**
 * wasmReduce on values already in the arena (at `at`, of type `sourceType` and `shape`), within
 * the current call: returns the offset of the result, of type `targetType`.
 */
export function reduceInHeap(
  rt: WasmRuntime,
  op: ReduceOp,
  at: number,
  sourceType: "f32" | "f64",
  shape: readonly number[],
  axes: readonly number[],
  targetType: "f32" | "f64",
): number {
  const { heap } = rt;
  const runs: [number, number][] = [];
  for (const axis of axes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === axis) last[1] = axis + 1;
    else runs.push([axis, axis + 1]);
  }
  let source = at;
  let type = sourceType;
  let dims = [...shape];
  for (let i = runs.length - 1; i >= 0; i--) {
    const [start, end] = runs[i]!;
    const outer = product(dims, 0, start);
    const r = product(dims, start, end);
    const inner = product(dims, end, dims.length);
    const passType = i === 0 ? targetType : "f64";
    const target = heap.alloc(outer * inner * (passType === "f64" ? 8 : 4));
    const threads = threadsForElements(rt, outer * r * inner, outer);
    const code = REDUCE_CODES[op];
    if (threads === 1) {
      reduceKernel(rt, type, passType)(
        code,
        source,
        outer,
        r,
        inner,
        target,
        0,
        outer,
        heap.alloc(inner * 8),
      );
    } else {
      const parts = splitForThreads(outer, threads).map(([o0, o1]) => [
        code,
        source,
        outer,
        r,
        inner,
        target,
        o0,
        o1,
        heap.alloc(inner * 8),
      ]);
      rt.pool.run(`reduce_${type}_${passType}` as ThreadedKernel, parts);
    }
    source = target;
    type = passType;
    if (i > 0) dims = [...dims.slice(0, start), ...dims.slice(end)];
  }
  return source;
}

function product(dims: readonly number[], from: number, to: number): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= dims[i]!;
  return p;
}

/** The reduction kernel from one float type to another, for a direct call. */
function reduceKernel(rt: WasmRuntime, source: "f32" | "f64", target: "f32" | "f64") {
  const k = rt.kernels;
  if (source === "f32") return target === "f32" ? k.reduce_f32_f32 : k.reduce_f32_f64;
  return target === "f32" ? k.reduce_f64_f32 : k.reduce_f64_f64;
}
