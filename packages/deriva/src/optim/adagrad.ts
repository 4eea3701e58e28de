/** Adagrad. */
import type { Tensor } from "../core.js";
import { adagradStep } from "../tensor/storage.js";
import { nonNegative, withDefaults } from "./check.js";
import { Optimizer, type ParamState, stateBuffer } from "./optimizer.js";

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
    super("Adagrad", params, options);
  }

  protected update(slot: ParamState, grad: Tensor): void {
    const { lr, eps, weightDecay, lrDecay, initialAccumulatorValue } = this.options;
    const sum = stateBuffer(slot, "sum", initialAccumulatorValue).buffer;
    adagradStep(slot.param, grad, sum, { lr, eps, weightDecay, lrDecay, step: slot.step });
  }

  get type(): string {
    return "Adagrad";
  }
}
