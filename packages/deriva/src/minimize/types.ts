/** The public types of minimize(). */
import type { Tensor } from "../tensor/tensor.js";

/**
 * How minimize() searches: "gd" (gradient descent, the default), "momentum", "newton" (uses the
 * Hessian), "grid" (within bounds), "lbfgs", "adam", or "analytic" (solves f′ = 0 for a polynomial
 * expression string in one variable).
 */
export type MinimizeMethod = "gd" | "momentum" | "newton" | "grid" | "lbfgs" | "adam" | "analytic";

/** Every method minimize() knows, in the order its error messages list them. */
export const MINIMIZE_METHODS: readonly MinimizeMethod[] = [
  "gd",
  "momentum",
  "newton",
  "grid",
  "lbfgs",
  "adam",
  "analytic",
];

/** One step of a run: the point reached, f and ∇f there, and the rate (step length) used to get there. */
export interface Step {
  /** The step's number, from 1. */
  iter: number;
  /** The iterate after this step, flattened row-major. */
  x: number[];
  /** f at x. */
  value: number;
  /** ∇f at x, flattened like x. */
  grad: number[];
  /** The learning rate or line-search step length used (grid: the spacing). */
  lr: number;
}

/** Options of minimize(); the ones marked with a method's name apply to that method only. */
export interface MinimizeOptions {
  /** Default "gd". "analytic" needs an expression string (a polynomial in one variable). */
  method?: MinimizeMethod;
  /**
   * A fixed learning rate, or "auto" (the default): a backtracking (Armijo) line search at each step,
   * which also backs off out of regions where f is NaN. For newton a number is a fixed fraction of
   * the Newton step; lbfgs always searches (a number only sets its first trial step); grid ignores it.
   */
  lr?: number | "auto";
  /** Most steps to take (default 1000). */
  maxIter?: number;
  /** Converged when both |Δx| (the step) and |∇f| (Euclidean norms) fall under tol (default 1e-6). */
  tol?: number;
  /** grid: [low, high] for each coordinate (one pair is used for all). */
  bounds?: [number, number][];
  /** grid: points per coordinate (default 101 in 1-D, 201 in 2-D, fewer beyond). */
  gridPoints?: number;
  /** grid: rounds of refinement, each a finer grid around the best point so far (default 0). */
  refine?: number;
  /** momentum: the momentum coefficient β (default 0.9). */
  momentum?: number;
  /** momentum: use Nesterov's look-ahead form (default false: heavy ball). */
  nesterov?: boolean;
  /** adam: decay rate of the first moment estimate, the running mean of ∇f (default 0.9). */
  beta1?: number;
  /** adam: decay rate of the second moment estimate, the running mean of ∇f² (default 0.999). */
  beta2?: number;
  /** adam: added to the square root of the second moment before dividing by it (default 1e-8). */
  eps?: number;
  /** lbfgs: how many past steps shape the inverse-Hessian estimate (default 10). */
  history?: number;
  /** Called after every step (for live display), whether or not the trace keeps it. */
  onStep?: (step: Step) => void;
  /**
   * Keep every step in the result's trace (default false: a bounded trace, which keeps every step
   * of a run of up to 1000 iterations, and of a longer run its first 100 and last 100 steps and
   * every k-th between, k the smallest power of two that leaves at most 800; each Step has its iter).
   * The whole trace of a long run is large: about 360 bytes a step in 1-D.
   */
  fullTrace?: boolean;
}

/** A stationary point found by the analytic method. */
export interface StationaryPoint {
  /** Where f′ = 0. */
  x: number;
  /** f there. */
  value: number;
  /** f″ there. */
  curvature: number;
  /** What the point is, by the sign of f″ there (and by higher derivatives where f″ = 0). */
  kind: "minimum" | "maximum" | "inflection";
}

/** What minimize() returns: the point reached, how it got there and why it stopped. */
export interface MinimizeResult {
  /** The best point reached (float64, shaped like x0). */
  x: Tensor;
  /** f at x. */
  value: number;
  /** The number of steps taken. */
  iterations: number;
  /** Whether the method's stopping test passed (gradient methods: |Δx| and |∇f| under tol) within maxIter; see reason either way. */
  converged: boolean;
  /** What happened, in words, with advice when it did not converge. */
  reason: string;
  /**
   * The steps taken, in order (the start x0 is not a step): all of them, or for a run of more than
   * 1000 iterations without fullTrace, the first 100, the last 100 and every k-th between.
   */
  trace: Step[];
  /** The method that ran. */
  method: MinimizeMethod;
  /** How many times f (with or without its gradient) was evaluated. */
  evaluations: number;
  /** analytic: every stationary point, classified. */
  stationaryPoints?: StationaryPoint[];
}
