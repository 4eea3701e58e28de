/** Copying whole rows (entries of axis 0) of a tensor: how data loaders cut batches of samples. */
import { backend } from "../backend/registry.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A new tensor of rows `rows` of t, in that order (not differentiable: batches of data). The row
 * numbers must lie in [0, t.shape[0]); the caller checks them. Shape: [N, ...rest] → [rows.length, ...rest].
 */
export function takeRows(t: Tensor, rows: Int32Array): Tensor {
  const rowSize = t.shape[0] === 0 ? 0 : t.size / t.shape[0]!;
  const kernels = backend();
  const out = kernels.allocate(t.dtype, rows.length * rowSize);
  kernels.takeRows(t.storage, rowSize, rows, out);
  return new Tensor(out, [rows.length, ...t.shape.slice(1)]);
}
