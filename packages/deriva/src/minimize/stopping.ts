/**
 * When a run stops and what it says: convergence (step and gradient under tol), divergence (f not
 * finite, or the iterates growing), running off to infinity on a function unbounded below, and
 * max-iter, each with advice on what to try.
 */
import type { Point } from "./objective.js";
import { maxAbs } from "./vector.js";

/** A number in a message: 4 significant digits, powers of ten for the very small and large (1e-6). */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const rounded = Number(v.toPrecision(4));
  return rounded !== 0 && (Math.abs(rounded) < 1e-4 || Math.abs(rounded) >= 1e6)
    ? rounded.toExponential()
    : String(rounded);
}

/** "x = 2.5" or "x = (1, 2)". */
export function describePoint(x: Float64Array): string {
  const parts = Array.from(x, short);
  return parts.length === 1 ? `x = ${parts[0]}` : `x = (${parts.join(", ")})`;
}

/** How the step size was chosen, for the advice. */
export type RateKind = { fixed: true; lr: number; name: string } | { fixed: false };

const TRY_SMALLER = "try a smaller rate or lr: 'auto'";

export function convergedReason(step: number, gradNorm: number, tol: number): string {
  return `|Δx| = ${short(step)} and |∇f| = ${short(gradNorm)} are below tol = ${short(tol)}`;
}

/** f or ∇f was not finite at the point a step reached. */
export function nonFiniteReason(rate: RateKind, iter: number, next: Point): string {
  const what = Number.isNaN(next.value)
    ? `the step left the domain of f (f = NaN at ${describePoint(next.x)})`
    : !Number.isFinite(next.value)
      ? `the iterates overflow (f = ${next.value} at ${describePoint(next.x)})`
      : `the gradient is not finite at ${describePoint(next.x)}`;
  if (rate.fixed)
    return `${rate.name} ${rate.lr} is too large for this function: ${what} at iteration ${iter}; ${TRY_SMALLER}`;
  return `${what} at iteration ${iter}`;
}

export function growingReason(rate: RateKind): string {
  if (rate.fixed)
    return `${rate.name} ${rate.lr} is too large for this function: the iterates grow; ${TRY_SMALLER}`;
  return "the iterates grow without bound";
}

export function unboundedReason(point: Point): string {
  return `f seems unbounded below: the iterates run off to ${describePoint(point.x)} while f keeps decreasing (f = ${short(point.value)})`;
}

export function maxIterReason(
  maxIter: number,
  gradNorm: number,
  step: number,
  tol: number,
  rate: RateKind,
  oscillating: boolean,
): string {
  const where = `reached max-iter (${maxIter}) before converging: |∇f| = ${short(gradNorm)}, last |Δx| = ${short(step)} (tol ${short(tol)})`;
  if (!rate.fixed) return `${where}; try a larger maxIter or another method`;
  if (oscillating) return `${where}; the iterates oscillate: ${TRY_SMALLER}`;
  return `${where}; the ${rate.name} ${rate.lr} may be too small: try a larger rate, lr: 'auto', or a larger maxIter`;
}

export function stuckReason(point: Point, gradNorm: number): string {
  return `the line search found no decrease from ${describePoint(point.x)} (|∇f| = ${short(gradNorm)}): f may not be smooth there, or tol is below what float64 resolves`;
}

/** Consecutive increases of f (with growing steps) that count as divergence. */
const GROWING_STEPS = 10;
/** |x| beyond this (relative to the start) counts as running off to infinity. */
const RUNAWAY = 1e10;

/** Watches the iterates for divergence: f rising step after step with growing steps, or |x| exploding. */
export class DivergenceWatch {
  private rising = 0;
  private increases = 0;
  private lastValue: number;
  private lastStep = 0;
  private readonly start: number;
  private readonly startValue: number;

  constructor(start: Point) {
    this.lastValue = start.value;
    this.startValue = start.value;
    this.start = maxAbs(start.x);
  }

  /** Whether f went up at some step (the iterates oscillate or overshoot). */
  get oscillating(): boolean {
    return this.increases > 0;
  }

  /** "grow", "unbounded" or null after a step of length `step` reaching `point`. */
  observe(point: Point, step: number): "grow" | "unbounded" | null {
    const up = point.value > this.lastValue;
    if (up) this.increases++;
    this.rising = up && step >= this.lastStep ? this.rising + 1 : 0;
    this.lastValue = point.value;
    this.lastStep = step;
    if (this.rising >= GROWING_STEPS) return "grow";
    if (maxAbs(point.x) > RUNAWAY * (1 + this.start))
      return point.value < this.startValue ? "unbounded" : "grow";
    return null;
  }
}
