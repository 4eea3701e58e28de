/** Adam and AdamW. */
import type { Tensor } from "../core.js";
import { scaleByAdam } from "./adaptive-scaling.js";
import { betasPair, inRange, nonNegative, withDefaults } from "./check.js";
import { chain, type Transform } from "./gradient-transform.js";
import { Optimizer } from "./optimizer.js";
import { addDecayedWeights } from "./weight-decay.js";

export interface AdamOptions {
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  constructor(
    name: string,
    params: Iterable<Tensor>,
    opts: Partial<AdamOptions>,
    defaultDecay: number,
    order: (decay: Transform<AdamOptions>, adam: Transform<AdamOptions>) => Transform<AdamOptions>[],
  ) {
    const options = withDefaults<AdamOptions>(
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: defaultDecay },
      opts,
    );
    options.betas = betasPair(name, options.betas);
    nonNegative(name, "eps", options.eps);
    nonNegative(name, "weightDecay", options.weightDecay);
    super(name, params, options, chain(...order(addDecayedWeights, scaleByAdam)));
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
 */
export class Adam extends AdamBase {
  constructor(params: Iterable<Tensor>, opts: Partial<AdamOptions> = {}) {
    super("Adam", params, opts, 0, (decay, adam) => [decay, adam]);
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
    super("AdamW", params, opts, 0.01, (decay, adam) => [adam, decay]);
  }

  get type(): string {
    return "AdamW";
  }
}
