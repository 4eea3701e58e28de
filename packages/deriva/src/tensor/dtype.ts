/** Element types a tensor can hold. float32 is the default, as in PyTorch. */
import type { DType, TypedArray } from "../backend/arrays.js";

export {
  allocate,
  arrayOn,
  BYTES_PER_ELEMENT,
  type DType,
  type FloatArray,
  type TypedArray,
} from "../backend/arrays.js";

/** The float element types (those that can carry gradients). The one definition of it. */
export type FloatDType = "float32" | "float64";

export const DEFAULT_DTYPE: DType = "float32";

export function dtypeOfArray(array: TypedArray): DType {
  if (array instanceof Float32Array) return "float32";
  if (array instanceof Float64Array) return "float64";
  return "int32";
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype !== "int32";
}

/** The dtype two operands are computed in: float64 wins over float32, any float wins over int32. */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  return "float32";
}

/** The float dtype an op that needs real numbers (exp, div, mean) computes in. */
export function floatOf(dtype: DType): FloatDType {
  return dtype === "int32" ? "float32" : dtype;
}

export function isDType(value: unknown): value is DType {
  return value === "float32" || value === "float64" || value === "int32";
}
