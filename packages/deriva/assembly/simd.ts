/**
 * Vector helpers shared by every kernel, generic over the element type T (f32 or f64): one
 * v128 holds 16 / sizeof<T>() lanes. `madd` is a fused multiply-add where the build enables
 * relaxed SIMD and a multiply then an add otherwise (the choice is made at compile time).
 */

/** Lanes per vector: 4 for f32, 2 for f64. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** a·b + c. */
// @ts-ignore: decorator
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}
