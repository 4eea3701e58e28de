/** The flat arrays backends compute on, one element type per tensor dtype. */

/** The element type of a tensor. */
export type DType = "float32" | "float64" | "int32";
/** The arrays of the float dtypes (float32, float64). */
export type FloatArray = Float32Array | Float64Array;
/** The arrays of every dtype (float32, float64, int32). */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4 };

/** A zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
  }
}

/** An array of `dtype` over all of `buffer` (whose length is a multiple of the element size). */
export function arrayOn(dtype: DType, buffer: ArrayBuffer): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
  }
}
