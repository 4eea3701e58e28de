/**
 * The optimizers' fused in-place updates (SGD with momentum, Nesterov and weight decay; Adam and
 * AdamW): one pass that reads the gradient and writes the parameter and its state buffers. The
 * arithmetic is done in f64 whatever the storage (f32 lanes are promoted on load and rounded on
 * store), in the order of the JavaScript reference (src/backend/js/update.ts), whose numbers are
 * doubles: both backends give the same bits. Two f64 lanes per step, then a scalar tail. Each
 * call covers elements [from, to), so that threads can share a parameter; the loop is compiled
 * once per combination of options (the flags are constants where the inlined body is expanded),
 * so that no test is left inside it.
 */

import { load2, splat, store2 } from "./simd";

/**
 * SGD on elements [from, to): u = g (+ wd·p when wd ≠ 0); with a buffer b ← keep·b + take·u and
 * u = b, or u + momentum·b with Nesterov; then p ← p − lr·u.
 */
export function sgdUpdate<T>(
  p: usize, g: usize, b: usize, from: i32, to: i32, lr: f64, wd: f64, momentum: f64, keep: f64, take: f64,
  hasBuffer: bool, nesterov: bool,
): void {
  const decays = wd != 0;
  if (!hasBuffer) {
    if (decays) sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, true, false, false);
    else sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, false, false, false);
  } else if (nesterov) {
    if (decays) sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, true, true, true);
    else sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, false, true, true);
  } else if (decays) sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, true, true, false);
  else sgdRange<T>(p, g, b, from, to, lr, wd, momentum, keep, take, false, true, false);
}

// @ts-ignore: decorator
@inline function sgdRange<T>(
  p: usize, g: usize, b: usize, from: i32, to: i32, lr: f64, wd: f64, momentum: f64, keep: f64, take: f64,
  decays: bool, hasBuffer: bool, nesterov: bool,
): void {
  const S = <usize>sizeof<T>();
  const lrV = splat(lr), wdV = splat(wd), momentumV = splat(momentum), keepV = splat(keep), takeV = splat(take);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const at = <usize>i * S;
    const pv = load2<T>(p + at);
    let u = load2<T>(g + at);
    if (decays) u = f64x2.add(u, f64x2.mul(wdV, pv));
    if (hasBuffer) {
      const bv = f64x2.add(f64x2.mul(keepV, load2<T>(b + at)), f64x2.mul(takeV, u));
      store2<T>(b + at, bv);
      u = nesterov ? f64x2.add(u, f64x2.mul(momentumV, bv)) : bv;
    }
    store2<T>(p + at, f64x2.sub(pv, f64x2.mul(lrV, u)));
  }
  for (; i < to; i++) {
    const at = <usize>i * S;
    const pi = <f64>load<T>(p + at);
    let u = <f64>load<T>(g + at);
    if (decays) u = u + wd * pi;
    if (hasBuffer) {
      const bi = keep * <f64>load<T>(b + at) + take * u;
      store<T>(b + at, <T>bi);
      u = nesterov ? u + momentum * bi : bi;
    }
    store<T>(p + at, <T>(pi - lr * u));
  }
}

/**
 * Adam on elements [from, to): u = g (+ wd·p for Adam's L2 term), m ← β₁m + (1 − β₁)u,
 * v ← β₂v + (1 − β₂)u², a = (m·c₁) / (√v·c₂ + eps) with the bias corrections c₁ = 1/(1 − β₁ᵗ),
 * c₂ = 1/√(1 − β₂ᵗ); p ← p − lr·a, or p ← p − lr·(a + wd·p) for AdamW (decoupled).
 */
export function adamUpdate<T>(
  p: usize, g: usize, m: usize, v: usize, from: i32, to: i32, lr: f64, beta1: f64, beta2: f64, rest1: f64,
  rest2: f64, c1: f64, c2: f64, eps: f64, wd: f64, decoupled: bool,
): void {
  if (wd == 0) adamRange<T>(p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, false, false);
  else if (decoupled) adamRange<T>(p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, false, true);
  else adamRange<T>(p, g, m, v, from, to, lr, beta1, beta2, rest1, rest2, c1, c2, eps, wd, true, false);
}

// @ts-ignore: decorator
@inline function adamRange<T>(
  p: usize, g: usize, m: usize, v: usize, from: i32, to: i32, lr: f64, beta1: f64, beta2: f64, rest1: f64,
  rest2: f64, c1: f64, c2: f64, eps: f64, wd: f64, l2: bool, decay: bool,
): void {
  const S = <usize>sizeof<T>();
  const lrV = splat(lr), b1 = splat(beta1), b2 = splat(beta2), r1 = splat(rest1), r2 = splat(rest2);
  const c1V = splat(c1), c2V = splat(c2), epsV = splat(eps), wdV = splat(wd);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const at = <usize>i * S;
    const pv = load2<T>(p + at);
    let u = load2<T>(g + at);
    if (l2) u = f64x2.add(u, f64x2.mul(wdV, pv));
    const mv = f64x2.add(f64x2.mul(b1, load2<T>(m + at)), f64x2.mul(r1, u));
    const vv = f64x2.add(f64x2.mul(b2, load2<T>(v + at)), f64x2.mul(f64x2.mul(r2, u), u));
    store2<T>(m + at, mv);
    store2<T>(v + at, vv);
    let a = f64x2.div(f64x2.mul(mv, c1V), f64x2.add(f64x2.mul(f64x2.sqrt(vv), c2V), epsV));
    if (decay) a = f64x2.add(a, f64x2.mul(wdV, pv));
    store2<T>(p + at, f64x2.sub(pv, f64x2.mul(lrV, a)));
  }
  for (; i < to; i++) {
    const at = <usize>i * S;
    const pi = <f64>load<T>(p + at);
    let u = <f64>load<T>(g + at);
    if (l2) u = u + wd * pi;
    const mi = beta1 * <f64>load<T>(m + at) + rest1 * u;
    const vi = beta2 * <f64>load<T>(v + at) + rest2 * u * u;
    store<T>(m + at, <T>mi);
    store<T>(v + at, <T>vi);
    let a = (mi * c1) / (Math.sqrt(vi) * c2 + eps);
    if (decay) a = a + wd * pi;
    store<T>(p + at, <T>(pi - lr * a));
  }
}
