/**
 * Gradient descent with momentum, in the form PyTorch's SGD uses: a velocity v ← β·v + ∇f, then
 * x ← x − ν·v (heavy ball) or x ← x − ν·(∇f + β·v) (Nesterov's look-ahead, written at the current
 * point). With lr: "auto" the step along that direction is found by backtracking, and the velocity
 * restarts from ∇f whenever it stops pointing downhill.
 */
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, dot, scaled } from "./vector.js";

export interface MomentumSettings {
  beta: number;
  nesterov: boolean;
}

export function momentum(objective: Objective, lr: number | "auto", settings: MomentumSettings): StepRule {
  const { beta, nesterov } = settings;
  let velocity: Float64Array | null = null;
  /** The update direction (to subtract), after folding ∇f into the velocity. */
  const direction = (g: Float64Array): Float64Array => {
    velocity = velocity === null ? g.slice() : velocity.map((v, i) => beta * v + g[i]!);
    const v = velocity;
    return nesterov ? g.map((gi, i) => gi + beta * v[i]!) : v.slice();
  };
  if (lr === "auto") {
    const trial = new TrialStep(1, false);
    return {
      rate: { fixed: false },
      next(current) {
        let d = scaled(direction(current.grad), -1);
        if (dot(d, current.grad) >= 0) {
          velocity = null; // restart: the velocity points uphill
          d = scaled(direction(current.grad), -1);
        }
        return searchAlong(objective, current, d, trial);
      },
    };
  }
  return {
    rate: { fixed: true, lr, name: "learning rate" },
    next: (current) => ({ x: along(current.x, -lr, direction(current.grad)), lr }),
  };
}
