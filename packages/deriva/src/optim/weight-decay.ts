/** Weight decay as a gradient transform (torch.optim's formula). */
import type { Transform } from "./gradient-transform.js";

/** The options addDecayedWeights reads. */
export interface WeightDecayOptions {
  /** The decay factor wd (0: none). */
  weightDecay: number;
}

/** u ← u + wd·p: L2 regularization folded into the gradient (SGD, Adam) or AdamW's decoupled decay. */
export const addDecayedWeights: Transform<WeightDecayOptions> = {
  update(u, slot, { weightDecay }) {
    if (weightDecay === 0) return;
    const p = slot.values;
    for (let i = 0; i < u.length; i++) u[i] = u[i]! + weightDecay * p[i]!;
  },
};
