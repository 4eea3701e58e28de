/**
 * Newton–Raphson: solve ∇²f·p = −∇f with the Hessian from autodiff (Cholesky), and step along p,
 * damped by backtracking from the full step (lr: "auto") or scaled by a fixed lr. Where the Hessian
 * is not positive definite, p would not lead downhill, so the step falls back to −∇f.
 */
import type { StepRule } from "./iterate.js";
import { searchAlong, TrialStep } from "./line-search.js";
import type { Objective } from "./objective.js";
import { along, scaled } from "./vector.js";

/** The solution of H·p = −g (H symmetric, n × n row-major), or null if H is not positive definite. */
export function newtonDirection(h: Float64Array, g: Float64Array): Float64Array | null {
  const n = g.length;
  const l = new Float64Array(n * n);
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(h[i * n + i]!));
  for (let j = 0; j < n; j++) {
    let pivot = h[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! ** 2;
    // a pivot that is not clearly positive means H is not (numerically) positive definite
    if (!(pivot > 1e-12 * largest)) return null;
    const root = Math.sqrt(pivot);
    l[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = (h[i * n + j]! + h[j * n + i]!) / 2;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / root;
    }
  }
  // L·y = −g, then Lᵀ·p = y
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const p = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * p[k]!;
    p[i] = s / l[i * n + i]!;
  }
  return p;
}

export function newton(objective: Objective, lr: number | "auto"): StepRule {
  const direction = (x: Float64Array, g: Float64Array) =>
    newtonDirection(objective.hessian(x), g) ?? { fallback: scaled(g, -1) };
  if (lr === "auto") {
    const gradientTrial = new TrialStep(1, true);
    return {
      rate: { fixed: false },
      next(current) {
        const d = direction(current.x, current.grad);
        // a Newton step is tried whole first (t = 1), then damped
        if (d instanceof Float64Array) return searchAlong(objective, current, d, new TrialStep(1, false));
        return searchAlong(objective, current, d.fallback, gradientTrial);
      },
    };
  }
  return {
    rate: { fixed: true, lr, name: "step fraction" },
    next(current) {
      const d = direction(current.x, current.grad);
      return { x: along(current.x, lr, d instanceof Float64Array ? d : d.fallback), lr };
    },
  };
}
