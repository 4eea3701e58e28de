/**
 * minimize(f, x0, opts): the entry point. It turns f (a function of a tensor, or an expression) and
 * x0 into an Objective over a float64 vector, runs the chosen method, and packs the result.
 */
import { type Expression, parseExpression } from "../expr/expression.js";
import { tensor } from "../tensor/creation.js";
import { Tensor } from "../tensor/tensor.js";
import { analyticMinimum } from "./analytic.js";
import { adamMethod, descent, GRADIENT_DESCENT, momentumMethod } from "./descent.js";
import { defaultGridPoints, gridSearch } from "./grid.js";
import { iterate, type Outcome, type StepRule } from "./iterate.js";
import { lbfgs } from "./lbfgs.js";
import { newton } from "./newton.js";
import { Objective, type ScalarFunction } from "./objective.js";
import { Recorder } from "./trace.js";
import { MINIMIZE_METHODS, type MinimizeMethod, type MinimizeOptions, type MinimizeResult } from "./types.js";

interface Start {
  values: Float64Array;
  shape: number[];
}

function startOf(x0: number | readonly number[] | Tensor): Start {
  if (x0 instanceof Tensor) return { values: Float64Array.from(x0.data()), shape: [...x0.shape] };
  if (typeof x0 === "number") return { values: Float64Array.of(x0), shape: [] };
  if (Array.isArray(x0) && x0.every((v) => typeof v === "number")) {
    return { values: Float64Array.from(x0), shape: [x0.length] };
  }
  throw new Error("minimize: x0 must be a number, an array of numbers or a Tensor");
}

function checkStart(start: Start): void {
  if (start.values.length === 0) throw new Error("minimize: x0 is empty");
  const bad = start.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`minimize: x0 must be finite, got ${start.values[bad]} at index ${bad}`);
}

function expressionFunction(expression: Expression, start: Start): ScalarFunction {
  const { variables } = expression;
  if (variables.length === 0)
    throw new Error(`minimize: the expression ${expression.source} has no variables`);
  if (variables.length !== start.values.length) {
    const given = start.values.length;
    throw new Error(
      `minimize: the expression has ${variables.length} variable${variables.length > 1 ? "s" : ""} (${variables.join(", ")}) but x0 has ${given} value${given > 1 ? "s" : ""}`,
    );
  }
  return (x) => expression.atVector(x);
}

function checkOptions(opts: MinimizeOptions): void {
  const { method = "gd", lr = "auto", maxIter = 1000, tol = 1e-6 } = opts;
  if (!MINIMIZE_METHODS.includes(method)) {
    throw new Error(
      `minimize: unknown method ${JSON.stringify(method)} (use ${MINIMIZE_METHODS.join(", ")})`,
    );
  }
  if (lr !== "auto" && !(typeof lr === "number" && lr > 0 && Number.isFinite(lr))) {
    throw new Error(`minimize: lr must be a positive number or "auto", got ${JSON.stringify(lr)}`);
  }
  if (!(Number.isInteger(maxIter) && maxIter >= 1))
    throw new Error(`minimize: maxIter must be a positive integer, got ${maxIter}`);
  if (!(tol > 0)) throw new Error(`minimize: tol must be positive, got ${tol}`);
}

function gridBounds(opts: MinimizeOptions, size: number): [number, number][] {
  const { bounds } = opts;
  if (!bounds || bounds.length === 0) {
    throw new Error(
      "minimize: the grid method needs bounds, one [low, high] per coordinate, e.g. bounds: [[-10, 10]]",
    );
  }
  if (bounds.length !== 1 && bounds.length !== size) {
    throw new Error(
      `minimize: bounds has ${bounds.length} pairs but x has ${size} coordinates (give one pair, or one per coordinate)`,
    );
  }
  for (const pair of bounds) {
    if (!Array.isArray(pair) || pair.length !== 2 || !(pair[0] < pair[1]) || !pair.every(Number.isFinite)) {
      throw new Error(
        `minimize: each bound is [low, high] with finite low < high, got ${JSON.stringify(pair)}`,
      );
    }
  }
  return Array.from({ length: size }, (_, i) => bounds[bounds.length === 1 ? 0 : i]!);
}

function stepRule(method: MinimizeMethod, objective: Objective, opts: MinimizeOptions): StepRule {
  const lr = opts.lr ?? "auto";
  switch (method) {
    case "momentum":
      return descent(objective, lr, momentumMethod(opts.momentum ?? 0.9, opts.nesterov ?? false));
    case "adam":
      return descent(objective, lr, adamMethod(opts.beta1 ?? 0.9, opts.beta2 ?? 0.999, opts.eps ?? 1e-8));
    case "newton":
      return newton(objective, lr);
    case "lbfgs":
      return lbfgs(objective, lr, opts.history ?? 10);
    default:
      return descent(objective, lr, GRADIENT_DESCENT);
  }
}

function run(objective: Objective, start: Start, opts: MinimizeOptions, recorder: Recorder): Outcome {
  const method = opts.method ?? "gd";
  const tol = opts.tol ?? 1e-6;
  if (method === "grid") {
    const bounds = gridBounds(opts, objective.size);
    const points = opts.gridPoints ?? defaultGridPoints(bounds.length);
    if (!(Number.isInteger(points) && points >= 2))
      throw new Error(`minimize: gridPoints must be an integer ≥ 2, got ${points}`);
    return gridSearch(objective, { bounds, points, refine: opts.refine ?? 0, tol }, recorder);
  }
  return iterate(
    objective,
    start.values,
    stepRule(method, objective, opts),
    { maxIter: opts.maxIter ?? 1000, tol },
    recorder,
  );
}

function analytic(
  source: string | ScalarFunction,
  start: Start,
  objective: Objective | null,
): MinimizeResult {
  if (typeof source !== "string") {
    throw new Error(
      'minimize: the analytic method needs an expression string such as "x^2 - 4x + 6", not a function',
    );
  }
  const outcome = analyticMinimum(parseExpression(source));
  const x = outcome.x === null ? start.values : Float64Array.of(outcome.x);
  const value = objective ? objective.value(x) : Number.NaN;
  return {
    x: tensor(x, { dtype: "float64", shape: start.shape }),
    value,
    iterations: 0,
    converged: outcome.converged,
    reason: outcome.reason,
    trace: [],
    method: "analytic",
    evaluations: objective?.evaluations ?? 0,
    stationaryPoints: outcome.stationaryPoints,
  };
}

/**
 * Minimizes f starting from x0.
 *
 * f is a function of one tensor returning a scalar tensor (x has the shape of x0: a number gives a
 * 0-d tensor, an array a 1-D one), or an expression string whose variables, in alphabetical order,
 * form x (`"(1-x)^2 + 100(y-x^2)^2"` with x0 = [-1.2, 1]). Everything is computed in float64 with
 * gradients (and Hessians, for newton) from autodiff.
 *
 * Methods: "gd" (x ← x − lr·∇f), "momentum" (heavy ball, or Nesterov with nesterov: true), "newton"
 * (damped, falling back to gradient steps where ∇²f is not positive definite), "lbfgs" (strong Wolfe
 * line search), "adam", "grid" (over bounds, optional refine rounds) and "analytic" (polynomials in
 * one variable, from the symbolic derivative). lr: "auto" (the default) picks each step by
 * backtracking line search.
 *
 * It stops when both |Δx| and |∇f| fall under tol (converged), at maxIter, or when the run diverges
 * (f not finite, or the iterates growing); then converged is false and reason says what to try.
 *
 * @example
 * const r = minimize((x) => x.pow(2).sub(x.mul(4)).add(6), 8, { lr: 0.1 });
 * r.trace.slice(0, 3).map((s) => s.x[0]);   // [6.8, 5.84, 5.072]
 * r.x.item();                                // 2.000000…
 * minimize("(1-x)^2 + 100(y-x^2)^2", [-1.2, 1], { method: "lbfgs" }).x.toArray();   // ≈ [1, 1]
 */
export function minimize(
  f: ScalarFunction | string,
  x0: number | readonly number[] | Tensor,
  opts: MinimizeOptions = {},
): MinimizeResult {
  checkOptions(opts);
  const start = startOf(x0);
  checkStart(start);
  const expression = typeof f === "string" ? parseExpression(f) : null;
  if (typeof f !== "string" && typeof f !== "function") {
    throw new Error(`minimize: f must be a function of a Tensor or an expression string, got ${typeof f}`);
  }
  const fn = expression ? expressionFunction(expression, start) : (f as ScalarFunction);
  const objective = new Objective(fn, start.shape);
  objective.value(start.values); // fails early, naming minimize, if f does not return a scalar
  const method = opts.method ?? "gd";
  if (method === "analytic") return analytic(f, start, objective);
  const recorder = new Recorder(opts.onStep, opts.fullTrace ?? false);
  const outcome = run(objective, start, opts, recorder);
  return {
    x: objective.toTensor(outcome.point.x),
    value: outcome.point.value,
    iterations: outcome.iterations,
    converged: outcome.converged,
    reason: outcome.reason,
    trace: recorder.steps,
    method,
    evaluations: objective.evaluations,
  };
}
