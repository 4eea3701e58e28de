/** Creating tensors: from data, filled, ranges, identity, and seeded random ones. */
import { allocate, DEFAULT_DTYPE, type DType, dtypeOfArray, isDType, type TypedArray } from "./dtype.js";
import { type Generator, globalGenerator } from "./random.js";
import { formatShape, sizeOf } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";
import { bumpVersion } from "./version.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface FromDataOptions extends TensorOptions {
  /** Lays the (flat) data out in this shape. */
  shape?: readonly number[];
}

function checkDtype(op: string, dtype: DType | undefined): DType {
  if (dtype === undefined) return DEFAULT_DTYPE;
  if (!isDType(dtype))
    throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)} (use float32, float64 or int32)`);
  return dtype;
}

function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: a shape is an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

function finish(values: TypedArray, shape: readonly number[], opts: TensorOptions | undefined): Tensor {
  const t = new Tensor(values, shape);
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
 * type gives the dtype unless one is asked for). `shape` lays flat data out.
 */
export function tensor(data: NestedArray | TypedArray, opts: FromDataOptions = {}): Tensor {
  let values: TypedArray;
  let shape: readonly number[];
  if (ArrayBuffer.isView(data)) {
    const dtype = opts.dtype ? checkDtype("tensor", opts.dtype) : dtypeOfArray(data as TypedArray);
    values = allocate(dtype, (data as TypedArray).length);
    values.set(data as TypedArray);
    shape = [values.length];
  } else {
    const dtype = checkDtype("tensor", opts.dtype);
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

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  checkShape("full", shape);
  const values = allocate(checkDtype("full", opts?.dtype), sizeOf(shape));
  if (value !== 0) values.fill(value);
  return finish(values, shape, opts);
}

export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return full(shape, 0, opts);
}

export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return full(shape, 1, opts);
}

/** Zeros with the shape and dtype of t. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, { dtype: t.dtype });
}

/** Ones with the shape and dtype of t. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, { dtype: t.dtype });
}

/** The n×n identity matrix. */
export function eye(n: number, opts?: TensorOptions): Tensor {
  const t = zeros([n, n], opts);
  for (let i = 0; i < n; i++) t.values[i * n + i] = 1;
  bumpVersion(t);
  return t;
}

/** start, start+step, … up to (not including) stop; arange(n) is 0..n-1. */
export function arange(start: number, stop?: number, step = 1, opts?: TensorOptions): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be a non-zero finite number, got ${step}`);
  const count = Math.max(0, Math.ceil((to - from) / step));
  const values = allocate(checkDtype("arange", opts?.dtype), count);
  for (let i = 0; i < count; i++) values[i] = from + i * step;
  return finish(values, [count], opts);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number, opts?: TensorOptions): Tensor {
  if (!Number.isInteger(num) || num < 0)
    throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  const values = allocate(checkDtype("linspace", opts?.dtype), num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return finish(values, [num], opts);
}

export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the global one (seeded by manualSeed). */
  generator?: Generator;
}

function randomTensor(
  op: string,
  shape: readonly number[],
  opts: RandomOptions | undefined,
  draw: (g: Generator) => number,
): Tensor {
  checkShape(op, shape);
  const generator = opts?.generator ?? globalGenerator;
  const values = allocate(checkDtype(op, opts?.dtype), sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(generator);
  return finish(values, shape, opts);
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor {
  return randomTensor("rand", shape, opts, (g) => g.uniform());
}

/** Standard normal samples. */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor {
  return randomTensor("randn", shape, opts, (g) => g.normal());
}

/** Uniform integers in [low, high); int32 unless another dtype is asked for. */
export function randint(low: number, high: number, shape: readonly number[], opts?: RandomOptions): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: need integers low < high, got ${low} and ${high}`);
  }
  return randomTensor("randint", shape, { dtype: "int32", ...opts }, (g) => low + g.int(high - low));
}
