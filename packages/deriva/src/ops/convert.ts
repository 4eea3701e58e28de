/** Turning op arguments into tensors of the right dtype. */

import { backend } from "../backend/registry.js";
import { checkInt32Range, checkTensor, describeValue } from "../tensor/arguments.js";
import { type DType, floatOf, isDType, isFloat, promote } from "../tensor/dtype.js";
import { SCALAR_SHAPE } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { apply, type OpDef } from "./op.js";

/** A scalar of the given dtype (plain numbers adopt the dtype of the tensor they meet, like NumPy's weak scalars). */
export function scalar(value: number, dtype: DType): Tensor {
  const values = allocateResult(dtype, 1);
  values[0] = value;
  return new Tensor(values, SCALAR_SHAPE);
}

/** The dtype a number takes next to a tensor: the tensor's, unless an int tensor meets a fraction. */
function weakDtype(value: number, other: DType): DType {
  return other === "int32" && !Number.isInteger(value) ? "float32" : other;
}

export const castOp: OpDef<{ dtype: DType }> = {
  name: "cast",
  forward([x], { dtype }) {
    const out = allocateResult(dtype, x!.size);
    backend().cast(x!.storage, out);
    return new Tensor(out, x!.shape);
  },
  // the gradient goes back in the input's own dtype
  vjp: (g, [x]) => [x!.requiresGrad ? castTo(g, x!.dtype) : null],
};

/**
 * Converts to another dtype (differentiable between float dtypes). Floats become int32 by
 * truncation toward zero; NaN, ±Infinity and values beyond int32's range are refused, naming the
 * first such element (a float → int32 cast is rare, so the extra pass costs little).
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor("cast", "x", x);
  if (!isDType(dtype)) {
    throw new Error(`cast: unknown dtype ${describeValue(dtype)} (use float32, float64 or int32)`);
  }
  if (dtype === "int32" && x.dtype !== "int32") checkInt32Range("cast", backend().download(x.storage));
  return castTo(x, dtype);
}

/**
 * cast without its checks, for the ops' own conversions, which only widen (int32 → float,
 * float32 → float64) a tensor they hold: promotions happen in every binary op, so they stay one
 * comparison when the dtype is already right.
 */
export function castTo(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : apply(castOp, [x], { dtype });
}

export function asTensor(x: TensorLike, dtype: DType = "float32"): Tensor {
  return typeof x === "number" ? scalar(x, dtype) : x;
}

/** A tensor in a float dtype (int32 is converted to float32). */
export function asFloat(x: TensorLike): Tensor {
  const t = asTensor(x);
  return isFloat(t.dtype) ? t : castTo(t, floatOf(t.dtype));
}

/** Both operands as tensors of one common dtype. */
export function promotePair(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === "number" && typeof b === "number") return [scalar(a, "float32"), scalar(b, "float32")];
  if (typeof a === "number") {
    const tb = b as Tensor;
    const dtype = weakDtype(a, tb.dtype);
    return [scalar(a, dtype), castTo(tb, dtype)];
  }
  if (typeof b === "number") {
    const dtype = weakDtype(b, a.dtype);
    return [castTo(a, dtype), scalar(b, dtype)];
  }
  const dtype = promote(a.dtype, b.dtype);
  return [castTo(a, dtype), castTo(b, dtype)];
}
