/** RMSprop. */
import type { Tensor } from "../core.js";
import { rmspropStep } from "../tensor/storage.js";
import { inRange, nonNegative, withDefaults } from "./check.js";
import { Optimizer, type ParamState, stateBuffer } from "./optimizer.js";

/** Options of optim.RMSprop (all optional in its constructor). */
export interface RMSpropOptions {
  /** The learning rate (default 0.01); schedules change it between steps. */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator √s for stability (default 1e-8). */
  eps: number;
  /** The L2 penalty: weightDecay·p is added to the gradient (default 0). */
  weightDecay: number;
  /** The momentum μ of the update buffer, ≥ 0 (default 0: none). */
  momentum: number;
  /** Normalize by the estimated variance instead of the raw second moment. */
  centered: boolean;
}

/**
 * torch.optim.RMSprop: g ← ∇ + weightDecay·p, s ← αs + (1 − α)g², u = g / (√s + eps) (centered:
 * √(s − a²) with a ← αa + (1 − α)g); with momentum μ, b ← μb + u and p ← p − lr·b, else p ← p − lr·u.
 * Defaults lr 0.01, α 0.99, eps 1e-8.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Iterable<Tensor>, opts: Partial<RMSpropOptions> = {}) {
    const options = withDefaults<RMSpropOptions>(
      {
        lr: 1e-2,
        alpha: 0.99,
        eps: 1e-8,
        weightDecay: 0,
        momentum: 0,
        centered: false,
      },
      opts,
    );
    inRange("RMSprop", "alpha", options.alpha, 0, 1);
    nonNegative("RMSprop", "eps", options.eps);
    nonNegative("RMSprop", "weightDecay", options.weightDecay);
    nonNegative("RMSprop", "momentum", options.momentum);
    super("RMSprop", params, options);
  }

  protected update(slot: ParamState, grad: Tensor): void {
    const { lr, alpha, eps, weightDecay, momentum, centered } = this.options;
    rmspropStep(
      slot.param,
      grad,
      stateBuffer(slot, "square_avg").buffer,
      centered ? stateBuffer(slot, "grad_avg").buffer : null,
      momentum === 0 ? null : stateBuffer(slot, "momentum_buffer").buffer,
      { lr, alpha, eps, weightDecay, momentum },
    );
  }

  get type(): string {
    return "RMSprop";
  }

  override get momentum(): number {
    return this.options.momentum;
  }

  override set momentum(value: number) {
    this.options.momentum = nonNegative("RMSprop", "momentum", value);
  }
}
