/**
 * Matrix-vector product y = M·x, generic over f32 / f64: the products where one side of a matmul
 * is a single row or column (a layer applied to one sample, a dot product, the gradient of a
 * vector operand). Packing them into gemm's register tiles would waste most of each tile.
 *
 * Element (i, p) of M is at m + (i·mrs + p·mcs)·size; x and y are contiguous. The loop runs along
 * whichever axis of M is contiguous: dot products of rows when rows are contiguous, a sweep of
 * columns (y += column·x[p]) when columns are; when that axis is shorter than a vector, scalar
 * dot products accumulated in f64.
 */
import { lanes, madd } from "./simd";

export function gemv<T>(m: usize, mrs: i32, mcs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  const L = lanes<T>();
  if (mcs == 1 && k >= 2 * L) rowDots<T>(m, mrs, x, y, rows, k);
  else if (mrs == 1 && rows >= L) columnSweep<T>(m, mcs, x, y, rows, k);
  else scalarDots<T>(m, mrs, mcs, x, y, rows, k);
}

/** y[i] = row i · x with rows contiguous: two vector accumulators per row, then the tail. */
function rowDots<T>(m: usize, mrs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  const S = <usize>sizeof<T>();
  const L = lanes<T>();
  for (let i = 0; i < rows; i++) {
    const row = m + <usize>i * <usize>mrs * S;
    let acc0 = v128.splat<T>(<T>0);
    let acc1 = v128.splat<T>(<T>0);
    let p = 0;
    for (; p + 2 * L <= k; p += 2 * L) {
      const at = <usize>p * S;
      acc0 = madd<T>(v128.load(row + at), v128.load(x + at), acc0);
      acc1 = madd<T>(v128.load(row + at + 16), v128.load(x + at + 16), acc1);
    }
    const acc = v128.add<T>(acc0, acc1);
    let sum = <f64>v128.extract_lane<T>(acc, 0) + <f64>v128.extract_lane<T>(acc, 1);
    if (sizeof<T>() == 4) sum += <f64>v128.extract_lane<T>(acc, 2) + <f64>v128.extract_lane<T>(acc, 3);
    for (; p < k; p++) sum += <f64>load<T>(row + <usize>p * S) * <f64>load<T>(x + <usize>p * S);
    store<T>(y + <usize>i * S, <T>sum);
  }
}

/** y = Σ_p column p · x[p] with columns contiguous: whole vectors of rows at a time. */
function columnSweep<T>(m: usize, mcs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  const S = <usize>sizeof<T>();
  const L = lanes<T>();
  const full = rows - (rows % L);
  for (let i = 0; i < full; i += L) v128.store(y + <usize>i * S, v128.splat<T>(<T>0));
  for (let i = full; i < rows; i++) store<T>(y + <usize>i * S, <T>0);
  for (let p = 0; p < k; p++) {
    const column = m + <usize>p * <usize>mcs * S;
    const xp = load<T>(x + <usize>p * S);
    const xv = v128.splat<T>(xp);
    for (let i = 0; i < full; i += L) {
      const at = <usize>i * S;
      v128.store(y + at, madd<T>(v128.load(column + at), xv, v128.load(y + at)));
    }
    for (let i = full; i < rows; i++) {
      const at = <usize>i * S;
      store<T>(y + at, load<T>(column + at) * xp + load<T>(y + at));
    }
  }
}

/** y[i] = Σ_p M[i, p]·x[p] one element at a time (short contiguous axis), accumulated in f64. */
function scalarDots<T>(m: usize, mrs: i32, mcs: i32, x: usize, y: usize, rows: i32, k: i32): void {
  const S = <usize>sizeof<T>();
  for (let i = 0; i < rows; i++) {
    let at = m + <usize>i * <usize>mrs * S;
    const step = <usize>mcs * S;
    let sum: f64 = 0;
    for (let p = 0; p < k; p++, at += step) sum += <f64>load<T>(at) * <f64>load<T>(x + <usize>p * S);
    store<T>(y + <usize>i * S, <T>sum);
  }
}
