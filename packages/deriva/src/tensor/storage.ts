/**
 * How the layers above the engine make tensors from arrays and change tensors in place: through
 * the backend's storage interface (backend/storage.ts), never through the storage itself, so that
 * the same code runs on a backend whose memory is on a device. Every in-place write bumps the
 * tensor's version (tensor/version.ts), so the reverse pass refuses values changed under it.
 */
import type { DType, TypedArray } from "../backend/arrays.js";
import { backend } from "../backend/registry.js";
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from "../backend/storage.js";
import { Tensor } from "./tensor.js";
import { bumpVersion } from "./version.js";

/**
 * A tensor of `shape` over `values`, uploaded to the backend. The CPU backends adopt the array
 * (no copy): do not write it afterwards.
 */
export function fromValues(values: TypedArray, shape: readonly number[]): Tensor {
  return new Tensor(backend().upload(values), shape);
}

/** A zero-filled tensor of `shape` and `dtype` in the backend's memory (optimizer state, say). */
export function allocateTensor(dtype: DType, shape: readonly number[]): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  return new Tensor(backend().allocate(dtype, size), shape);
}

/** Overwrites t's elements in place with `values` (as many as t has; converted to t's dtype). */
export function assignValues(t: Tensor, values: ArrayLike<number>): void {
  backend().write(t.storage, values);
  bumpVersion(t);
}

/** y ← a·y + b·x in place (x of y's size and dtype): running statistics. */
export function scaleAddInPlace(y: Tensor, a: number, x: Tensor, b: number): void {
  backend().scaleAdd(y.storage, a, x.storage, b);
  bumpVersion(y);
}

/** One fused SGD step on param with gradient grad (backend/storage.ts's SgdHyper). */
export function sgdStep(param: Tensor, grad: Tensor, momentumBuffer: Tensor | null, hyper: SgdHyper): void {
  backend().sgdUpdate(param.storage, grad.storage, momentumBuffer?.storage ?? null, hyper);
  bumpVersion(param);
  if (momentumBuffer) bumpVersion(momentumBuffer);
}

/** One fused Adam or AdamW step on param, updating the moment estimates m and v. */
export function adamStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, hyper: AdamHyper): void {
  backend().adamUpdate(param.storage, grad.storage, m.storage, v.storage, hyper);
  bumpVersion(param);
  bumpVersion(m);
  bumpVersion(v);
}

/** One fused RMSprop step on param (gradAvg when centered, momentumBuffer with momentum). */
export function rmspropStep(
  param: Tensor,
  grad: Tensor,
  squareAvg: Tensor,
  gradAvg: Tensor | null,
  momentumBuffer: Tensor | null,
  hyper: RmspropHyper,
): void {
  backend().rmspropUpdate(
    param.storage,
    grad.storage,
    squareAvg.storage,
    gradAvg?.storage ?? null,
    momentumBuffer?.storage ?? null,
    hyper,
  );
  for (const t of [param, squareAvg, gradAvg, momentumBuffer]) if (t) bumpVersion(t);
}

/** One fused Adagrad step on param, updating the running sum of squares. */
export function adagradStep(param: Tensor, grad: Tensor, sum: Tensor, hyper: AdagradHyper): void {
  backend().adagradUpdate(param.storage, grad.storage, sum.storage, hyper);
  bumpVersion(param);
  bumpVersion(sum);
}
