/**
 * Elementwise kernels on float arrays: unary ops and their derivatives, binary ops over broadcast
 * strides, reductions.
 * The cheap ops (neg, abs, relu, sqrt, sign, + − × ÷, max, min, comparisons) run four f32 (two
 * f64) lanes at a time and give the same bits as the JavaScript reference (IEEE arithmetic on
 * f32 rounds the same whether done in f32 or in f64 then rounded). f32 exp and sigmoid run four
 * lanes at a time by a polynomial (within 2 ulp of the exact value). The other transcendental
 * functions stay in JavaScript, whose Math is as fast as a scalar WebAssembly version; pow runs
 * one element at a time through AssemblyScript's Math.pow. The derivatives of sigmoid and tanh
 * round after each of their three operations, so they come within a few ulp of the reference
 * (which rounds once).
 * Op codes match src/backend/wasm/elementwise.ts.
 */
import { lanes } from "./simd";

// unary op codes
const NEG = 0, ABS = 1, RELU = 2, SQRT = 3, SIGN = 4, EXP = 5, SIGMOID = 6;
// binary op codes
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAXIMUM = 5, MINIMUM = 6;
const EQ = 7, NE = 8, GT = 9, LT = 10, GE = 11, LE = 12;

// @ts-ignore: decorator
@inline function unaryVector<T>(op: i32, v: v128): v128 {
  const zero = v128.splat<T>(<T>0);
  switch (op) {
    case NEG: return v128.neg<T>(v);
    case ABS: return v128.abs<T>(v);
    case RELU: return v128.max<T>(v, zero);
    case SQRT: return v128.sqrt<T>(v);
    default: {
      // sign: 1 above 0, −1 below, the value itself for ±0 and NaN
      const one = v128.splat<T>(<T>1);
      const pos = v128.gt<T>(v, zero);
      const neg = v128.lt<T>(v, zero);
      return v128.bitselect(one, v128.bitselect(v128.neg<T>(one), v, neg), pos);
    }
  }
}

/**
 * e^x on four f32 lanes (Cephes' expf): x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in two for an
 * exact reduction), e^r by a degree-5 minimax polynomial, then ·2^n applied in two halves so
 * that results down to the smallest subnormal come out right. Within 2 ulp of the exact value;
 * ±Infinity and NaN pass through as they should.
 */
// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-104)), f32x4.splat(89));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const k = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(k, 1);
  const bias = i32x4.splat(127);
  const scale1 = i32x4.shl(i32x4.add(half, bias), 23);
  const scale2 = i32x4.shl(i32x4.add(i32x4.sub(k, half), bias), 23);
  return f32x4.mul(f32x4.mul(y, scale1), scale2);
}

/** σ(x) = 1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) below (neither overflows), on four f32 lanes. */
// @ts-ignore: decorator
@inline function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const one = f32x4.splat(1);
  const below = f32x4.div(e, f32x4.add(one, e));
  const above = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(above, below, f32x4.ge(x, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline function expOrSigmoid4(op: i32, v: v128): v128 {
  return op == EXP ? exp4(v) : sigmoid4(v);
}

/** Type markers that choose the function of expOrSigmoidLoop when it is compiled. */
class Exp {}
class Sigmoid {}

/**
 * out[i] = F(x[i]) for the first multiple of 16 elements (returns how many), four vectors per step
 * so that their long chains of dependent operations overlap: a third faster than one vector at a
 * time, but only when no test of the op sits inside the loop (hence one compiled loop per op).
 */
function expOrSigmoidLoop<F>(x: usize, out: usize, n: i32): i32 {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = <usize>i << 2;
    const v0 = v128.load(x + at);
    const v1 = v128.load(x + at + 16);
    const v2 = v128.load(x + at + 32);
    const v3 = v128.load(x + at + 48);
    const exp = idof<F>() == idof<Exp>();
    v128.store(out + at, exp ? exp4(v0) : sigmoid4(v0));
    v128.store(out + at + 16, exp ? exp4(v1) : sigmoid4(v1));
    v128.store(out + at + 32, exp ? exp4(v2) : sigmoid4(v2));
    v128.store(out + at + 48, exp ? exp4(v3) : sigmoid4(v3));
  }
  return i;
}

/** out[i] = op(x[i]) for i < n (exp and sigmoid: f32 only). */
export function unary<T>(op: i32, x: usize, out: usize, n: i32): void {
  const S = sizeof<T>();
  if (sizeof<T>() == 4 && (op == EXP || op == SIGMOID)) {
    let i = op == EXP ? expOrSigmoidLoop<Exp>(x, out, n) : expOrSigmoidLoop<Sigmoid>(x, out, n);
    for (; i + 4 <= n; i += 4) {
      const at = <usize>i << 2;
      v128.store(out + at, expOrSigmoid4(op, v128.load(x + at)));
    }
    for (; i < n; i++) {
      // the last few elements one lane at a time
      const v = f32x4.splat(load<f32>(x + (<usize>i << 2)));
      store<f32>(out + (<usize>i << 2), f32x4.extract_lane(expOrSigmoid4(op, v), 0));
    }
    return;
  }
  const L = lanes<T>();
  let i = 0;
  for (; i + L <= n; i += L) v128.store(out + <usize>i * S, unaryVector<T>(op, v128.load(x + <usize>i * S)));
  for (; i < n; i++) {
    const v = v128.splat<T>(load<T>(x + <usize>i * S));
    store<T>(out + <usize>i * S, v128.extract_lane<T>(unaryVector<T>(op, v), 0));
  }
}

// unary-gradient op codes
const SIGMOID_GRAD = 0;
const RELU_GRAD = 2;

/**
 * out[i] = g[i]·f′(x[i]) from f's output y[i]: y·(1 − y) for sigmoid, 1 − y² for tanh, and for
 * relu g[i] where y[i] > 0, else 0 (a mask, so an infinite g where y is 0 gives 0): the backward
 * pass of the op in one pass.
 */
export function unaryGrad<T>(op: i32, g: usize, y: usize, out: usize, n: i32): void {
  const S = sizeof<T>();
  const L = lanes<T>();
  const one = v128.splat<T>(<T>1);
  const zero = v128.splat<T>(<T>0);
  let i = 0;
  if (op == RELU_GRAD) {
    for (; i + L <= n; i += L) {
      const at = <usize>i * S;
      v128.store(out + at, v128.and(v128.load(g + at), v128.gt<T>(v128.load(y + at), zero)));
    }
    for (; i < n; i++) {
      const at = <usize>i * S;
      store<T>(out + at, load<T>(y + at) > <T>0 ? load<T>(g + at) : <T>0);
    }
    return;
  }
  for (; i + L <= n; i += L) {
    const at = <usize>i * S;
    const v = v128.load(y + at);
    const slope = op == SIGMOID_GRAD ? v128.mul<T>(v, v128.sub<T>(one, v)) : v128.sub<T>(one, v128.mul<T>(v, v));
    v128.store(out + at, v128.mul<T>(v128.load(g + at), slope));
  }
  for (; i < n; i++) {
    const at = <usize>i * S;
    const v = load<T>(y + at);
    store<T>(out + at, load<T>(g + at) * (op == SIGMOID_GRAD ? v * (<T>1 - v) : <T>1 - v * v));
  }
}

// @ts-ignore: decorator
@inline function binaryVector<T>(op: i32, a: v128, b: v128): v128 {
  const one = v128.splat<T>(<T>1);
  switch (op) {
    case ADD: return v128.add<T>(a, b);
    case SUB: return v128.sub<T>(a, b);
    case MUL: return v128.mul<T>(a, b);
    case DIV: return v128.div<T>(a, b);
    case MAXIMUM: return v128.max<T>(a, b);
    case MINIMUM: return v128.min<T>(a, b);
    case EQ: return v128.and(v128.eq<T>(a, b), one);
    case NE: return v128.and(v128.ne<T>(a, b), one);
    case GT: return v128.and(v128.gt<T>(a, b), one);
    case LT: return v128.and(v128.lt<T>(a, b), one);
    case GE: return v128.and(v128.ge<T>(a, b), one);
    default: return v128.and(v128.le<T>(a, b), one);
  }
}

/** One row: o[i] = a[i·as] op b[i·bs] for i < n (strides in elements). */
// @ts-ignore: decorator
@inline function binaryRow<T>(op: i32, a: usize, as: i32, b: usize, bs: i32, o: usize, n: i32): void {
  const S = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  if (op != POW) {
    if (as == 1 && bs == 1) {
      for (; i + L <= n; i += L) {
        const d = <usize>i * S;
        v128.store(o + d, binaryVector<T>(op, v128.load(a + d), v128.load(b + d)));
      }
    } else if (as == 1 && bs == 0) {
      const bv = v128.splat<T>(load<T>(b));
      for (; i + L <= n; i += L) v128.store(o + <usize>i * S, binaryVector<T>(op, v128.load(a + <usize>i * S), bv));
    } else if (as == 0 && bs == 1) {
      const av = v128.splat<T>(load<T>(a));
      for (; i + L <= n; i += L) v128.store(o + <usize>i * S, binaryVector<T>(op, av, v128.load(b + <usize>i * S)));
    }
    for (; i < n; i++) {
      const av = v128.splat<T>(load<T>(a + <usize>(i * as) * S));
      const bv = v128.splat<T>(load<T>(b + <usize>(i * bs) * S));
      store<T>(o + <usize>i * S, v128.extract_lane<T>(binaryVector<T>(op, av, bv), 0));
    }
    return;
  }
  for (; i < n; i++) {
    const x = <f64>load<T>(a + <usize>(i * as) * S);
    const y = <f64>load<T>(b + <usize>(i * bs) * S);
    store<T>(o + <usize>i * S, <T>Math.pow(x, y));
  }
}

/**
 * out[idx] = a[idx·aStrides] op b[idx·bStrides] over a merged iteration plan: `plan` holds i32
 * [ndim, shape[ndim], aStrides[ndim], bStrides[ndim]]; the last axis is the inner loop. Rows
 * [row0, row1) of the plan (every axis but the last) are done, so threads can share a call.
 */
export function binary<T>(op: i32, a: usize, b: usize, out: usize, plan: usize, row0: i32, row1: i32): void {
  const S = sizeof<T>();
  const nd = load<i32>(plan);
  const shape = plan + 4;
  const aStrides = shape + (<usize>nd << 2);
  const bStrides = aStrides + (<usize>nd << 2);
  const last = nd - 1;
  const n = load<i32>(shape + (<usize>last << 2));
  const as = load<i32>(aStrides + (<usize>last << 2));
  const bs = load<i32>(bStrides + (<usize>last << 2));
  for (let row = row0; row < row1; row++) {
    // the row's offsets: its multi-index over the outer axes, innermost outer axis fastest
    let rest = row, ao = 0, bo = 0;
    for (let axis = last - 1; axis >= 0; axis--) {
      const size = load<i32>(shape + (<usize>axis << 2));
      const index = rest % size;
      rest /= size;
      ao += index * load<i32>(aStrides + (<usize>axis << 2));
      bo += index * load<i32>(bStrides + (<usize>axis << 2));
    }
    binaryRow<T>(op, a + <usize>ao * S, as, b + <usize>bo * S, bs, out + <usize>(row * n) * S, n);
  }
}

const SUM = 0, MAX = 1;

/** Two f64 lanes of x[p], x[p+1] (S = f32 or f64). */
// @ts-ignore: decorator
@inline function loadPair<S>(p: usize): v128 {
  if (sizeof<S>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p));
  return v128.load(p);
}

// @ts-ignore: decorator
@inline function combine(op: i32, acc: v128, v: v128): v128 {
  if (op == SUM) return f64x2.add(acc, v);
  if (op == MAX) return f64x2.max(acc, v);
  return f64x2.min(acc, v);
}

// @ts-ignore: decorator
@inline function combineScalar(op: i32, acc: f64, v: f64): f64 {
  if (op == SUM) return acc + v;
  if (op == MAX) return v > acc || isNaN(v) ? v : acc;
  return v < acc || isNaN(v) ? v : acc;
}

/**
 * Reduces the middle axis of x viewed as [outer, r, inner] into out [outer, inner] (r ≥ 1),
 * accumulating in f64 like the reference; S is x's type, D out's (f64 for the intermediate
 * results between runs of axes). `scratch` holds inner f64. Outer rows [o0, o1) only, for threads.
 */
export function reduceMiddle<S, D>(
  op: i32, x: usize, outer: i32, r: i32, inner: i32, out: usize, o0: i32, o1: i32, scratch: usize,
): void {
  const SS = <usize>sizeof<S>(), DS = <usize>sizeof<D>();
  for (let o = o0; o < o1; o++) {
    const base = x + <usize>o * r * inner * SS;
    if (inner == 1) {
      // one row: two vector accumulators, pairs of them combined at the end
      let k = 0;
      let acc = 0.0;
      if (r >= 4) {
        let v0 = loadPair<S>(base), v1 = loadPair<S>(base + 2 * SS);
        for (k = 4; k + 4 <= r; k += 4) {
          v0 = combine(op, v0, loadPair<S>(base + <usize>k * SS));
          v1 = combine(op, v1, loadPair<S>(base + <usize>(k + 2) * SS));
        }
        const v = combine(op, v0, v1);
        acc = combineScalar(op, f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
      } else {
        acc = <f64>load<S>(base);
        k = 1;
      }
      for (; k < r; k++) acc = combineScalar(op, acc, <f64>load<S>(base + <usize>k * SS));
      store<D>(out + <usize>o * DS, <D>acc);
      continue;
    }
    // rows in memory order into `inner` accumulators
    for (let i = 0; i < inner; i++) store<f64>(scratch + (<usize>i << 3), <f64>load<S>(base + <usize>i * SS));
    for (let k = 1; k < r; k++) {
      const row = base + <usize>k * inner * SS;
      let i = 0;
      for (; i + 2 <= inner; i += 2) {
        const a = scratch + (<usize>i << 3);
        v128.store(a, combine(op, v128.load(a), loadPair<S>(row + <usize>i * SS)));
      }
      for (; i < inner; i++) {
        const a = scratch + (<usize>i << 3);
        store<f64>(a, combineScalar(op, load<f64>(a), <f64>load<S>(row + <usize>i * SS)));
      }
    }
    for (let i = 0; i < inner; i++) store<D>(out + <usize>(o * inner + i) * DS, <D>load<f64>(scratch + (<usize>i << 3)));
  }
}
