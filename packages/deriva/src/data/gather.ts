/** Copying rows (samples along axis 0) of a tensor into a new contiguous tensor. */
import { allocate } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A new tensor holding rows `indices[start..end)` of `t` (rows = entries of axis 0), in that order.
 * Copies flat blocks of the row-major array; no tensor op runs per element.
 * Shape: [N, ...rest] → [end - start, ...rest].
 */
export function gatherRows(
  t: Tensor,
  indices: ArrayLike<number>,
  start = 0,
  end: number = indices.length,
): Tensor {
  if (t.ndim === 0) throw new Error("gatherRows: a 0-d tensor has no rows");
  const rows = t.shape[0]!;
  const rowSize = rows === 0 ? 0 : t.size / rows;
  const count = end - start;
  const out = allocate(t.dtype, count * rowSize);
  const src = t.values;
  for (let k = 0; k < count; k++) {
    const row = indices[start + k]!;
    if (!Number.isInteger(row) || row < 0 || row >= rows) {
      throw new Error(`gatherRows: index ${row} is out of range for ${rows} rows`);
    }
    const from = row * rowSize;
    const to = k * rowSize;
    if (rowSize < 16) {
      for (let i = 0; i < rowSize; i++) out[to + i] = src[from + i]!;
    } else {
      out.set(src.subarray(from, from + rowSize), to);
    }
  }
  return new Tensor(out, [count, ...t.shape.slice(1)]);
}
