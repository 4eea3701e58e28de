/**
 * The first-order methods (gd, momentum, adam) as one rule: the gradient at the current point is
 * turned into an update direction u by optim's gradient transforms (the very code that
 * optim.SGD(momentum) and optim.Adam run, with the iterate as the single parameter), and the step is
 * x ← x − lr·u with a fixed rate, or a backtracking line search along −u wrapped around it
 * (lr: "auto"). Plain gradient descent is the empty chain: u = ∇f, the founding document's
 * x_new = x_old − ν·dy/dx.
 */
import { type AdamScalingOptions, scaleByAdam } from "../optim/adaptive-scaling.js";
import type { Transform } from "../optim/gradient-transform.js";
import { type MomentumTraceOptions, trace } from "../optim/momentum-trace.js";
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, dot, scaled } from "./vector.js";

/** The iterate as the transforms see it: one parameter, its step count and its state buffers. */
interface IterateSlot {
  values: Float64Array;
  step: number;
  readonly state: Map<string, Float64Array>;
}

/** A first-order method: its transform (none for plain gd) and what the line search does with it. */
export interface DescentMethod<O> {
  readonly transform: Transform<O> | null;
  readonly options: O;
  /**
   * lr "auto": a downhill direction to search along instead, where −u points uphill (momentum
   * carried past the minimum, say), given the slot after the transform ran and the gradient.
   * Without one the search reports that it is stuck.
   */
  readonly uphill?: (slot: IterateSlot, grad: Float64Array, direction: () => Float64Array) => Float64Array;
  /** lr "auto": start each search from the Barzilai–Borwein step of the last move (else from twice the last step). */
  readonly barzilaiBorwein: boolean;
}

/** Plain gradient descent: u = ∇f. */
export const GRADIENT_DESCENT: DescentMethod<null> = {
  transform: null,
  options: null,
  barzilaiBorwein: true,
};

/**
 * Momentum as PyTorch's SGD has it: a velocity v ← β·v + ∇f, then u = v (heavy ball) or
 * u = ∇f + β·v (Nesterov's look-ahead, written at the current point). Under a line search the
 * velocity restarts from ∇f whenever −u stops pointing downhill.
 */
export function momentumMethod(beta: number, nesterov: boolean): DescentMethod<MomentumTraceOptions> {
  return {
    transform: trace,
    options: { momentum: beta, nesterov },
    barzilaiBorwein: false,
    uphill(slot, _grad, direction) {
      slot.state.delete("momentum_buffer");
      return direction();
    },
  };
}

/**
 * Adam: moving averages of the gradient (m) and of its square (v), bias-corrected, give
 * u = m̂/(√v̂ + ε) per coordinate. Under a line search, where −u points uphill, ∇f scaled by the
 * same 1/(√v̂ + ε) is used instead.
 */
export function adamMethod(beta1: number, beta2: number, eps: number): DescentMethod<AdamScalingOptions> {
  return {
    transform: scaleByAdam,
    options: { betas: [beta1, beta2], eps },
    barzilaiBorwein: false,
    uphill(slot, grad) {
      const v = slot.state.get("exp_avg_sq")!;
      const invSqrtCorrection = 1 / Math.sqrt(1 - beta2 ** slot.step);
      return grad.map((g, i) => g / (Math.sqrt(v[i]!) * invSqrtCorrection + eps));
    },
  };
}

/** The step rule of a first-order method with a fixed rate or (lr "auto") a line search. */
export function descent<O>(objective: Objective, lr: number | "auto", method: DescentMethod<O>): StepRule {
  const slot: IterateSlot = { values: new Float64Array(objective.size), step: 0, state: new Map() };
  /** u from the gradient at x, through the transform (which updates its state). */
  const direction = (x: Float64Array, grad: Float64Array): Float64Array => {
    slot.values = x;
    slot.step++;
    const u = grad.slice();
    method.transform?.update(u, slot, method.options);
    return u;
  };
  if (lr === "auto") {
    const trial = new TrialStep(1, method.barzilaiBorwein);
    return {
      rate: { fixed: false },
      next(current) {
        let d = scaled(direction(current.x, current.grad), -1);
        if (dot(d, current.grad) >= 0 && method.uphill) {
          d = scaled(
            method.uphill(slot, current.grad, () => direction(current.x, current.grad)),
            -1,
          );
        }
        return searchAlong(objective, current, d, trial);
      },
    };
  }
  return {
    rate: { fixed: true, lr, name: "learning rate" },
    // x + (−lr)·u: the same bits as x − lr·u
    next: (current) => ({ x: along(current.x, -lr, direction(current.x, current.grad)), lr }),
  };
}
