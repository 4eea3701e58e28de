/**
 * The loop every iterative method shares: ask the method for its next step, stop when converged
 * (|Δx| and |∇f| under tol), when f stops being finite, when the iterates diverge, or at max-iter;
 * record each step. A method only says where to go next (see StepRule).
 */
import type { Objective, Point } from "./objective.js";
import {
  convergedReason,
  DivergenceWatch,
  growingReason,
  maxIterReason,
  nonFiniteReason,
  type RateKind,
  stuckReason,
  unboundedReason,
} from "./stopping.js";
import type { Recorder } from "./trace.js";
import { allFinite, minus, norm } from "./vector.js";

/** Where a method wants to go: a point already evaluated by a line search, or just x (a fixed-rate step). */
export type Proposal = { x: Float64Array; point?: Point; lr: number } | { stuck: true };

export interface StepRule {
  /** How the step size is chosen (for the advice in messages). */
  readonly rate: RateKind;
  next(current: Point, iter: number): Proposal;
}

export interface IterateSettings {
  maxIter: number;
  tol: number;
}

export interface Outcome {
  point: Point;
  iterations: number;
  converged: boolean;
  reason: string;
}

export function iterate(
  objective: Objective,
  x0: Float64Array,
  rule: StepRule,
  settings: IterateSettings,
  recorder: Recorder,
): Outcome {
  const { maxIter, tol } = settings;
  let current = objective.evaluate(x0);
  if (!Number.isFinite(current.value) || !allFinite(current.grad)) {
    return {
      point: current,
      iterations: 0,
      converged: false,
      reason: `f(x0) = ${current.value} and ∇f is ${allFinite(current.grad) ? "finite" : "not finite"} at the start: start inside the domain of f`,
    };
  }
  const watch = new DivergenceWatch(current);
  let lastStep = Number.POSITIVE_INFINITY;
  for (let iter = 1; iter <= maxIter; iter++) {
    const gradNorm = norm(current.grad);
    const proposal = rule.next(current, iter);
    if ("stuck" in proposal) {
      if (gradNorm < tol)
        return {
          point: current,
          iterations: iter - 1,
          converged: true,
          reason: convergedReason(0, gradNorm, tol),
        };
      return {
        point: current,
        iterations: iter - 1,
        converged: false,
        reason: stuckReason(current, gradNorm),
      };
    }
    const step = norm(minus(proposal.x, current.x));
    if (step < tol && gradNorm < tol) {
      return {
        point: current,
        iterations: iter - 1,
        converged: true,
        reason: convergedReason(step, gradNorm, tol),
      };
    }
    const next = proposal.point ?? objective.evaluate(proposal.x);
    if (!Number.isFinite(next.value) || !allFinite(next.grad)) {
      return {
        point: current,
        iterations: iter - 1,
        converged: false,
        reason: nonFiniteReason(rule.rate, iter, next),
      };
    }
    recorder.record(iter, next, proposal.lr);
    const verdict = watch.observe(next, step);
    if (verdict !== null) {
      const reason = verdict === "grow" ? growingReason(rule.rate) : unboundedReason(next);
      return { point: next, iterations: iter, converged: false, reason };
    }
    current = next;
    lastStep = step;
  }
  return {
    point: current,
    iterations: maxIter,
    converged: false,
    reason: maxIterReason(maxIter, norm(current.grad), lastStep, tol, rule.rate, watch.oscillating),
  };
}
