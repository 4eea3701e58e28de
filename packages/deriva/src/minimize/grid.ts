/**
 * Grid search: evaluate f at every point of a regular grid over the bounds and keep the lowest;
 * optionally refine with finer grids around the best point, each spanning one old spacing either
 * side. Each grid is one step of the trace (its lr is the spacing).
 */
import type { Outcome } from "./iterate.js";
import type { Objective, Point } from "./objective.js";
import { describePoint, short } from "./stopping.js";
import type { Recorder } from "./trace.js";

/** The most points one grid may have. */
export const MAX_GRID_POINTS = 10_000_000;

export interface GridSettings {
  bounds: readonly (readonly [number, number])[];
  points: number;
  refine: number;
  tol: number;
}

/** Points per coordinate when none are asked for: about 10⁵ in all, 101 per axis in 1-D and 2-D. */
export function defaultGridPoints(dimensions: number): number {
  return dimensions <= 2 ? 101 : Math.max(3, Math.floor(100_000 ** (1 / dimensions)));
}

/**
 * The point a fraction `index / (points − 1)` of the way from lo to hi. Where hi − lo or its
 * product with the index overflows (bounds near ±1.8e308), the half-width (hi/2 − lo/2, always
 * finite) is added twice instead; elsewhere the plain formula keeps the familiar exact grids.
 */
export function gridCoordinate(lo: number, hi: number, index: number, points: number): number {
  if (points === 1) return midpoint(lo, hi);
  const scaled = (hi - lo) * index;
  if (Number.isFinite(scaled)) return lo + scaled / (points - 1);
  if (index === points - 1) return hi;
  const half = (hi / 2 - lo / 2) * (index / (points - 1));
  return lo + half + half;
}

/** (lo + hi) / 2, also where lo + hi overflows. */
function midpoint(lo: number, hi: number): number {
  const sum = lo + hi;
  return Number.isFinite(sum) ? sum / 2 : lo / 2 + hi / 2;
}

/** The distance between neighbouring grid points, computed without overflow. */
function spacing(lo: number, hi: number, points: number): number {
  const n = Math.max(points - 1, 1);
  const span = hi - lo;
  return Number.isFinite(span) ? span / n : 2 * ((hi / 2 - lo / 2) / n);
}

interface Best {
  x: Float64Array;
  value: number;
}

function scan(
  objective: Objective,
  box: readonly (readonly [number, number])[],
  points: number,
  best: Best | null,
): Best | null {
  const n = box.length;
  const index = new Array<number>(n).fill(0);
  const x = new Float64Array(n);
  const total = points ** n;
  for (let k = 0; k < total; k++) {
    for (let i = 0; i < n; i++) {
      const [lo, hi] = box[i]!;
      x[i] = gridCoordinate(lo, hi, index[i]!, points);
    }
    const value = objective.value(x);
    if (Number.isFinite(value) && (best === null || value < best.value)) best = { x: x.slice(), value };
    for (let i = n - 1; i >= 0 && ++index[i]! === points; i--) index[i] = 0; // odometer
  }
  return best;
}

const spacingOf = (box: readonly (readonly [number, number])[], points: number) =>
  Math.max(...box.map(([lo, hi]) => spacing(lo, hi, points)));

export function gridSearch(objective: Objective, settings: GridSettings, recorder: Recorder): Outcome {
  const { bounds, points, refine, tol } = settings;
  const total = points ** bounds.length;
  if (total > MAX_GRID_POINTS) {
    throw new Error(
      `minimize: a grid of ${points}^${bounds.length} = ${total.toExponential(1)} points is too large (at most ${MAX_GRID_POINTS}); lower gridPoints or use another method`,
    );
  }
  let box = bounds;
  let best: Best | null = null;
  let point: Point | null = null;
  let rounds = 0;
  let spacing = spacingOf(box, points);
  for (; rounds <= refine; rounds++) {
    if (rounds > 0 && spacing < tol) break;
    best = scan(objective, box, points, best);
    if (best === null) break;
    point = objective.evaluate(best.x);
    recorder.record(rounds + 1, point, spacing);
    const step = spacing;
    box = bounds.map(
      ([lo, hi], i) => [Math.max(lo, best!.x[i]! - step), Math.min(hi, best!.x[i]! + step)] as const,
    );
    spacing = spacingOf(box, points);
  }
  if (best === null || point === null) {
    return {
      point: objective.evaluate(new Float64Array(bounds.map(([lo, hi]) => midpoint(lo, hi)))),
      iterations: rounds,
      converged: false,
      reason: "f is not finite anywhere on the grid: check the bounds against the domain of f",
    };
  }
  const onEdge = bounds.some(([lo, hi], i) => best!.x[i] === lo || best!.x[i] === hi);
  const finalSpacing = recorder.steps[recorder.steps.length - 1]!.lr;
  return {
    point,
    iterations: rounds,
    converged: !onEdge,
    reason: onEdge
      ? `the best grid point ${describePoint(best.x)} lies on the edge of the bounds: the minimum may be outside them; widen the bounds`
      : `the best of ${points ** bounds.length} grid points${rounds > 1 ? ` after ${rounds - 1} refinement(s)` : ""} (spacing ${short(finalSpacing)})`,
  };
}
