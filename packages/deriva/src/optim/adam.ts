/** Adam and AdamW. */
import type { Tensor } from "../core.js";
import { adamStep } from "../tensor/storage.js";
import { betasPair, inRange, nonNegative, withDefaults } from "./check.js";
import { Optimizer, type ParamState, stateBuffer } from "./optimizer.js";

/** Options of optim.Adam and optim.AdamW (all optional in their constructors). */
export interface AdamOptions {
  /** The learning rate (default 1e-3); schedules change it between steps. */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator √v̂ for stability (default 1e-8). */
  eps: number;
  /**
   * Weight decay: an L2 term added to the gradient for Adam (default 0), decoupled p ← p·(1 − lr·weightDecay)
   * for AdamW (default 0.01).
   */
  weightDecay: number;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  /** AdamW's decoupled weight decay (p·(1 − lr·wd)) rather than Adam's L2 term in the gradient. */
  readonly #decoupled: boolean;

  constructor(
    name: string,
    params: Iterable<Tensor>,
    opts: Partial<AdamOptions>,
    defaultDecay: number,
    decoupled: boolean,
  ) {
    const options = withDefaults<AdamOptions>(
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: defaultDecay },
      opts,
    );
    options.betas = betasPair(name, options.betas);
    nonNegative(name, "eps", options.eps);
    nonNegative(name, "weightDecay", options.weightDecay);
    super(name, params, options);
    this.#decoupled = decoupled;
  }

  protected update(slot: ParamState, grad: Tensor): void {
    const { lr, betas, eps, weightDecay } = this.options;
    const m = stateBuffer(slot, "exp_avg").buffer;
    const v = stateBuffer(slot, "exp_avg_sq").buffer;
    adamStep(slot.param, grad, m, v, {
      lr,
      beta1: betas[0],
      beta2: betas[1],
      eps,
      weightDecay,
      decoupled: this.#decoupled,
      step: slot.step,
    });
  }

  /** β₁, which one-cycle schedules vary like momentum. */
  override get momentum(): number {
    return this.options.betas[0];
  }

  override set momentum(value: number) {
    this.options.betas = [inRange(this.type, "β₁", value, 0, 1, true), this.options.betas[1]];
  }
}

/**
 * torch.optim.Adam: g ← ∇ + weightDecay·p (L2), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * p ← p − lr·(m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + eps).
 *
 * @example
 * manualSeed(0);
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
 * const x = tensor([[0, 1], [1, 0]]);
 * const y = tensor([[1], [1]]);
 * for (let i = 0; i < 100; i++) {
 *   opt.zeroGrad();
 *   loss.mse(model.forward(x), y).backward();
 *   opt.step();
 * }
 * loss.mse(model.forward(x), y).item() < 0.01; // true
 */
export class Adam extends AdamBase {
  constructor(params: Iterable<Tensor>, opts: Partial<AdamOptions> = {}) {
    super("Adam", params, opts, 0, false);
  }

  get type(): string {
    return "Adam";
  }
}

/**
 * torch.optim.AdamW: Adam with decoupled weight decay, p ← p·(1 − lr·weightDecay) − lr·adam(∇)
 * (weightDecay defaults to 0.01).
 */
export class AdamW extends AdamBase {
  constructor(params: Iterable<Tensor>, opts: Partial<AdamOptions> = {}) {
    super("AdamW", params, opts, 0.01, true);
  }

  get type(): string {
    return "AdamW";
  }
}
