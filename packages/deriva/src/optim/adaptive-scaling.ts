/**
 * The adaptive scalings: each coordinate of the update divided by a running estimate of the
 * gradient's size there (Adam, RMSprop, Adagrad), with torch.optim's formulas and state buffer names.
 */
import type { FloatArray } from "../tensor/dtype.js";
import { stateBuffer, type Transform } from "./gradient-transform.js";

/** The options Adam's scaling reads (β₁, β₂ and ε, as torch.optim.Adam). */
export interface AdamScalingOptions {
  /** Decay rates β₁, β₂ of the first and second moment estimates. */
  betas: [number, number];
  /** Added to the denominator's √v̂ (numerical stability). */
  eps: number;
}

/**
 * Adam's scaling (torch.optim.Adam): m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u²,
 * u ← (m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + eps).
 */
export const scaleByAdam: Transform<AdamScalingOptions> = {
  update(u, slot, { betas: [beta1, beta2], eps }) {
    const m = stateBuffer(slot, "exp_avg");
    const v = stateBuffer(slot, "exp_avg_sq");
    // the bias corrections as reciprocals: multiplying is markedly faster than dividing in this hot loop
    const invCorrection1 = 1 / (1 - beta1 ** slot.step);
    const invSqrtCorrection2 = 1 / Math.sqrt(1 - beta2 ** slot.step);
    for (let i = 0; i < u.length; i++) {
      const g = u[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      u[i] = (mi * invCorrection1) / (Math.sqrt(vi) * invSqrtCorrection2 + eps);
    }
  },
};

/** The options RMSprop's scaling reads. */
export interface RmsScalingOptions {
  /** Decay rate of the running mean of u². */
  alpha: number;
  /** Added to the denominator (numerical stability). */
  eps: number;
  /** Divide by the running variance (mean of u² minus the squared mean of u) instead. */
  centered: boolean;
}

/**
 * RMSprop's scaling (torch.optim.RMSprop): s ← αs + (1 − α)u², and when centered also
 * a ← αa + (1 − α)u; then u ← u / (√(s − a²) + eps) (a = 0 when not centered).
 */
export const scaleByRms: Transform<RmsScalingOptions> = {
  update(u, slot, { alpha, eps, centered }) {
    const s = stateBuffer(slot, "square_avg");
    const a: FloatArray | null = centered ? stateBuffer(slot, "grad_avg") : null;
    for (let i = 0; i < u.length; i++) {
      const g = u[i]!;
      const si = alpha * s[i]! + (1 - alpha) * g * g;
      s[i] = si;
      let variance = si;
      if (a) {
        const ai = alpha * a[i]! + (1 - alpha) * g;
        a[i] = ai;
        variance = si - ai * ai;
      }
      u[i] = g / (Math.sqrt(variance) + eps);
    }
  },
};

/** The options Adagrad's scaling reads. */
export interface AdagradScalingOptions {
  /** Added to the denominator (numerical stability). */
  eps: number;
  /** What the running sum of u² starts from. */
  initialAccumulatorValue: number;
  /** The rate decay: step t is scaled by 1 / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
}

/**
 * Adagrad's scaling (torch.optim.Adagrad): sum ← sum + u², u ← u / (√sum + eps), with the rate
 * decay 1 / (1 + (t − 1)·lrDecay) folded in.
 */
export const scaleByAdagrad: Transform<AdagradScalingOptions> = {
  update(u, slot, { eps, initialAccumulatorValue, lrDecay }) {
    const sum = stateBuffer(slot, "sum", initialAccumulatorValue);
    const decay = 1 / (1 + (slot.step - 1) * lrDecay);
    for (let i = 0; i < u.length; i++) {
      const g = u[i]!;
      const si = sum[i]! + g * g;
      sum[i] = si;
      u[i] = (decay * g) / (Math.sqrt(si) + eps);
    }
  },
};
