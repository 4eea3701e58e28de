/** Adagrad. */
import type { Tensor } from "../core.js";
import { scaleByAdagrad } from "./adaptive-scaling.js";
import { nonNegative, withDefaults } from "./check.js";
import { chain } from "./gradient-transform.js";
import { Optimizer } from "./optimizer.js";
import { addDecayedWeights } from "./weight-decay.js";

/** Options of optim.Adagrad (all optional in its constructor). */
export interface AdagradOptions {
  /** The learning rate (default 0.01); schedules change it between steps. */
  lr: number;
  /** The rate at step t is lr / (1 + (t − 1)·lrDecay). */
  lrDecay: number;
  /** The L2 penalty: weightDecay·p is added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the squared-gradient sum. */
  initialAccumulatorValue: number;
  /** Added to the denominator √sum for stability (default 1e-10). */
  eps: number;
}

/**
 * torch.optim.Adagrad: g ← ∇ + weightDecay·p, sum ← sum + g², p ← p − lr_t·g / (√sum + eps) with
 * lr_t = lr / (1 + (t − 1)·lrDecay). Defaults lr 0.01, eps 1e-10.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Iterable<Tensor>, opts: Partial<AdagradOptions> = {}) {
    const options = withDefaults<AdagradOptions>(
      {
        lr: 1e-2,
        lrDecay: 0,
        weightDecay: 0,
        initialAccumulatorValue: 0,
        eps: 1e-10,
      },
      opts,
    );
    nonNegative("Adagrad", "lrDecay", options.lrDecay);
    nonNegative("Adagrad", "weightDecay", options.weightDecay);
    nonNegative("Adagrad", "initialAccumulatorValue", options.initialAccumulatorValue);
    nonNegative("Adagrad", "eps", options.eps);
    super("Adagrad", params, options, chain<AdagradOptions>(addDecayedWeights, scaleByAdagrad));
  }

  get type(): string {
    return "Adagrad";
  }
}
