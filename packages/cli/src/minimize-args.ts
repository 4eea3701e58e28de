/** Reading `deriva minimize`'s arguments into minimize() options, with one-line errors for bad input. */

import {
  type Expression,
  ExpressionError,
  MINIMIZE_METHODS,
  type MinimizeMethod,
  type MinimizeOptions,
  parseExpression,
} from "deriva";
import { UserError } from "./errors.js";
import { parseCount, parseNumber, parseRate } from "./numbers.js";

export interface MinimizeFlags {
  x0?: string;
  method: string;
  lr: string;
  tol: string;
  maxIter: string;
  bounds?: string;
  gridPoints?: string;
  refine: string;
  momentum: string;
  nesterov?: boolean;
  format: string;
  digits?: string;
  all?: boolean;
  plot?: string;
}

export type OutputFormat = "table" | "json" | "csv";

export interface MinimizeRequest {
  expression: Expression;
  x0: number[];
  options: MinimizeOptions & { method: MinimizeMethod; tol: number };
  format: OutputFormat;
  digits: number | undefined;
  all: boolean;
  plot: string | undefined;
}

/** The parsed expression; a syntax error shows the caret under the column on a terminal. */
export function readExpression(source: string): Expression {
  try {
    return parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError && process.stderr.isTTY) process.stderr.write(`${error.caret}\n`);
    throw error;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Start values: "8", "-1.2,1" (alphabetical order) or "x=-1.2,y=1" (by name). */
export function readStart(text: string, variables: readonly string[]): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const named = parts.some((p) => p.includes("="));
  if (!named) {
    if (parts.length !== variables.length) {
      throw new UserError(
        `--x0 gives ${plural(parts.length, "start value")} but the expression has ${plural(variables.length, "variable")} (${variables.join(", ")})`,
      );
    }
    return parts.map((p) => parseNumber(p, "--x0"));
  }
  const values = new Map<string, number>();
  for (const part of parts) {
    const [name = "", value = ""] = part.split("=").map((s) => s.trim());
    if (!variables.includes(name)) {
      throw new UserError(`unknown variable '${name}' in --x0: the expression has ${variables.join(", ")}`);
    }
    if (values.has(name)) throw new UserError(`--x0 gives ${name} twice ('${text}')`);
    values.set(name, parseNumber(value, `--x0 ${name}`));
  }
  const missing = variables.filter((v) => !values.has(v));
  if (missing.length > 0) throw new UserError(`--x0 gives no start value for ${missing.join(", ")}`);
  return variables.map((v) => values.get(v)!);
}

/** "-10,10" (every variable) or "-2,2,-1,3" (a pair per variable). */
function readBounds(text: string, count: number): [number, number][] {
  const values = text.split(",").map((p) => parseNumber(p, "--bounds"));
  if (values.length !== 2 && values.length !== 2 * count) {
    throw new UserError(
      `--bounds expects low,high (for every variable) or ${count} such pairs, got '${text}'`,
    );
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < values.length; i += 2) pairs.push([values[i]!, values[i + 1]!]);
  for (const [lo, hi] of pairs)
    if (!(lo < hi)) throw new UserError(`--bounds: low must be below high, got ${lo},${hi}`);
  return pairs;
}

function readMethod(text: string): MinimizeMethod {
  if (!(MINIMIZE_METHODS as readonly string[]).includes(text)) {
    throw new UserError(`unknown method '${text}' (use ${MINIMIZE_METHODS.join(", ")})`);
  }
  return text as MinimizeMethod;
}

function readFormat(text: string): OutputFormat {
  if (text !== "table" && text !== "json" && text !== "csv")
    throw new UserError(`--format expects table, json or csv, got '${text}'`);
  return text;
}

/** A start for the methods that do not need one: the middle of the bounds (grid) or 0 (analytic). */
function defaultStart(
  method: MinimizeMethod,
  bounds: [number, number][] | undefined,
  variables: readonly string[],
): number[] {
  if (method === "grid" && bounds) {
    return variables.map((_, i) => {
      const [lo, hi] = bounds[bounds.length === 1 ? 0 : i]!;
      return (lo + hi) / 2;
    });
  }
  if (method === "analytic") return variables.map(() => 0);
  const example = variables.map((_, i) => (i === 0 ? "1" : "0")).join(",");
  throw new UserError(
    `--x0 is required for method ${method}: a start value for ${variables.join(", ")} (e.g. --x0 ${example})`,
  );
}

export function readRequest(source: string, flags: MinimizeFlags): MinimizeRequest {
  const expression = readExpression(source);
  const { variables } = expression;
  if (variables.length === 0)
    throw new UserError(`the expression ${source} has no variables to minimize over`);
  const method = readMethod(flags.method);
  const bounds = flags.bounds === undefined ? undefined : readBounds(flags.bounds, variables.length);
  if (method === "grid" && bounds === undefined)
    throw new UserError("--bounds is required for method grid (e.g. --bounds -10,10)");
  const x0 =
    flags.x0 === undefined ? defaultStart(method, bounds, variables) : readStart(flags.x0, variables);
  const digits = flags.digits === undefined ? undefined : parseCount(flags.digits, "--digits", 0);
  if (digits !== undefined && digits > 15) throw new UserError(`--digits expects at most 15, got ${digits}`);
  if (flags.plot !== undefined && variables.length > 2) {
    throw new UserError(
      `--plot draws functions of one or two variables; this one has ${variables.length} (${variables.join(", ")})`,
    );
  }
  const tol = parseNumber(flags.tol, "--tol");
  if (!(tol > 0)) throw new UserError(`--tol expects a positive number, got '${flags.tol}'`);
  const beta = parseNumber(flags.momentum, "--momentum");
  if (!(beta >= 0 && beta < 1))
    throw new UserError(`--momentum expects a number in [0, 1), got '${flags.momentum}'`);
  return {
    expression,
    x0,
    options: {
      method,
      lr: parseRate(flags.lr, "--lr"),
      tol,
      maxIter: parseCount(flags.maxIter, "--max-iter"),
      ...(bounds ? { bounds } : {}),
      ...(flags.gridPoints === undefined
        ? {}
        : { gridPoints: parseCount(flags.gridPoints, "--grid-points", 2) }),
      refine: parseCount(flags.refine, "--refine", 0),
      momentum: beta,
      nesterov: flags.nesterov ?? false,
      // every step for --all and for json/csv ("the whole trace"); the table shows a head and a tail
      fullTrace: (flags.all ?? false) || flags.format !== "table",
    },
    format: readFormat(flags.format),
    digits,
    all: flags.all ?? false,
    plot: flags.plot,
  };
}
