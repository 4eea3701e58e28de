/**
 * L-BFGS: a quasi-Newton method that shapes the step with the last few (s, y) pairs (moves and
 * gradient changes), via the two-loop recursion, and finds its length by a strong Wolfe line search.
 */
import type { StepRule } from "./iterate.js";
import type { Objective } from "./objective.js";
import { dot, maxAbs, minus, norm, scaled } from "./vector.js";
import { strongWolfe } from "./wolfe.js";

interface Pair {
  s: Float64Array;
  y: Float64Array;
  rho: number;
}

/** −H·g, with H the L-BFGS estimate of the inverse Hessian (the scaled identity when memory is empty). */
function twoLoop(memory: readonly Pair[], g: Float64Array): Float64Array {
  const q = g.slice();
  const alphas = new Array<number>(memory.length);
  for (let i = memory.length - 1; i >= 0; i--) {
    const { s, y, rho } = memory[i]!;
    const alpha = rho * dot(s, q);
    alphas[i] = alpha;
    for (let k = 0; k < q.length; k++) q[k]! -= alpha * y[k]!;
  }
  const last = memory[memory.length - 1];
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  const r = scaled(q, gamma);
  for (let i = 0; i < memory.length; i++) {
    const { s, y, rho } = memory[i]!;
    const beta = rho * dot(y, r);
    for (let k = 0; k < r.length; k++) r[k]! += s[k]! * (alphas[i]! - beta);
  }
  return scaled(r, -1);
}

export function lbfgs(objective: Objective, lr: number | "auto", history: number): StepRule {
  let memory: Pair[] = [];
  /** The first trial step with no curvature known yet: lr if given, else a step of length ≤ 1. */
  const firstTrial = (g: Float64Array) => (lr === "auto" ? Math.min(1, 1 / maxAbs(g)) : lr);
  return {
    rate: { fixed: false },
    next(current) {
      let d = twoLoop(memory, current.grad);
      let found =
        dot(d, current.grad) < 0
          ? strongWolfe(objective, current, d, memory.length ? 1 : firstTrial(current.grad))
          : null;
      if (found === null && memory.length > 0) {
        memory = []; // the curvature estimate misled the search: start over from steepest descent
        d = scaled(current.grad, -1);
        found = strongWolfe(objective, current, d, firstTrial(current.grad));
      }
      if (found === null) return { stuck: true };
      const s = minus(found.point.x, current.x);
      const y = minus(found.point.grad, current.grad);
      const sy = dot(s, y);
      if (sy > 1e-10 * norm(s) * norm(y)) {
        memory.push({ s, y, rho: 1 / sy });
        if (memory.length > history) memory.shift();
      }
      return { x: found.point.x, point: found.point, lr: found.t };
    },
  };
}
