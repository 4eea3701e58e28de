/**
 * The optimizers' update rules as fused in-place loops over flat arrays: each reads the gradient
 * once and writes the parameter and its state buffers once, with the intermediate direction kept in
 * a register (no scratch array, no tensor). The reference the backends implement (see
 * ../storage.ts for the formulas); minimize()'s first-order methods run them on their iterate too.
 */
import type { FloatArray } from "../arrays.js";
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from "../storage.js";

/** p ← p − lr·u with u the SGD direction (weight decay, then momentum or Nesterov). */
export function sgdUpdate(p: FloatArray, g: FloatArray, buffer: FloatArray | null, h: SgdHyper): void {
  const { lr, weightDecay, momentum, nesterov } = h;
  if (!buffer || momentum === 0) {
    if (weightDecay === 0) for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * g[i]!;
    else for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * (g[i]! + weightDecay * p[i]!);
    return;
  }
  const keep = h.first ? 0 : momentum;
  const take = h.first ? 1 : 1 - h.dampening;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const u = weightDecay === 0 ? g[i]! : g[i]! + weightDecay * pi;
    const b = keep * buffer[i]! + take * u;
    buffer[i] = b;
    p[i] = pi - lr * (nesterov ? u + momentum * b : b);
  }
}

/** p ← p − lr·(Adam's direction), updating the moment estimates m and v. */
export function adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, h: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = h;
  // the bias corrections as reciprocals: multiplying is markedly faster than dividing in this hot loop
  const invCorrection1 = 1 / (1 - beta1 ** h.step);
  const invSqrtCorrection2 = 1 / Math.sqrt(1 - beta2 ** h.step);
  const l2 = decoupled ? 0 : weightDecay;
  const decay = decoupled ? weightDecay : 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const u = l2 === 0 ? g[i]! : g[i]! + l2 * pi;
    const mi = beta1 * m[i]! + (1 - beta1) * u;
    const vi = beta2 * v[i]! + (1 - beta2) * u * u;
    m[i] = mi;
    v[i] = vi;
    const a = (mi * invCorrection1) / (Math.sqrt(vi) * invSqrtCorrection2 + eps);
    p[i] = pi - lr * (decay === 0 ? a : a + decay * pi);
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
