/**
 * Plain gradient descent, the founding document's rule: x_new = x_old − ν·∇f(x_old), with a fixed
 * learning rate ν, or with ν chosen at each step by a backtracking line search (lr: "auto").
 */
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, scaled } from "./vector.js";

export function gradientDescent(objective: Objective, lr: number | "auto"): StepRule {
  if (lr === "auto") {
    const trial = new TrialStep(1, true);
    return {
      rate: { fixed: false },
      next: (current) => searchAlong(objective, current, scaled(current.grad, -1), trial),
    };
  }
  return {
    rate: { fixed: true, lr, name: "learning rate" },
    next: (current) => ({ x: along(current.x, -lr, current.grad), lr }),
  };
}
