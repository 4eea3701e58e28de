/**
 * The first-order methods (gd, momentum, adam) as one rule: the gradient at the current point is
 * turned into an update direction u by the optimizers' update kernels (the very loops that
 * optim.SGD(momentum) and optim.Adam run on the CPU backends, here on the iterate as the single
 * parameter), and the step is x ← x − lr·u with a fixed rate, or a backtracking line search along
 * −u wrapped around it (lr: "auto"). Plain gradient descent has no kernel: u = ∇f, the founding
 * document's x_new = x_old − ν·dy/dx.
 *
 * The kernels update a parameter in place, p ← p − lr·u; run on p = 0 with lr = −1 (and no weight
 * decay) they leave exactly u in p, which is how u is obtained here. The iterate is a plain
 * Float64Array in JavaScript, so the CPU loops are called directly.
 */
import { adamUpdate, sgdUpdate } from "../backend/js/update.js";
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, dot, scaled } from "./vector.js";

/** The method's memory across steps: its step count and its state buffers (PyTorch's names). */
interface IterateSlot {
  step: number;
  readonly state: Map<string, Float64Array>;
}

/** A first-order method: how it turns a gradient into u (none for plain gd) and what the line search does with it. */
export interface DescentMethod {
  /** u from the gradient, on the slot's step (already counted), updating its state; null: u = ∇f. */
  readonly direction: ((grad: Float64Array, slot: IterateSlot) => Float64Array) | null;
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
export const GRADIENT_DESCENT: DescentMethod = {
  direction: null,
  barzilaiBorwein: true,
};

/** A state buffer of the slot, zero-filled on first use; `fresh` tells whether it was just made. */
function buffer(slot: IterateSlot, name: string, size: number): { values: Float64Array; fresh: boolean } {
  const found = slot.state.get(name);
  if (found) return { values: found, fresh: false };
  const values = new Float64Array(size);
  slot.state.set(name, values);
  return { values, fresh: true };
}

/**
 * Momentum as PyTorch's SGD has it: a velocity v ← β·v + ∇f, then u = v (heavy ball) or
 * u = ∇f + β·v (Nesterov's look-ahead, written at the current point). Under a line search the
 * velocity restarts from ∇f whenever −u stops pointing downhill.
 */
export function momentumMethod(beta: number, nesterov: boolean): DescentMethod {
  return {
    direction(grad, slot) {
      if (beta === 0) return grad.slice();
      const u = new Float64Array(grad.length);
      const { values, fresh } = buffer(slot, "momentum_buffer", grad.length);
      sgdUpdate(u, grad, values, {
        lr: -1,
        weightDecay: 0,
        momentum: beta,
        dampening: 0,
        nesterov,
        first: fresh,
      });
      return u;
    },
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
export function adamMethod(beta1: number, beta2: number, eps: number): DescentMethod {
  return {
    direction(grad, slot) {
      const u = new Float64Array(grad.length);
      const m = buffer(slot, "exp_avg", grad.length).values;
      const v = buffer(slot, "exp_avg_sq", grad.length).values;
      adamUpdate(u, grad, m, v, {
        lr: -1,
        beta1,
        beta2,
        eps,
        weightDecay: 0,
        decoupled: false,
        step: slot.step,
      });
      return u;
    },
    barzilaiBorwein: false,
    uphill(slot, grad) {
      const v = slot.state.get("exp_avg_sq")!;
      const invSqrtCorrection = 1 / Math.sqrt(1 - beta2 ** slot.step);
      return grad.map((g, i) => g / (Math.sqrt(v[i]!) * invSqrtCorrection + eps));
    },
  };
}

/** The step rule of a first-order method with a fixed rate or (lr "auto") a line search. */
export function descent(objective: Objective, lr: number | "auto", method: DescentMethod): StepRule {
  const slot: IterateSlot = { step: 0, state: new Map() };
  /** u from the gradient at x, through the method's kernel (which updates its state). */
  const direction = (grad: Float64Array): Float64Array => {
    slot.step++;
    return method.direction ? method.direction(grad, slot) : grad.slice();
  };
  if (lr === "auto") {
    const trial = new TrialStep(1, method.barzilaiBorwein);
    return {
      rate: { fixed: false },
      next(current) {
        let d = scaled(direction(current.grad), -1);
        if (dot(d, current.grad) >= 0 && method.uphill) {
          d = scaled(
            method.uphill(slot, current.grad, () => direction(current.grad)),
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
    next: (current) => ({ x: along(current.x, -lr, direction(current.grad)), lr }),
  };
}
