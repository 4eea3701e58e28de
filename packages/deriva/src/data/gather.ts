/** Copying rows (samples along axis 0) of a tensor into a new contiguous tensor. */
import { takeRows } from "../ops/rows.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * A new tensor holding rows `indices[start..end)` of `t` (rows = entries of axis 0), in that order.
 * The backend copies flat blocks; no tensor op runs per element.
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
  const picked = new Int32Array(end - start);
  for (let k = 0; k < picked.length; k++) {
    const row = indices[start + k]!;
    if (!Number.isInteger(row) || row < 0 || row >= rows) {
      throw new Error(`gatherRows: index ${row} is out of range for ${rows} rows`);
    }
    picked[k] = row;
  }
  return takeRows(t, picked);
}
