/**
 * What `deriva minimize` prints: the iterations as an aligned table (or JSON, or CSV) and a closing
 * line that says where it converged, or why it did not.
 */

import { derivative, type MinimizeResult, type Step } from "deriva";
import type { MinimizeRequest } from "./minimize-args.js";
import { formatNumber, formatResult } from "./numbers.js";
import { alignedTable, csvLine } from "./table.js";

/** A table longer than this is cut to its first and last iterations (--all shows them all). */
const LONG_TABLE = 200;
const HEAD_ROWS = 100;
const TAIL_ROWS = 20;

function columnNames(variables: readonly string[], unicode: boolean): { f: string; grads: string[] } {
  if (variables.length === 1) {
    const v = variables[0]!;
    return { f: `f(${v})`, grads: [unicode ? `f′(${v})` : `df/d${v}`] };
  }
  return {
    f: unicode ? `f(${variables.join(",")})` : "f",
    grads: variables.map((v) => (unicode ? `∂f/∂${v}` : `df/d${v}`)),
  };
}

/** Whether the rate changed from step to step (then it gets a column). */
function rateVaries(trace: readonly Step[]): boolean {
  return trace.some((s) => s.lr !== trace[0]!.lr);
}

function rateColumn(request: MinimizeRequest): string {
  return request.options.method === "grid" ? "spacing" : "lr";
}

function stepCells(step: Step, digits: number | undefined, withRate: boolean): string[] {
  const cells = [
    String(step.iter),
    ...step.x.map((v) => formatNumber(v, digits)),
    formatNumber(step.value, digits),
  ];
  cells.push(...step.grad.map((v) => formatNumber(v, digits)));
  if (withRate) cells.push(formatNumber(step.lr));
  return cells;
}

function describeAt(
  variables: readonly string[],
  x: readonly number[],
  tol: number,
  digits: number | undefined,
): string {
  const values = x.map((v) => formatResult(v, tol, digits));
  return variables.length === 1
    ? `${variables[0]} = ${values[0]}`
    : `(${variables.join(", ")}) = (${values.join(", ")})`;
}

function describeRun(request: MinimizeRequest): string {
  const { expression, x0, options } = request;
  const { variables } = expression;
  const rate =
    options.method === "grid" || options.method === "analytic"
      ? ""
      : options.lr === "auto"
        ? ", lr auto"
        : `, lr ${options.lr}`;
  const from =
    options.method === "grid"
      ? ` over ${options.bounds!.map(([a, b]) => `[${a}, ${b}]`).join(" × ")}`
      : ` from ${describeAt(variables, x0, 1e-12, undefined)}`;
  return `minimizing f(${variables.join(", ")}) = ${expression} by ${options.method}${rate}${from}`;
}

function closingLines(request: MinimizeRequest, result: MinimizeResult): string[] {
  const { tol } = request.options;
  const { variables } = request.expression;
  const at = `${describeAt(variables, Array.from(result.x.data()), tol, request.digits)} (f = ${formatResult(result.value, tol, request.digits)})`;
  const count = `${result.iterations} iteration${result.iterations === 1 ? "" : "s"}`;
  if (request.options.method === "grid") {
    return [`${result.converged ? "found" : "best grid point"} ${at} by grid search: ${result.reason}`];
  }
  if (result.converged) return [`converged to ${at} after ${count}`];
  return [`did not converge: ${result.reason}`, `stopped after ${count} at ${at}`];
}

function iterationTable(request: MinimizeRequest, result: MinimizeResult): string[] {
  const { trace } = result;
  if (trace.length === 0) return [];
  const { f, grads } = columnNames(request.expression.variables, true);
  const withRate = rateVaries(trace) || request.options.method === "grid";
  const header = [
    "iter",
    ...request.expression.variables,
    f,
    ...grads,
    ...(withRate ? [rateColumn(request)] : []),
  ];
  const cut = !request.all && trace.length > LONG_TABLE;
  const shown = cut ? [...trace.slice(0, HEAD_ROWS), ...trace.slice(-TAIL_ROWS)] : trace;
  const lines = alignedTable(
    header,
    shown.map((s) => stepCells(s, request.digits, withRate)),
  );
  if (cut) {
    // counted by iteration numbers: a long run's trace keeps only some of the middle steps
    const skipped = trace.at(-TAIL_ROWS)!.iter - trace[HEAD_ROWS - 1]!.iter - 1;
    lines.splice(HEAD_ROWS + 1, 0, `  … ${skipped} more iterations (--all shows every one)`);
  }
  return lines;
}

function analyticLines(request: MinimizeRequest, result: MinimizeResult): string[] {
  const { expression, options, digits } = request;
  const v = expression.variables[0]!;
  const first = derivative(expression, v);
  const lines = [`f(${v}) = ${expression}`, `f′(${v}) = ${first}`, `f″(${v}) = ${derivative(first, v)}`];
  const points = result.stationaryPoints ?? [];
  if (points.length === 0) {
    lines.push("no stationary points (f′ has no real root)");
  } else {
    lines.push("stationary points (f′ = 0):");
    const rows = points.map((p) => [
      formatResult(p.x, options.tol, digits),
      formatResult(p.value, options.tol, digits),
      formatResult(p.curvature, options.tol, digits),
      p.kind,
    ]);
    lines.push(...alignedTable([v, `f(${v})`, `f″(${v})`, "kind"], rows).map((l) => `  ${l}`));
  }
  if (result.converged && points.length > 0) {
    lines.push(
      `global minimum at ${describeAt([v], Array.from(result.x.data()), options.tol, digits)} (f = ${formatResult(result.value, options.tol, digits)})`,
    );
  } else {
    lines.push(result.reason);
  }
  return lines;
}

/** The run as a readable report: a title line, the table of iterations, the closing line(s). */
export function renderTable(request: MinimizeRequest, result: MinimizeResult): string {
  if (request.options.method === "analytic") return `${analyticLines(request, result).join("\n")}\n`;
  return `${[describeRun(request), ...iterationTable(request, result), ...closingLines(request, result)].join("\n")}\n`;
}

/** The run as JSON: the request, the result and the full trace, numbers at full precision. */
export function renderJson(request: MinimizeRequest, result: MinimizeResult): string {
  const { expression, x0, options } = request;
  const report = {
    expression: String(expression),
    variables: expression.variables,
    method: options.method,
    lr: options.lr,
    tol: options.tol,
    x0,
    x: Array.from(result.x.data()),
    value: result.value,
    iterations: result.iterations,
    converged: result.converged,
    reason: result.reason,
    evaluations: result.evaluations,
    ...(result.stationaryPoints ? { stationaryPoints: result.stationaryPoints } : {}),
    trace: result.trace,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The trace as CSV, one row per iteration: iter, the variables, f, the gradient, the rate. */
export function renderCsv(request: MinimizeRequest, result: MinimizeResult): string {
  const { variables } = request.expression;
  const { grads } = columnNames(variables, false);
  const header = ["iter", ...variables, "f", ...grads, rateColumn(request)];
  const rows = result.trace.map((s) => {
    const numbers = [...s.x, s.value, ...s.grad, s.lr].map((v) =>
      request.digits === undefined ? String(v) : formatNumber(v, request.digits),
    );
    return csvLine([String(s.iter), ...numbers]);
  });
  return `${[csvLine(header), ...rows].join("\n")}\n`;
}
