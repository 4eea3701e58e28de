/**
 * Adam: moving averages of the gradient (m) and of its square (v), bias-corrected, give a step
 * −ν·m̂/(√v̂ + ε) per coordinate. With lr: "auto" the length along that direction is found by
 * backtracking; where the averaged direction points uphill, −∇f/(√v̂ + ε) is used instead.
 */
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, dot } from "./vector.js";

export interface AdamSettings {
  beta1: number;
  beta2: number;
  eps: number;
}

export function adam(objective: Objective, lr: number | "auto", settings: AdamSettings): StepRule {
  const { beta1, beta2, eps } = settings;
  const m = new Float64Array(objective.size);
  const v = new Float64Array(objective.size);
  let t = 0;
  /** The Adam direction −m̂/(√v̂ + ε), and the scale 1/(√v̂ + ε) it applies per coordinate. */
  const direction = (g: Float64Array): { d: Float64Array; scale: Float64Array } => {
    t++;
    const scale = new Float64Array(g.length);
    const d = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      m[i] = beta1 * m[i]! + (1 - beta1) * g[i]!;
      v[i] = beta2 * v[i]! + (1 - beta2) * g[i]! * g[i]!;
      scale[i] = 1 / (Math.sqrt(v[i]! / (1 - beta2 ** t)) + eps);
      d[i] = (-m[i]! / (1 - beta1 ** t)) * scale[i]!;
    }
    return { d, scale };
  };
  if (lr === "auto") {
    const trial = new TrialStep(1, false);
    return {
      rate: { fixed: false },
      next(current) {
        const { d, scale } = direction(current.grad);
        const downhill = dot(d, current.grad) < 0 ? d : current.grad.map((g, i) => -g * scale[i]!);
        return searchAlong(objective, current, downhill, trial);
      },
    };
  }
  return {
    rate: { fixed: true, lr, name: "learning rate" },
    next: (current) => ({ x: along(current.x, lr, direction(current.grad).d), lr }),
  };
}
