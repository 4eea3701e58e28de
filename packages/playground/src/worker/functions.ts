/**
 * The first chapters' computations, all by deriva: the quadratic cost, the parabola's descent,
 * the other routes to a minimum (symbolic derivative, analytic, Newton–Raphson, grid search),
 * contours of a function of two variables and the race of minimizers across them.
 */
import {
  derivative,
  type Expression,
  ExpressionError,
  loss,
  type MinimizeOptions,
  type MinimizeResult,
  minimize,
  parseExpression,
  tensor,
} from "deriva";
import type {
  ExpressionProblem,
  Methods,
  ParabolaStep,
  RacePath,
  RoutesResult,
  RunSummary,
} from "./protocol";

type Args<M extends keyof Methods> = Methods[M]["args"];
type Result<M extends keyof Methods> = Methods[M]["result"];

/** The founding document's function. */
export const PARABOLA = "x^2 - 4x + 6";
/** Iterates kept for a path: longer runs keep every k-th (and the last). */
const MAX_PATH_POINTS = 600;

/** C = 1/N Σ (ŷ − y)² and C = 1/(2N) Σ (ŷ − y)² for the line ŷ = slope·x + intercept. */
export async function cost({ points, slope, intercept }: Args<"cost">): Promise<Result<"cost">> {
  const x = tensor(points.map((p) => p[0]));
  const y = tensor(points.map((p) => p[1]));
  const predicted = x.mul(slope).add(intercept);
  return {
    mse: await loss.mse(predicted, y).readItem(),
    quadratic: await loss.quadratic(predicted, y).readItem(),
    residuals: Array.from(await predicted.sub(y).read()),
  };
}

/** Gradient descent on the parabola from x0 (the document's 8), every step kept. */
export function parabola({ lr, x0 }: Args<"parabola">): Result<"parabola"> {
  const run = minimize(PARABOLA, x0, { lr, maxIter: 200 });
  const steps: ParabolaStep[] = run.trace.map((step) => ({
    iter: step.iter,
    x: step.x[0]!,
    value: step.value,
    slope: step.grad[0]!,
    lr: step.lr,
  }));
  const diverged = !run.converged && /too large|grow|diverg/.test(run.reason);
  return { steps, converged: run.converged, reason: run.reason, diverged };
}

/** The parser's complaint (with its column), or another error's message. */
function problemOf(error: unknown): ExpressionProblem {
  if (error instanceof ExpressionError) return { message: error.message, column: error.column };
  return { message: error instanceof Error ? error.message : String(error), column: 0 };
}

async function summary(run: MinimizeResult): Promise<RunSummary> {
  return {
    x: Array.from(await run.x.read()),
    value: run.value,
    iterations: run.iterations,
    evaluations: run.evaluations,
    converged: run.converged,
    reason: run.reason,
  };
}

/** Every iterate from the start, at most MAX_PATH_POINTS of them (evenly thinned, the last kept). */
function pathOf(start: number[], run: MinimizeResult): number[] {
  const every = Math.max(1, Math.ceil(run.trace.length / MAX_PATH_POINTS));
  const path = [...start];
  run.trace.forEach((step, i) => {
    if (i % every === every - 1 || i === run.trace.length - 1) path.push(...step.x);
  });
  return path;
}

/** A run that failed outright (e.g. a NaN start) as a summary that says why. */
function failedRun(start: number[], error: unknown): RunSummary {
  const reason = error instanceof Error ? error.message : String(error);
  return { x: start, value: Number.NaN, iterations: 0, evaluations: 0, converged: false, reason };
}

async function tryRun(
  f: Expression,
  x0: number[],
  opts: MinimizeOptions,
): Promise<RunSummary & { path: number[] }> {
  try {
    const run = minimize(f.source, x0.length === 1 ? x0[0]! : x0, opts);
    return { ...(await summary(run)), path: pathOf(x0, run) };
  } catch (error) {
    return { ...failedRun(x0, error), path: [...x0] };
  }
}

/** One expression of one variable by every route: derivatives, analytic, Newton–Raphson, grid search, gd. */
export async function routes({ expression, x0, bounds }: Args<"routes">): Promise<Result<"routes">> {
  let f: Expression;
  try {
    f = parseExpression(expression);
  } catch (error) {
    return { problem: problemOf(error) };
  }
  if (f.variables.length > 1) {
    return {
      problem: { message: `this chapter takes one variable, got ${f.variables.join(", ")}`, column: 0 },
    };
  }
  const variable = f.variables[0] ?? "x";
  const first = derivative(f, variable);
  let analytic: RoutesResult["analytic"];
  try {
    const run = minimize(f.source, x0, { method: "analytic" });
    analytic = {
      points: (run.stationaryPoints ?? []).map((p) => ({ x: p.x, value: p.value, kind: p.kind })),
    };
  } catch (error) {
    analytic = { error: error instanceof Error ? error.message : String(error) };
  }
  const [lo, hi] = bounds;
  const xs = Array.from({ length: 201 }, (_, i) => lo + ((hi - lo) * i) / 200);
  return {
    ok: {
      variable,
      derivative: first,
      second: derivative(first, variable),
      analytic,
      newton: await tryRun(f, [x0], { method: "newton", maxIter: 100 }),
      grid: await tryRun(f, [x0], { method: "grid", bounds: [bounds], gridPoints: 201, refine: 3 }),
      gd: await tryRun(f, [x0], { method: "gd", lr: "auto", maxIter: 1000 }),
      curve: { xs, ys: xs.map((x) => f.atNumbers([x])) },
    },
  };
}

/** A function of two variables on an n×n lattice over the box (row 0 at the top, y largest). */
export async function contours({ expression, box, n }: Args<"contours">): Promise<Result<"contours">> {
  let f: Expression;
  try {
    f = parseExpression(expression);
  } catch (error) {
    return { problem: problemOf(error) };
  }
  if (f.variables.length !== 2) {
    const got = f.variables.length === 0 ? "none" : f.variables.join(", ");
    return { problem: { message: `contours need two variables (such as x and y), got ${got}`, column: 0 } };
  }
  const [x0, x1, y0, y1] = box;
  const xs = new Float64Array(n * n);
  const ys = new Float64Array(n * n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      xs[row * n + col] = x0 + ((x1 - x0) * col) / (n - 1);
      ys[row * n + col] = y1 - ((y1 - y0) * row) / (n - 1);
    }
  }
  const values = await f(tensor(xs, { dtype: "float64" }), tensor(ys, { dtype: "float64" })).read();
  return { values: Float64Array.from(values), variables: [...f.variables] };
}

/** How each racer is set up: the fixed-rate ones take the page's rate, gd searches its steps. */
function raceOptions(method: string, lr: number, maxIter: number): MinimizeOptions {
  switch (method) {
    case "gd":
      return { method: "gd", lr: "auto", maxIter };
    case "gd-fixed":
      return { method: "gd", lr, maxIter };
    case "momentum":
      return { method: "momentum", lr, maxIter };
    case "nesterov":
      return { method: "momentum", nesterov: true, lr, maxIter };
    case "adam":
      return { method: "adam", lr, maxIter };
    case "lbfgs":
      return { method: "lbfgs", maxIter };
    case "newton":
      return { method: "newton", maxIter };
    default:
      throw new Error(`unknown method ${method}`);
  }
}

/** The minimizers from one start point, each with its path and iteration count. */
export async function race({
  expression,
  start,
  methods,
  lr,
  maxIter,
}: Args<"race">): Promise<Result<"race">> {
  let f: Expression;
  try {
    f = parseExpression(expression);
  } catch (error) {
    return { problem: problemOf(error) };
  }
  const paths: RacePath[] = [];
  for (const method of methods) {
    paths.push({ method, ...(await tryRun(f, [...start], raceOptions(method, lr, maxIter))) });
  }
  return { paths };
}
