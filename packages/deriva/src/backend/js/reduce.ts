/** Reductions over any set of axes, one run of adjacent axes at a time, accumulating in doubles. */
import type { TypedArray } from "../arrays.js";
import type { ArgReduceOp, ReduceOp } from "../backend.js";

/** Reduces the middle axis of x viewed as [outer, r, inner] into out [outer, inner]. */
function reduceMiddle(
  op: ReduceOp,
  x: ArrayLike<number>,
  outer: number,
  r: number,
  inner: number,
  out: TypedArray | Float64Array,
): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * r;
      let acc = x[base]!;
      if (op === "sum") for (let k = 1; k < r; k++) acc += x[base + k]!;
      else if (op === "max")
        for (let k = 1; k < r; k++) {
          const v = x[base + k]!;
          if (v > acc || Number.isNaN(v)) acc = v;
        }
      else
        for (let k = 1; k < r; k++) {
          const v = x[base + k]!;
          if (v < acc || Number.isNaN(v)) acc = v;
        }
      out[o] = r === 0 ? identity(op) : acc;
    }
    return;
  }
  // inner > 1: walk rows in memory order so every read is sequential
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    if (r === 0) acc.fill(identity(op));
    else for (let i = 0; i < inner; i++) acc[i] = x[base + i]!;
    for (let k = 1; k < r; k++) {
      const row = base + k * inner;
      if (op === "sum") for (let i = 0; i < inner; i++) acc[i]! += x[row + i]!;
      else if (op === "max")
        for (let i = 0; i < inner; i++) {
          const v = x[row + i]!;
          if (v > acc[i]! || Number.isNaN(v)) acc[i] = v;
        }
      else
        for (let i = 0; i < inner; i++) {
          const v = x[row + i]!;
          if (v < acc[i]! || Number.isNaN(v)) acc[i] = v;
        }
    }
    out.set(acc, o * inner);
  }
}

function identity(op: ReduceOp): number {
  return op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
}

export function reduce(
  op: ReduceOp,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  out: TypedArray,
): void {
  if (axes.length === shape.length) {
    reduceMiddle(op, x, 1, x.length, 1, out); // every axis: one flat run
    return;
  }
  // group the reduced axes into runs of adjacent axes; reduce the innermost run first
  const runs: [number, number][] = [];
  for (const axis of axes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === axis) last[1] = axis + 1;
    else runs.push([axis, axis + 1]);
  }
  if (runs.length === 0) {
    out.set(x);
    return;
  }
  let current: ArrayLike<number> = x;
  let dims = [...shape];
  for (let i = runs.length - 1; i >= 0; i--) {
    const [start, end] = runs[i]!;
    const outer = product(dims, 0, start);
    const r = product(dims, start, end);
    const inner = product(dims, end, dims.length);
    const target = i === 0 ? out : new Float64Array(outer * inner);
    reduceMiddle(op, current, outer, r, inner, target);
    current = target;
    dims = [...dims.slice(0, start), ...dims.slice(end)];
  }
}

function product(dims: readonly number[], from: number, to: number): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= dims[i]!;
  return p;
}

export function argReduce(
  op: ArgReduceOp,
  x: TypedArray,
  shape: readonly number[],
  axis: number,
  out: Int32Array,
): void {
  const outer = product(shape, 0, axis);
  const r = shape[axis]!;
  const inner = product(shape, axis + 1, shape.length);
  const sign = op === "argmax" ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * r * inner + i;
      let best = 0;
      let bestValue = sign * x[base]!;
      for (let k = 1; k < r; k++) {
        const v = sign * x[base + k * inner]!;
        if (v > bestValue || (Number.isNaN(v) && !Number.isNaN(bestValue))) {
          best = k;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
}
