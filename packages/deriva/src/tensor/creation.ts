/** Creating tensors: from data, filled, ranges, identity, and seeded random ones. */

import { backend } from "../backend/registry.js";
import { checkInt32Range, checkInt32Value, checkOptions, describeValue } from "./arguments.js";
import { allocate, DEFAULT_DTYPE, type DType, dtypeOfArray, isDType, type TypedArray } from "./dtype.js";
import { type Generator, globalGenerator } from "./random.js";
import { formatShape, sizeOf } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";
import { bumpVersion } from "./version.js";

/** Options of the creation functions (zeros, ones, full, arange, …). */
export interface TensorOptions {
  /** The element type: "float32" (the default), "float64" or "int32"; throws on any other name. */
  dtype?: DType;
  /**
   * Track gradients for this tensor (a leaf): backward() then fills its .grad. Float dtypes only (default
   * false).
   */
  requiresGrad?: boolean;
}

/** Options of tensor(): the TensorOptions plus a shape for flat data. */
export interface FromDataOptions extends TensorOptions {
  /** Lays the (flat) data out in this shape. */
  shape?: readonly number[];
}

/** The dtype asked for in `opts` (which must be an object when given), or the default. */
function checkDtype(op: string, opts: TensorOptions | undefined): DType {
  checkOptions(op, opts, '{ dtype: "float64" }');
  const dtype = opts?.dtype;
  if (dtype === undefined) return DEFAULT_DTYPE;
  if (!isDType(dtype))
    throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (use float32, float64 or int32)`);
  return dtype;
}

/** A number argument (start, stop, a fill value) must be a finite number. */
function checkFinite(op: string, what: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Error(`${op}: ${what} must be a finite number, got ${describeValue(value)}`);
  }
}

function isNumericArray(data: ArrayBufferView): data is TypedArray {
  return !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: a shape is an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

function finish(values: TypedArray, shape: readonly number[], opts: TensorOptions | undefined): Tensor {
  const t = new Tensor(backend().upload(values), shape);
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Shape of a nested array, checking it is rectangular and holds only numbers. */
function inferShape(data: NestedArray, path: number[] = []): number[] {
  if (typeof data === "number") return [];
  if (!Array.isArray(data)) {
    throw new Error(`tensor: expected a number or an array at [${path.join(", ")}], got ${typeof data}`);
  }
  if (data.length === 0) return [0];
  return [data.length, ...inferShape(data[0]!, [...path, 0])];
}

function flattenInto(
  data: NestedArray,
  shape: readonly number[],
  axis: number,
  out: TypedArray,
  cursor: { i: number },
  path: number[],
): void {
  if (axis === shape.length) {
    if (typeof data !== "number") {
      throw new Error(
        `tensor: ${Array.isArray(data) ? "ragged nested array: " : ""}expected a number at [${path.join(", ")}], found ${Array.isArray(data) ? "an array" : typeof data}`,
      );
    }
    if (out instanceof Int32Array)
      checkInt32Value("tensor", data, path.length > 0 ? ` at [${path.join(", ")}]` : "");
    out[cursor.i++] = data;
    return;
  }
  if (!Array.isArray(data)) {
    throw new Error(
      `tensor: ragged nested array: expected an array of ${shape[axis]} at [${path.join(", ")}], found ${typeof data}`,
    );
  }
  if (data.length !== shape[axis]) {
    throw new Error(
      `tensor: ragged nested array: expected ${shape[axis]} elements at [${path.join(", ")}], found ${data.length}`,
    );
  }
  for (let i = 0; i < data.length; i++) flattenInto(data[i]!, shape, axis + 1, out, cursor, [...path, i]);
}

/**
 * A tensor from a number (0-d), nested arrays (shape inferred) or a typed array (copied; its
 * type gives the dtype unless one is asked for). `shape` lays flat data out. Throws on ragged
 * arrays, non-numbers, or a shape whose size differs from the data's.
 *
 * @example
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * t.shape; // [2, 3]
 * t.dtype; // "float32"
 * tensor([1, 2, 3, 4], { shape: [2, 2], dtype: "float64" }).toArray(); // [[1, 2], [3, 4]]
 */
export function tensor(data: NestedArray | TypedArray, opts: FromDataOptions = {}): Tensor {
  let values: TypedArray;
  let shape: readonly number[];
  checkOptions("tensor", opts, '{ dtype: "float64" }');
  if (ArrayBuffer.isView(data)) {
    if (!isNumericArray(data)) {
      throw new Error(
        `tensor: typed arrays of numbers only (Float32Array, Float64Array, Int32Array, …), got ${describeValue(data)}`,
      );
    }
    const dtype = opts.dtype ? checkDtype("tensor", opts) : dtypeOfArray(data as TypedArray);
    if (dtype === "int32" && !(data instanceof Int32Array)) checkInt32Range("tensor", data);
    values = allocate(dtype, data.length);
    values.set(data);
    shape = [values.length];
  } else {
    const dtype = checkDtype("tensor", opts);
    shape = inferShape(data);
    values = allocate(dtype, sizeOf(shape));
    flattenInto(data, shape, 0, values, { i: 0 }, []);
  }
  if (opts.shape) {
    checkShape("tensor", opts.shape);
    if (sizeOf(opts.shape) !== values.length) {
      throw new Error(`tensor: ${values.length} values cannot fill shape ${formatShape(opts.shape)}`);
    }
    shape = opts.shape;
  }
  return finish(values, shape, opts);
}

/** full, zeros and ones (named by `op` in errors), after checking the caller's arguments. */
function checkedFull(op: string, shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  checkShape(op, shape);
  const dtype = checkDtype(op, opts);
  if (typeof value !== "number")
    throw new Error(`${op}: the value must be a number, got ${describeValue(value)}`);
  if (dtype === "int32") checkInt32Range(op, [value]);
  return finish(filled(shape, value, dtype), shape, opts);
}

/** The storage of a tensor of `shape` filled with `value` (arguments known to be good). */
function filled(shape: readonly number[], value: number, dtype: DType): TypedArray {
  const values = allocate(dtype, sizeOf(shape));
  if (value !== 0) values.fill(value);
  return values;
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  return checkedFull("full", shape, value, opts);
}

/**
 * A tensor of `shape` filled with 0 (float32 unless `opts.dtype` says otherwise).
 *
 * @example zeros([2, 3]).shape; // [2, 3]
 */
export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return checkedFull("zeros", shape, 0, opts);
}

/** A tensor of `shape` filled with 1 (float32 unless `opts.dtype` says otherwise). */
export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return checkedFull("ones", shape, 1, opts);
}

/** Zeros with the shape and dtype of t. */
export function zerosLike(t: Tensor): Tensor {
  return new Tensor(filled(t.shape, 0, t.dtype), t.shape);
}

/** Ones with the shape and dtype of t. */
export function onesLike(t: Tensor): Tensor {
  return new Tensor(filled(t.shape, 1, t.dtype), t.shape);
}

/** The n×n identity matrix. */
export function eye(n: number, opts?: TensorOptions): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`eye: n must be a non-negative integer, got ${describeValue(n)}`);
  const t = zeros([n, n], opts);
  const diagonal = allocate(t.dtype, n * n);
  for (let i = 0; i < n; i++) diagonal[i * n + i] = 1;
  backend().write(t.storage, diagonal);
  bumpVersion(t);
  return t;
}

/** start, start+step, … up to (not including) stop; arange(n) is 0..n-1. */
export function arange(start: number, stop?: number, step = 1, opts?: TensorOptions): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  checkFinite("arange", "start", from);
  checkFinite("arange", "stop", to);
  if (step === 0 || typeof step !== "number" || !Number.isFinite(step))
    throw new Error(`arange: step must be a non-zero finite number, got ${describeValue(step)}`);
  const count = Math.max(0, Math.ceil((to - from) / step));
  const dtype = checkDtype("arange", opts);
  if (dtype === "int32") checkInt32Range("arange", [from, from + (count - 1) * step]);
  const values = allocate(dtype, count);
  for (let i = 0; i < count; i++) values[i] = from + i * step;
  return finish(values, [count], opts);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number, opts?: TensorOptions): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new Error(`linspace: num must be a non-negative integer, got ${describeValue(num)}`);
  checkFinite("linspace", "start", start);
  checkFinite("linspace", "stop", stop);
  const dtype = checkDtype("linspace", opts);
  if (dtype === "int32") checkInt32Range("linspace", [start, stop]);
  const values = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return finish(values, [num], opts);
}

/** Options of rand, randn and randint: the TensorOptions plus the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the global one (seeded by manualSeed). */
  generator?: Generator;
}

/**
 * A tensor of `shape` that `fill` fills from the generator. Each caller's fill holds its own loop,
 * so that the draw inside it is one call site V8 can inline (a draw callback called per element
 * from here would see three kinds of draws and cost a call each: dropout draws a mask per step).
 */
function randomTensor(
  op: string,
  shape: readonly number[],
  opts: RandomOptions | undefined,
  fill: (values: TypedArray, g: Generator) => void,
): Tensor {
  checkShape(op, shape);
  const values = allocate(checkDtype(op, opts), sizeOf(shape));
  fill(values, opts?.generator ?? globalGenerator);
  return finish(values, shape, opts);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor {
  return randomTensor("rand", shape, opts, (values, g) => g.fillUniform(values));
}

/** Standard normal samples. */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor {
  return randomTensor("randn", shape, opts, (values, g) => {
    for (let i = 0; i < values.length; i++) values[i] = g.normal();
  });
}

/** Uniform integers in [low, high); int32 unless another dtype is asked for. */
export function randint(low: number, high: number, shape: readonly number[], opts?: RandomOptions): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(
      `randint: need integers low < high, got ${describeValue(low)} and ${describeValue(high)}`,
    );
  }
  checkOptions("randint", opts, '{ dtype: "float32" }');
  if ((opts?.dtype ?? "int32") === "int32") checkInt32Range("randint", [low, high - 1]);
  return randomTensor("randint", shape, { dtype: "int32", ...opts }, (values, g) => {
    for (let i = 0; i < values.length; i++) values[i] = low + g.int(high - low);
  });
}
