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

/** Two elements of T at ptr as an f64x2 (f32 promoted), for kernels that compute in f64 whatever the storage. */
// @ts-ignore: decorator
@inline export function load2<T>(ptr: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(ptr);
  return f64x2.promote_low_f32x4(v128.load64_zero(ptr));
}

/** Stores an f64x2 as two elements of T at ptr (rounded to f32 for f32). */
// @ts-ignore: decorator
@inline export function store2<T>(ptr: usize, v: v128): void {
  if (sizeof<T>() == 8) v128.store(ptr, v);
  else v128.store64_lane(ptr, f32x4.demote_f64x2_zero(v), 0);
}

/** x in both f64 lanes. */
// @ts-ignore: decorator
@inline export function splat(x: f64): v128 {
  return f64x2.splat(x);
}

/** count elements of T at `at` = v, a vector at a time. */
// @ts-ignore: decorator
@inline export function fillSpan<T>(at: usize, count: i32, v: T): void {
  const S = sizeof<T>();
  const vector = v128.splat<T>(v);
  let i = 0;
  for (; i + lanes<T>() <= count; i += lanes<T>()) v128.store(at + <usize>i * S, vector);
  for (; i < count; i++) store<T>(at + <usize>i * S, v);
}
