/**
 * The gradient transforms the optimizers are made of, each one loop over a parameter's elements.
 * Formulas follow torch.optim exactly (names of state buffers too).
 */
import { type FloatArray, type ParamSlot, stateBuffer, type Transform } from "./transform.js";

/** u ← u + wd·p: L2 regularization folded into the gradient (SGD, Adam) or AdamW's decoupled decay. */
export const addDecayedWeights: Transform<{ weightDecay: number }> = {
  update(u, slot, { weightDecay }) {
    if (weightDecay === 0) return;
    const p = slot.values;
    for (let i = 0; i < u.length; i++) u[i] = u[i]! + weightDecay * p[i]!;
  },
};

export interface TraceOptions {
  momentum: number;
  dampening?: number;
  nesterov?: boolean;
}

/**
 * Momentum (torch.optim.SGD): buf ← momentum·buf + (1 − dampening)·u, with buf = u on the first
 * step; then u ← buf, or u ← u + momentum·buf with Nesterov. Nothing happens while momentum is 0.
 */
export const trace: Transform<TraceOptions> = {
  update(u, slot, { momentum, dampening = 0, nesterov = false }) {
    if (momentum === 0) return;
    const fresh = !slot.state.has("momentum_buffer");
    const buf = stateBuffer(slot, "momentum_buffer");
    const keep = fresh ? 0 : momentum;
    const take = fresh ? 1 : 1 - dampening;
    for (let i = 0; i < u.length; i++) {
      const b = keep * buf[i]! + take * u[i]!;
      buf[i] = b;
      u[i] = nesterov ? u[i]! + momentum * b : b;
    }
  },
};

export interface AdamOptions {
  betas: [number, number];
  eps: number;
}

/**
 * Adam's scaling (torch.optim.Adam): m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u²,
 * u ← (m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + eps).
 */
export const scaleByAdam: Transform<AdamOptions> = {
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

export interface RmsOptions {
  alpha: number;
  eps: number;
  centered: boolean;
}

/**
 * RMSprop's scaling (torch.optim.RMSprop): s ← αs + (1 − α)u², and when centered also
 * a ← αa + (1 − α)u; then u ← u / (√(s − a²) + eps) (a = 0 when not centered).
 */
export const scaleByRms: Transform<RmsOptions> = {
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

export interface AdagradOptions {
  eps: number;
  initialAccumulatorValue: number;
  lrDecay: number;
}

/**
 * Adagrad's scaling (torch.optim.Adagrad): sum ← sum + u², u ← u / (√sum + eps), with the rate
 * decay 1 / (1 + (t − 1)·lrDecay) folded in.
 */
export const scaleByAdagrad: Transform<AdagradOptions> = {
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

/** Applies transforms in order (optax's chain). */
export function chain<O>(...transforms: Transform<O>[]): Transform<O> {
  return {
    update(u: FloatArray, slot: ParamSlot, options: O) {
      for (const t of transforms) t.update(u, slot, options);
    },
  };
}
