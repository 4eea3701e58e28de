/** Small helpers over flat float64 vectors (the minimizers' working representation of x). */

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** x + t·d as a new vector. */
export function along(x: Float64Array, t: number, d: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + t * d[i]!;
  return out;
}

/** a − b as a new vector. */
export function minus(a: Float64Array, b: Float64Array): Float64Array {
  return along(a, -1, b);
}

/** c·a as a new vector. */
export function scaled(a: Float64Array, c: number): Float64Array {
  return a.map((v) => v * c);
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
