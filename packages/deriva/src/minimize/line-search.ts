/**
 * Backtracking (Armijo) line search: from a trial step t, halve it until f decreases enough,
 * f(x + t·d) ≤ f(x) + c₁·t·∇f·d. A trial where f (or ∇f) is NaN or infinite counts as "too far", so
 * the search backs out of regions outside the domain of f. This is what lr: "auto" means.
 */
import type { Proposal } from "./iterate.js";
import type { Objective, Point } from "./objective.js";
import { allFinite, along, dot } from "./vector.js";

export interface Accepted {
  point: Point;
  t: number;
}

const C1 = 1e-4;
const MAX_HALVINGS = 60;

/** The accepted step, or null when d is not a descent direction or no trial decreased f. */
export function backtrack(objective: Objective, from: Point, d: Float64Array, t0: number): Accepted | null {
  const slope = dot(from.grad, d);
  if (!(slope < 0)) return null;
  let t = t0;
  for (let i = 0; i < MAX_HALVINGS; i++) {
    const point = objective.evaluate(along(from.x, t, d));
    if (Number.isFinite(point.value) && allFinite(point.grad) && point.value <= from.value + C1 * t * slope) {
      return { point, t };
    }
    t /= 2;
  }
  return null;
}

/**
 * The first trial step of the next search: twice the last accepted step, or (for steepest descent)
 * the Barzilai–Borwein step s·s/s·y from the last move, the inverse curvature along it, when positive.
 */
export class TrialStep {
  private last: Point | null = null;
  private t: number;

  constructor(
    initial: number,
    private readonly barzilaiBorwein: boolean,
  ) {
    this.t = initial;
  }

  next(current: Point): number {
    if (this.barzilaiBorwein && this.last !== null) {
      let ss = 0;
      let sy = 0;
      for (let i = 0; i < current.x.length; i++) {
        const s = current.x[i]! - this.last.x[i]!;
        ss += s * s;
        sy += s * (current.grad[i]! - this.last.grad[i]!);
      }
      if (sy > 0 && Number.isFinite(ss / sy)) return ss / sy;
    }
    return this.t;
  }

  accepted(from: Point, t: number): void {
    this.last = from;
    this.t = Math.min(2 * t, 1e10);
  }
}

/** A step along d found by backtracking from the trial step, as the loop expects it. */
export function searchAlong(
  objective: Objective,
  current: Point,
  d: Float64Array,
  trial: TrialStep,
): Proposal {
  const found = backtrack(objective, current, d, trial.next(current));
  if (found === null) return { stuck: true };
  trial.accepted(current, found.t);
  return { x: found.point.x, point: found.point, lr: found.t };
}
