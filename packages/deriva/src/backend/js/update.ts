/**
 * The optimizers' update rules as fused in-place loops over flat arrays: each reads the gradient
 * once and writes the parameter and its state buffers once, with the intermediate direction kept in
 * a register (no scratch array, no tensor). The reference the backends implement (see
 * ../storage.ts for the formulas); minimize()'s first-order methods run them on their iterate too.
 */
import type { FloatArray } from "../arrays.js";
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from "../storage.js";

/**
 * The momentum buffer's weights in b ← keep·b + take·u: the first step starts the buffer at u,
 * later ones keep momentum·b and add (1 − dampening)·u.
 */
export function sgdBufferWeights(h: SgdHyper): { keep: number; take: number } {
  return h.first ? { keep: 0, take: 1 } : { keep: h.momentum, take: 1 - h.dampening };
}

/**
 * p ← p − lr·u with u the SGD direction (weight decay, then momentum or Nesterov). The common
 * cases get loops of their own: a test per element of a condition that never changes costs the
 * loop a good part of its time.
 */
export function sgdUpdate(p: FloatArray, g: FloatArray, buffer: FloatArray | null, h: SgdHyper): void {
  const { lr, weightDecay, momentum, nesterov } = h;
  const n = p.length;
  if (!buffer || momentum === 0) {
    if (weightDecay === 0) for (let i = 0; i < n; i++) p[i] = p[i]! - lr * g[i]!;
    else for (let i = 0; i < n; i++) p[i] = p[i]! - lr * (g[i]! + weightDecay * p[i]!);
    return;
  }
  const { keep, take } = sgdBufferWeights(h);
  if (weightDecay === 0 && !nesterov) {
    for (let i = 0; i < n; i++) {
      const b = keep * buffer[i]! + take * g[i]!;
      buffer[i] = b;
      p[i] = p[i]! - lr * b;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const u = weightDecay === 0 ? g[i]! : g[i]! + weightDecay * pi;
    const b = keep * buffer[i]! + take * u;
    buffer[i] = b;
    p[i] = pi - lr * (nesterov ? u + momentum * b : b);
  }
}

/** The per-step constants of an Adam update: 1 − β₁, 1 − β₂ and the bias corrections. */
export function adamFactors(h: AdamHyper): {
  rest1: number;
  rest2: number;
  invCorrection1: number;
  invSqrtCorrection2: number;
} {
  return {
    rest1: 1 - h.beta1,
    rest2: 1 - h.beta2,
    // the bias corrections as reciprocals: multiplying is markedly faster than dividing in the hot loop
    invCorrection1: 1 / (1 - h.beta1 ** h.step),
    invSqrtCorrection2: 1 / Math.sqrt(1 - h.beta2 ** h.step),
  };
}

/**
 * p ← p − lr·(Adam's direction), updating the moment estimates m and v. One loop per case (no
 * decay, AdamW's decoupled decay, Adam's L2 term), for the reason sgdUpdate gives.
 */
export function adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, h: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = h;
  const n = p.length;
  const { rest1, rest2, invCorrection1, invSqrtCorrection2 } = adamFactors(h);
  if (weightDecay === 0) {
    for (let i = 0; i < n; i++) {
      const u = g[i]!;
      const mi = beta1 * m[i]! + rest1 * u;
      const vi = beta2 * v[i]! + rest2 * u * u;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i]! - lr * ((mi * invCorrection1) / (Math.sqrt(vi) * invSqrtCorrection2 + eps));
    }
    return;
  }
  if (decoupled) {
    // AdamW: the direction plus wd·p
    for (let i = 0; i < n; i++) {
      const u = g[i]!;
      const mi = beta1 * m[i]! + rest1 * u;
      const vi = beta2 * v[i]! + rest2 * u * u;
      m[i] = mi;
      v[i] = vi;
      const pi = p[i]!;
      p[i] =
        pi - lr * ((mi * invCorrection1) / (Math.sqrt(vi) * invSqrtCorrection2 + eps) + weightDecay * pi);
    }
    return;
  }
  // Adam's L2 term: u = g + wd·p
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const u = g[i]! + weightDecay * pi;
    const mi = beta1 * m[i]! + rest1 * u;
    const vi = beta2 * v[i]! + rest2 * u * u;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - lr * ((mi * invCorrection1) / (Math.sqrt(vi) * invSqrtCorrection2 + eps));
  }
}

/** p ← p − lr·(RMSprop's direction, through its momentum buffer when there is one). */
export function rmspropUpdate(
  p: FloatArray,
  g: FloatArray,
  s: FloatArray,
  centered: FloatArray | null,
  buffer: FloatArray | null,
  h: RmspropHyper,
): void {
  const { lr, alpha, eps, weightDecay, momentum } = h;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const u = weightDecay === 0 ? g[i]! : g[i]! + weightDecay * pi;
    const si = alpha * s[i]! + (1 - alpha) * u * u;
    s[i] = si;
    let variance = si;
    if (centered) {
      const ai = alpha * centered[i]! + (1 - alpha) * u;
      centered[i] = ai;
      variance = si - ai * ai;
    }
    let r = u / (Math.sqrt(variance) + eps);
    if (buffer) {
      r = momentum * buffer[i]! + r;
      buffer[i] = r;
    }
    p[i] = pi - lr * r;
  }
}

/** p ← p − lr·(Adagrad's direction), updating the running sum of squares. */
export function adagradUpdate(p: FloatArray, g: FloatArray, sum: FloatArray, h: AdagradHyper): void {
  const { lr, eps, weightDecay } = h;
  const decay = 1 / (1 + (h.step - 1) * h.lrDecay);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const u = weightDecay === 0 ? g[i]! : g[i]! + weightDecay * pi;
    const si = sum[i]! + u * u;
    sum[i] = si;
    p[i] = pi - lr * ((decay * u) / (Math.sqrt(si) + eps));
  }
}
