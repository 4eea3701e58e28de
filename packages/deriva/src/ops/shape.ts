/**
 * Shape and movement ops: reshape, transpose, broadcast, slice/pad, concat/stack and indexing.
 * Their derivatives are each other: slice ↔ pad, take ↔ scatterAdd, broadcast ↔ sum.
 */
import { backend } from "../backend/registry.js";
import { checkIntegerList, checkTensor, describeValue } from "../tensor/arguments.js";
import { promote } from "../tensor/dtype.js";
import {
  broadcastStrides,
  formatShape,
  normalizeAxis,
  normalizeNewAxis,
  resolveReshape,
  type Shape,
  shapesEqual,
  sizeOf,
  stridesOf,
} from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { castTo } from "./convert.js";
import { apply, type OpDef } from "./op.js";
import { sumTo } from "./reduce.js";

export const reshapeOp: OpDef<{ shape: number[] }> = {
  name: "reshape",
  // a reshape of contiguous data is the same data: share it
  forward: ([x], { shape }) => new Tensor(x!.storage, shape),
  vjp: (g, [x]) => [reshape(g, x!.shape)],
};

/** The same elements in a new shape; one dimension may be -1 (inferred). Shares the data. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor("reshape", "x", x);
  checkIntegerList("reshape", "the shape (e.g. [-1] or [2, 3])", shape);
  const target = resolveReshape("reshape", x.shape, shape);
  return shapesEqual(target, x.shape) ? x : apply(reshapeOp, [x], { shape: target });
}

/** Flattens axes startAxis.. into one. */
export function flatten(x: Tensor, startAxis = 0): Tensor {
  checkTensor("flatten", "x", x);
  if (x.ndim === 0) return reshape(x, [1]);
  const start = normalizeAxis("flatten", startAxis, x.ndim);
  return reshape(x, [...x.shape.slice(0, start), -1]);
}

/** Removes size-1 axes (all of them, or the given one). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  checkTensor("squeeze", "x", x);
  const a = axis === undefined ? -1 : normalizeAxis("squeeze", axis, x.ndim);
  if (a >= 0 && x.shape[a] !== 1) return x;
  const shape: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (a >= 0 ? i !== a : x.shape[i] !== 1) shape.push(x.shape[i]!);
  return reshape(x, shape);
}

/** Inserts a size-1 axis at `axis` (negative counts from the end of the result). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor("unsqueeze", "x", x);
  const a = normalizeNewAxis("unsqueeze", axis, x.ndim);
  const shape = new Array<number>(x.ndim + 1);
  for (let i = 0, j = 0; i < shape.length; i++) shape[i] = i === a ? 1 : x.shape[j++]!;
  return reshape(x, shape);
}

export const transposeOp: OpDef<{ perm: number[] }> = {
  name: "transpose",
  forward([x], { perm }) {
    const strides = stridesOf(x!.shape);
    const shape = perm.map((p) => x!.shape[p]!);
    const out = allocateResult(x!.dtype, x!.size);
    backend().strided(
      x!.storage,
      0,
      perm.map((p) => strides[p]!),
      out,
      shape,
    );
    return new Tensor(out, shape);
  },
  vjp(g, _inputs, _output, { perm }) {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [transpose(g, inverse)];
  },
};

/** Permutes the axes (no perm: reverses them, so a matrix is transposed). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  checkTensor("transpose", "x", x);
  if (perm !== undefined)
    checkIntegerList("transpose", "perm (a permutation of all the axes, e.g. [1, 0, 2])", perm);
  const order = perm
    ? perm.map((p) => normalizeAxis("transpose", p, x.ndim))
    : x.shape.map((_, i) => x.ndim - 1 - i);
  if (order.length !== x.ndim || new Set(order).size !== x.ndim) {
    throw new Error(
      `transpose: perm [${perm?.join(", ")}] is not a permutation of the ${x.ndim} axes of ${formatShape(x.shape)}`,
    );
  }
  if (order.every((p, i) => p === i)) return x;
  return apply(transposeOp, [x], { perm: order });
}

/** Reading one element over and over. */
const STAY: readonly number[] = [0];

export const broadcastToOp: OpDef<{ shape: Shape }> = {
  name: "broadcastTo",
  forward([x], { shape }) {
    const size = sizeOf(shape);
    const out = allocateResult(x!.dtype, size);
    if (x!.size === 1) backend().strided(x!.storage, 0, STAY, out, [size]);
    else backend().strided(x!.storage, 0, broadcastStrides(x!.shape, shape), out, shape);
    return new Tensor(out, shape);
  },
  vjp: (g, [x]) => [sumTo(g, x!.shape)],
};

/** Repeats x along broadcast axes to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor("broadcastTo", "x", x);
  checkIntegerList("broadcastTo", "the shape", shape);
  if (shapesEqual(x.shape, shape)) return x;
  const offset = shape.length - x.ndim;
  const ok = offset >= 0 && x.shape.every((d, i) => d === 1 || d === shape[offset + i]);
  if (!ok)
    throw new Error(
      `broadcastTo: shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}`,
    );
  return apply(broadcastToOp, [x], { shape: [...shape] });
}

export const sliceOp: OpDef<{ starts: number[]; ends: number[] }> = {
  name: "slice",
  forward([x], { starts, ends }) {
    const strides = stridesOf(x!.shape);
    const shape = starts.map((s, i) => ends[i]! - s);
    const offset = starts.reduce((sum, s, i) => sum + s * strides[i]!, 0);
    const out = allocateResult(x!.dtype, sizeOf(shape));
    backend().strided(x!.storage, offset, strides, out, shape);
    return new Tensor(out, shape);
  },
  vjp: (g, [x], _output, { starts, ends }) => [
    pad(
      g,
      starts,
      ends.map((e, i) => x!.shape[i]! - e),
    ),
  ],
};

/**
 * The block [starts[i], ends[i]) along each axis (Python semantics: negative indices count from the
 * end, out-of-range bounds are clipped; axes past the given lists are kept whole).
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[]): Tensor {
  checkTensor("slice", "x", x);
  checkBounds("starts", starts);
  checkBounds("ends", ends);
  if (starts.length > x.ndim || ends.length > x.ndim) {
    throw new Error(
      `slice: ${Math.max(starts.length, ends.length)} bounds given for shape ${formatShape(x.shape)}`,
    );
  }
  const clip = (v: number, size: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s = x.shape.map((size, i) => (i < starts.length ? clip(starts[i]!, size) : 0));
  const e = x.shape.map((size, i) => Math.max(s[i]!, i < ends.length ? clip(ends[i]!, size) : size));
  if (s.every((v) => v === 0) && e.every((v, i) => v === x.shape[i])) return x;
  return apply(sliceOp, [x], { starts: s, ends: e });
}

/** slice's bounds: arrays of integers, one per leading axis (±Infinity reaching the ends). */
function checkBounds(what: string, bounds: unknown): void {
  if (
    !Array.isArray(bounds) ||
    !bounds.every((v) => Number.isInteger(v) || v === Infinity || v === -Infinity)
  ) {
    throw new Error(
      `slice: ${what} must be an array of integers, one per leading axis (e.g. x.slice([0], [1]) for the first row), got ${describeValue(bounds)}`,
    );
  }
}

export const padOp: OpDef<{ before: number[]; after: number[] }> = {
  name: "pad",
  forward([x], { before, after }) {
    const shape = x!.shape.map((d, i) => d + before[i]! + after[i]!);
    const strides = stridesOf(shape);
    const out = allocateResult(x!.dtype, sizeOf(shape));
    const offset = before.reduce((sum, b, i) => sum + b * strides[i]!, 0);
    backend().stridedWrite(x!.storage, x!.shape, out, offset, strides);
    return new Tensor(out, shape);
  },
  vjp: (g, [x], _output, { before }) => [
    slice(
      g,
      before,
      before.map((b, i) => b + x!.shape[i]!),
    ),
  ],
};

/** Zero padding: `before[i]` zeros ahead of axis i and `after[i]` behind it. */
export function pad(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  checkTensor("pad", "x", x);
  checkIntegerList("pad", "before", before);
  checkIntegerList("pad", "after", after);
  if (
    before.length !== x.ndim ||
    after.length !== x.ndim ||
    [...before, ...after].some((p) => !Number.isInteger(p) || p < 0)
  ) {
    throw new Error(
      `pad: expected ${x.ndim} non-negative integer paddings before and after for shape ${formatShape(x.shape)}`,
    );
  }
  return apply(padOp, [x], { before: [...before], after: [...after] });
}

export const concatOp: OpDef<{ axis: number }> = {
  name: "concat",
  forward(inputs, { axis }) {
    const first = inputs[0]!;
    const shape = [...first.shape];
    shape[axis] = inputs.reduce((sum, t) => sum + t.shape[axis]!, 0);
    const strides = stridesOf(shape);
    const out = allocateResult(first.dtype, sizeOf(shape));
    let start = 0;
    for (const t of inputs) {
      backend().stridedWrite(t.storage, t.shape, out, start * strides[axis]!, strides);
      start += t.shape[axis]!;
    }
    return new Tensor(out, shape);
  },
  vjp(g, inputs, _output, { axis }) {
    let start = 0;
    return inputs.map((t) => {
      const starts = g.shape.map((_, i) => (i === axis ? start : 0));
      const ends = g.shape.map((d, i) => (i === axis ? start + t.shape[axis]! : d));
      start += t.shape[axis]!;
      return t.requiresGrad ? slice(g, starts, ends) : null;
    });
  },
};

/**
 * The tensors in their common dtype (float64 wins over float32, floats over int32, as in every
 * binary op), through differentiable casts: each gradient comes back in its input's own dtype.
 */
function promoteAll(tensors: readonly Tensor[]): readonly Tensor[] {
  let dtype = tensors[0]!.dtype;
  for (const t of tensors) dtype = promote(dtype, t.dtype);
  return tensors.every((t) => t.dtype === dtype) ? tensors : tensors.map((t) => castTo(t, dtype));
}

/** Checks the list of tensors that concat or stack (named by `op`) joins. */
function checkJoined(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors))
    throw new Error(`${op}: expects an array of tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new Error(`${op}: expected at least one tensor`);
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor))
      throw new Error(`${op}: element ${i} is not a Tensor, got ${describeValue(t)}`);
  });
}

/** Joins tensors along an existing axis; all other dimensions must match. Mixed dtypes are promoted. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkJoined("concat", tensors);
  const first = tensors[0]!;
  const a = normalizeAxis("concat", axis, first.ndim);
  for (const t of tensors) {
    const compatible = t.ndim === first.ndim && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!compatible) {
      throw new Error(
        `concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${axis}`,
      );
    }
  }
  if (tensors.length === 1) return first;
  return apply(concatOp, promoteAll(tensors), { axis: a });
}

/** Joins tensors of one shape along a new axis. Mixed dtypes are promoted. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkJoined("stack", tensors);
  const first = tensors[0]!;
  for (const t of tensors) {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new Error(
        `stack: all tensors need one shape, got ${formatShape(first.shape)} and ${formatShape(t.shape)}`,
      );
    }
  }
  const a = normalizeNewAxis("stack", axis, first.ndim);
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

export interface IndexAttrs {
  /** Flat indices into the source. */
  readonly indices: Int32Array;
  /** Shape of the gathered tensor (take's output, scatterAdd's input). */
  readonly shape: readonly number[];
  /** Shape of the source (take's input, scatterAdd's output). */
  readonly sourceShape: readonly number[];
}

export const takeOp: OpDef<IndexAttrs> = {
  name: "take",
  forward([x], { indices, shape }) {
    const out = allocateResult(x!.dtype, indices.length);
    backend().take(x!.storage, indices, out);
    return new Tensor(out, shape);
  },
  vjp: (g, _inputs, _output, attrs) => [apply(scatterAddOp, [g], attrs)],
};

export const scatterAddOp: OpDef<IndexAttrs> = {
  name: "scatterAdd",
  forward([values], { indices, sourceShape }) {
    const out = allocateResult(values!.dtype, sizeOf(sourceShape));
    backend().scatterAdd(values!.storage, indices, out);
    return new Tensor(out, sourceShape);
  },
  vjp: (g, _inputs, _output, attrs) => [apply(takeOp, [g], attrs)],
};

/** Gathers x's elements at flat `indices` into a tensor of `shape` (differentiable in x). */
function takeFlat(x: Tensor, indices: Int32Array, shape: Shape): Tensor {
  return apply(takeOp, [x], { indices, shape: [...shape], sourceShape: x.shape });
}

function indexValues(op: string, indices: Tensor | readonly number[], size: number): Int32Array | number[] {
  if (!(indices instanceof Tensor) && !Array.isArray(indices)) {
    throw new Error(
      `${op}: indices must be an int32 Tensor or an array of integers, got ${describeValue(indices)}`,
    );
  }
  const values = indices instanceof Tensor ? backend().download(indices.storage) : indices;
  if (indices instanceof Tensor && indices.dtype !== "int32") {
    throw new Error(`${op}: indices must be an int32 tensor, got ${indices.dtype}`);
  }
  for (const v of values) {
    if (!Number.isInteger(v) || v < -size || v >= size) {
      throw new Error(`${op}: index ${v} is out of range for an axis of size ${size}`);
    }
  }
  return values as Int32Array | number[];
}

/** The slices of x at `indices` along `axis` (torch.index_select); negative indices count from the end. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor {
  checkTensor("indexSelect", "x", x);
  const a = normalizeAxis("indexSelect", axis, x.ndim);
  const size = x.shape[a]!;
  const picks = indexValues("indexSelect", indices, size);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const flat = new Int32Array(outer * picks.length * inner);
  let f = 0;
  for (let o = 0; o < outer; o++) {
    for (const pick of picks) {
      const base = (o * size + (pick < 0 ? pick + size : pick)) * inner;
      for (let i = 0; i < inner; i++) flat[f++] = base + i;
    }
  }
  const shape = [...x.shape];
  shape[a] = picks.length;
  return takeFlat(x, flat, shape);
}

/**
 * torch.gather: out[i][j][k] = x[i][indices[i][j][k]][k] for axis 1 (likewise for any axis).
 * indices is an int32 tensor with x's number of dimensions, no larger than x off the axis.
 */
export function gather(x: Tensor, axis: number, indices: Tensor): Tensor {
  checkTensor("gather", "x", x);
  checkTensor("gather", "indices", indices);
  const a = normalizeAxis("gather", axis, x.ndim);
  if (indices.ndim !== x.ndim || indices.shape.some((d, i) => i !== a && d > x.shape[i]!)) {
    throw new Error(
      `gather: indices of shape ${formatShape(indices.shape)} do not fit x of shape ${formatShape(x.shape)} on axis ${axis}`,
    );
  }
  const picks = indexValues("gather", indices, x.shape[a]!);
  const xStrides = stridesOf(x.shape);
  const flat = new Int32Array(indices.size);
  const position = new Array<number>(indices.ndim).fill(0);
  for (let f = 0; f < flat.length; f++) {
    let offset = 0;
    for (let d = 0; d < position.length; d++) {
      const coordinate = d === a ? picks[f]! : position[d]!;
      offset += (coordinate < 0 ? coordinate + x.shape[a]! : coordinate) * xStrides[d]!;
    }
    flat[f] = offset;
    for (let d = position.length - 1; d >= 0; d--) {
      if (++position[d]! < indices.shape[d]!) break;
      position[d] = 0;
    }
  }
  return takeFlat(x, flat, indices.shape);
}
