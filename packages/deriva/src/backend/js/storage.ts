/**
 * Storage on the CPU: a tensor's elements are a typed array in JavaScript memory, shared by the
 * CPU backends (the WebAssembly backend copies them into its heap per call). Uploads adopt the
 * array, downloads hand it back to read, and the optimizers' updates are the fused loops of update.ts.
 */
import { allocate, type FloatArray } from "../arrays.js";
import type { StorageKernels } from "../storage.js";
import { adagradUpdate, adamUpdate, rmspropUpdate, sgdUpdate } from "./update.js";

/** The storage kernels of the CPU backends. */
export const cpuStorage: StorageKernels = {
  allocate,
  upload: (values) => values,
  write(target, values) {
    if (values.length !== target.length) {
      throw new Error(`write: ${values.length} values for storage of ${target.length} elements`);
    }
    target.set(values);
  },
  download: (storage) => storage,
  read: (storage) => Promise.resolve(storage.slice()),
  sgdUpdate: (p, g, buffer, h) => sgdUpdate(p as FloatArray, g as FloatArray, buffer as FloatArray | null, h),
  adamUpdate: (p, g, m, v, h) =>
    adamUpdate(p as FloatArray, g as FloatArray, m as FloatArray, v as FloatArray, h),
  rmspropUpdate: (p, g, s, a, b, h) =>
    rmspropUpdate(
      p as FloatArray,
      g as FloatArray,
      s as FloatArray,
      a as FloatArray | null,
      b as FloatArray | null,
      h,
    ),
  adagradUpdate: (p, g, sum, h) => adagradUpdate(p as FloatArray, g as FloatArray, sum as FloatArray, h),
  scaleAdd(y, a, x, b) {
    for (let i = 0; i < y.length; i++) y[i] = a * y[i]! + b * x[i]!;
  },
};
