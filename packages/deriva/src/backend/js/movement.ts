/** Data movement: strided gather and scatter (transpose, slice, broadcast, pad, concat) and index take/scatter. */
import type { TypedArray } from "../arrays.js";
import { stridesOf } from "../strides.js";
import { forEachRow, planStrided } from "./iterate.js";

export function strided(
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  if (outShape.length === 1) {
    const n = outShape[0]!;
    const s = strides[0]!;
    if (s === 0) out.fill(x[offset]!);
    else if (s === 1) out.set(x.subarray(offset, offset + n));
    else for (let i = 0, xi = offset; i < n; i++, xi += s) out[i] = x[xi]!;
    return;
  }
  const plan = planStrided(outShape, [strides]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last]!;
  const s = plan.strides[0]![last]!;
  forEachRow(plan, (offsets, row) => {
    let xi = offset + offsets[0]!;
    const base = row * n;
    if (s === 1) out.set(x.subarray(xi, xi + n), base);
    else for (let i = 0; i < n; i++, xi += s) out[base + i] = x[xi]!;
  });
}

export function stridedWrite(
  x: TypedArray,
  shape: readonly number[],
  out: TypedArray,
  offset: number,
  strides: readonly number[],
): void {
  const plan = planStrided(shape, [strides, stridesOf(shape)]);
  const last = plan.shape.length - 1;
  const n = plan.shape[last]!;
  const s = plan.strides[0]![last]!;
  const xs = plan.strides[1]![last]!;
  forEachRow(plan, (offsets) => {
    let oi = offset + offsets[0]!;
    let xi = offsets[1]!;
    for (let i = 0; i < n; i++, oi += s, xi += xs) out[oi] = x[xi]!;
  });
}

export function take(x: TypedArray, indices: Int32Array, out: TypedArray): void {
  for (let i = 0; i < indices.length; i++) out[i] = x[indices[i]!]!;
}

export function takeRows(x: TypedArray, rowSize: number, rows: Int32Array, out: TypedArray): void {
  for (let k = 0; k < rows.length; k++) {
    const from = rows[k]! * rowSize;
    const to = k * rowSize;
    // short rows copy faster element by element than through a subarray view
    if (rowSize < 16) for (let i = 0; i < rowSize; i++) out[to + i] = x[from + i]!;
    else out.set(x.subarray(from, from + rowSize), to);
  }
}

export function scatterAdd(values: TypedArray, indices: Int32Array, out: TypedArray): void {
  for (let i = 0; i < indices.length; i++) out[indices[i]!]! += values[i]!;
}
