/** Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay. */
import type { Tensor } from "../core.js";
import { sgdStep } from "../tensor/storage.js";
import { nonNegative, withDefaults } from "./check.js";
import { Optimizer, type ParamState, stateBuffer } from "./optimizer.js";

/** Options of optim.SGD (all optional in its constructor). */
export interface SGDOptions {
  /** The learning rate (default 1e-3); schedules change it between steps. */
  lr: number;
  /** The momentum μ, ≥ 0 (default 0: plain gradient descent). */
  momentum: number;
  /** The dampening τ of the momentum buffer, ≥ 0 (default 0); Nesterov needs 0. */
  dampening: number;
  /** Use Nesterov's look-ahead p ← p − lr·(g + μ·b) (default false); needs momentum > 0. */
  nesterov: boolean;
  /** The L2 penalty: weightDecay·p is added to the gradient (default 0). */
  weightDecay: number;
}

/**
 * torch.optim.SGD: with g the gradient (+ weightDecay·p), momentum μ and dampening τ,
 * b ← μ·b + (1 − τ)·g (b = g on the first step), then p ← p − lr·b, or p ← p − lr·(g + μ·b) with
 * Nesterov. With momentum 0 it is plain gradient descent p ← p − lr·g.
 *
 * @example
 * const model = new nn.Linear(2, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * loss.mse(model.forward(tensor([[1, 2]])), tensor([[3]])).backward();
 * opt.step(); // the weights moved against the gradient
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor>, opts: Partial<SGDOptions> = {}) {
    const options = withDefaults<SGDOptions>(
      { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      opts,
    );
    nonNegative("SGD", "momentum", options.momentum);
    nonNegative("SGD", "dampening", options.dampening);
    nonNegative("SGD", "weightDecay", options.weightDecay);
    if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) {
      throw new Error("SGD: Nesterov momentum needs a momentum > 0 and zero dampening");
    }
    super("SGD", params, options);
  }

  protected update(slot: ParamState, grad: Tensor): void {
    const { lr, weightDecay, momentum, dampening, nesterov } = this.options;
    // no buffer while momentum is 0 (a schedule may raise it later: the buffer starts then)
    const { buffer, fresh } =
      momentum === 0 ? { buffer: null, fresh: false } : stateBuffer(slot, "momentum_buffer");
    sgdStep(slot.param, grad, buffer, { lr, weightDecay, momentum, dampening, nesterov, first: fresh });
  }

  get type(): string {
    return "SGD";
  }

  override get momentum(): number {
    return this.options.momentum;
  }

  override set momentum(value: number) {
    this.options.momentum = nonNegative("SGD", "momentum", value);
  }
}
