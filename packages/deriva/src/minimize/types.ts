/** The public types of minimize(). */
import type { Tensor } from "../tensor/tensor.js";

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
  iter: number;
  /** The iterate after this step, flattened row-major. */
  x: number[];
  value: number;
  grad: number[];
  /** The learning rate or line-search step length used (grid: the spacing). */
  lr: number;
}

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
  /** adam: decay rates of the first and second moment estimates (defaults 0.9, 0.999) and ε (1e-8). */
  beta1?: number;
  beta2?: number;
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
  x: number;
  value: number;
  /** f″ there. */
  curvature: number;
  kind: "minimum" | "maximum" | "inflection";
}

export interface MinimizeResult {
  /** The best point reached (float64, shaped like x0). */
  x: Tensor;
  value: number;
  iterations: number;
  converged: boolean;
  /** What happened, in words, with advice when it did not converge. */
  reason: string;
  /**
   * The steps taken, in order (the start x0 is not a step): all of them, or for a run of more than
   * 1000 iterations without fullTrace, the first 100, the last 100 and every k-th between.
   */
  trace: Step[];
  method: MinimizeMethod;
  /** How many times f (with or without its gradient) was evaluated. */
  evaluations: number;
  /** analytic: every stationary point, classified. */
  stationaryPoints?: StationaryPoint[];
}
