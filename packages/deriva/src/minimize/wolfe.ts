/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, algorithms 3.5 and 3.6):
 * sufficient decrease f(x + t·d) ≤ f(x) + c₁·t·∇f·d and small slope |∇f(x + t·d)·d| ≤ c₂·|∇f·d|,
 * bracketing by extrapolation, then zooming with safeguarded cubic interpolation. Trials where f is
 * not finite count as "too far" and shrink the interval, so the search backs out of NaN regions.
 */
import type { Accepted } from "./line-search.js";
import type { Objective, Point } from "./objective.js";
import { allFinite, along, dot } from "./vector.js";

const C1 = 1e-4;
const C2 = 0.9;
const MAX_EVALUATIONS = 40;

interface Sample {
  t: number;
  f: number;
  /** The slope ∇f·d at x + t·d. */
  g: number;
  point: Point;
  finite: boolean;
}

/** The minimizer of the cubic through (a, fa, ga) and (b, fb, gb), or the midpoint if there is none. */
function cubicMinimizer(a: Sample, b: Sample): number {
  const mid = (a.t + b.t) / 2;
  if (!a.finite || !b.finite) return mid;
  const d1 = a.g + b.g - (3 * (a.f - b.f)) / (a.t - b.t);
  const disc = d1 * d1 - a.g * b.g;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
  const t = b.t - ((b.t - a.t) * (b.g + d2 - d1)) / (b.g - a.g + 2 * d2);
  const lo = Math.min(a.t, b.t);
  const width = Math.abs(b.t - a.t);
  // keep clear of the ends so the interval keeps shrinking
  return Number.isFinite(t) ? Math.min(Math.max(t, lo + 0.1 * width), lo + 0.9 * width) : mid;
}

/** The accepted step, or null when d is not a descent direction or no acceptable step was found. */
export function strongWolfe(objective: Objective, from: Point, d: Float64Array, t1: number): Accepted | null {
  const f0 = from.value;
  const g0 = dot(from.grad, d);
  if (!(g0 < 0)) return null;
  let evaluations = 0;
  const sample = (t: number): Sample => {
    evaluations++;
    const point = objective.evaluate(along(from.x, t, d));
    const finite = Number.isFinite(point.value) && allFinite(point.grad);
    return { t, f: point.value, g: finite ? dot(point.grad, d) : Number.NaN, point, finite };
  };
  const decreases = (s: Sample) => s.finite && s.f <= f0 + C1 * s.t * g0;
  const flat = (s: Sample) => Math.abs(s.g) <= -C2 * g0;
  const accept = (s: Sample): Accepted | null => (s.t > 0 ? { point: s.point, t: s.t } : null);

  const zoom = (lo: Sample, hi: Sample): Accepted | null => {
    while (evaluations < MAX_EVALUATIONS && Math.abs(hi.t - lo.t) > 1e-16 * Math.max(1, lo.t)) {
      const s = sample(cubicMinimizer(lo, hi));
      if (!decreases(s) || s.f >= lo.f) {
        hi = s;
      } else {
        if (flat(s)) return accept(s);
        if (s.g * (hi.t - lo.t) >= 0) hi = lo;
        lo = s;
      }
    }
    return accept(lo); // lo always satisfies sufficient decrease
  };

  let previous: Sample = { t: 0, f: f0, g: g0, point: from, finite: true };
  let t = t1;
  let tooFar = Number.POSITIVE_INFINITY;
  for (let i = 0; evaluations < MAX_EVALUATIONS; i++) {
    const s = sample(t);
    if (!s.finite) {
      tooFar = t;
      t = (previous.t + t) / 2;
      continue;
    }
    if (!decreases(s) || (i > 0 && s.f >= previous.f)) return zoom(previous, s);
    if (flat(s)) return accept(s);
    if (s.g >= 0) return zoom(s, previous);
    previous = s;
    t = Number.isFinite(tooFar) ? (t + tooFar) / 2 : 2 * t;
  }
  return accept(previous);
}
