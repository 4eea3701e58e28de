/** Shape arithmetic: sizes, strides, broadcasting and axis normalization. Pure functions on number arrays. */

import { stridesOf } from "../backend/strides.js";

export { stridesOf };

/** A tensor's shape: the size of each axis, outermost first ([] for a scalar). */
export type Shape = readonly number[];

/** The shape of a 0-d tensor. */
export const SCALAR_SHAPE: Shape = [];

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i]!;
  return size;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A shape as error messages and printing show it.
 *
 * @example formatShape([2, 3]) // "[2, 3]"
 */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** NumPy broadcasting of two shapes; throws naming the op and both shapes when they are incompatible. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(axis ${i - ndim}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of `shape` as if it had `outShape` (which it broadcasts to):
 * broadcast axes get stride 0, missing leading axes too.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) strides[offset + i] = shape[i] === 1 ? 0 : own[i]!;
  return strides;
}

/** Normalizes one axis (negative counts from the end) or throws naming the op and the valid range. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const valid = ndim === 0 ? "a 0-d tensor has no axes" : `valid: ${-ndim} to ${ndim - 1}`;
    throw new Error(
      `${op}: axis ${axisText(axis)} is out of range for a tensor with ${ndim} dimension(s) (${valid})`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes the position of an axis to insert into a tensor with `ndim` axes (unsqueeze, stack). */
export function normalizeNewAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim - 1 || axis > ndim) {
    throw new Error(
      `${op}: axis ${axisText(axis)} is out of range for a new axis of a tensor with ${ndim} dimension(s) (valid: ${-ndim - 1} to ${ndim})`,
    );
  }
  return axis < 0 ? axis + ndim + 1 : axis;
}

/** An axis as a message shows it: a number as it is, anything else (a string, an array) as JSON. */
function axisText(axis: unknown): string {
  return typeof axis === "number" ? String(axis) : (JSON.stringify(axis) ?? String(axis));
}

/** Normalizes an axis list (undefined = all axes) into sorted unique non-negative axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const list = typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(list)) {
    throw new Error(`${op}: axis must be a number or an array of numbers, got ${axisText(axis)}`);
  }
  const axes = list.map((a) => normalizeAxis(op, a, ndim));
  const unique = [...new Set(axes)].sort((x, y) => x - y);
  if (unique.length !== axes.length) throw new Error(`${op}: repeated axis in [${list.join(", ")}]`);
  return unique;
}

/** The shape after reducing `axes`, keeping them as size 1 or dropping them. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) out.push(shape[i]!);
    else if (keepDims) out.push(1);
  }
  return out;
}

/** Resolves a reshape target with at most one -1 against a total size, or throws naming both shapes. */
export function resolveReshape(op: string, from: Shape, target: readonly number[]): number[] {
  const size = sizeOf(from);
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < target.length; i++) {
    const d = target[i]!;
    if (d === -1) {
      if (inferred !== -1) throw new Error(`${op}: only one dimension can be -1, got ${formatShape(target)}`);
      inferred = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid dimension ${d} in ${formatShape(target)}`);
    } else {
      known *= d;
    }
  }
  const out = [...target];
  if (inferred !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new Error(
        `${op}: cannot reshape ${formatShape(from)} (size ${size}) into ${formatShape(target)}`,
      );
    }
    out[inferred] = size / known;
  } else if (known !== size) {
    throw new Error(
      `${op}: cannot reshape ${formatShape(from)} (size ${size}) into ${formatShape(target)} (size ${known})`,
    );
  }
  return out;
}
