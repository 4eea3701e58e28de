/**
 * The analytic route for a polynomial in one variable, as the founding document does it by hand:
 * solve f′(x) = 0 (f′ from the symbolic derivative; closed form up to degree 3, numeric roots beyond),
 * classify each stationary point by the sign of f″ (or of the first higher derivative that is not 0),
 * and take the lowest minimum when f is bounded below (even degree, positive leading coefficient).
 */
import { derivativeExpression, type Expression } from "../expr/expression.js";
import { polynomialCoefficients } from "../expr/polynomial.js";
import { derivativeCoefficients, evaluatePolynomial, realPolynomialRoots } from "../expr/roots.js";
import { short } from "./stopping.js";
import type { StationaryPoint } from "./types.js";

export interface AnalyticOutcome {
  /** The global minimizer, or the lowest local minimum (or null) when f is unbounded below. */
  x: number | null;
  converged: boolean;
  reason: string;
  stationaryPoints: StationaryPoint[];
}

function coefficientsOf(expression: Expression, name: string, what: string): number[] {
  const reading = polynomialCoefficients(expression.tree, name);
  if (!reading.ok) {
    throw new Error(
      `minimize: the analytic method needs a polynomial in ${name}, and ${what} is not one (${reading.reason}); try method "newton" or "lbfgs"`,
    );
  }
  return reading.coefficients;
}

/** Whether a derivative value is 0 up to rounding, judged against the size of its terms. */
function isZeroAt(c: readonly number[], x: number): boolean {
  let scale = 0;
  for (let k = c.length - 1; k >= 0; k--) scale = scale * Math.abs(x) + Math.abs(c[k]!);
  return Math.abs(evaluatePolynomial(c, x)) <= 1e-9 * scale;
}

/** Minimum, maximum or inflection, from the first derivative of order ≥ 2 that is not 0 at x. */
function classify(secondDerivative: readonly number[], x: number): StationaryPoint["kind"] {
  let c = secondDerivative;
  for (let order = 2; c.length > 0 && c.some((v) => v !== 0); order++) {
    if (!isZeroAt(c, x)) {
      const value = evaluatePolynomial(c, x);
      if (order % 2 === 1) return "inflection";
      return value > 0 ? "minimum" : "maximum";
    }
    c = derivativeCoefficients(c);
  }
  return "inflection";
}

export function analyticMinimum(expression: Expression): AnalyticOutcome {
  const { variables } = expression;
  if (variables.length !== 1) {
    throw new Error(
      `minimize: the analytic method needs a polynomial in one variable; ${expression.source} has ${variables.length === 0 ? "none" : `${variables.length} (${variables.join(", ")})`}`,
    );
  }
  const name = variables[0]!;
  const f = coefficientsOf(expression, name, expression.source);
  const degree = f.length - 1;
  if (degree === 0) {
    return { x: null, converged: true, reason: "f is constant: every x is a minimum", stationaryPoints: [] };
  }
  const first = derivativeExpression(expression, name);
  const second = coefficientsOf(derivativeExpression(first, name), name, "f″");
  const stationaryPoints = realPolynomialRoots(coefficientsOf(first, name, "f′")).map((x) => ({
    x,
    value: evaluatePolynomial(f, x),
    curvature: evaluatePolynomial(second, x),
    kind: classify(second, x),
  }));
  const minima = stationaryPoints.filter((p) => p.kind === "minimum").sort((a, b) => a.value - b.value);
  const lowest = minima[0] ?? null;
  const lead = f[degree]!;
  if (degree % 2 === 0 && lead > 0 && lowest !== null) {
    return {
      x: lowest.x,
      converged: true,
      reason: `f′(${name}) = ${first} = 0 at ${stationaryPoints.map((p) => short(p.x)).join(", ")}; the global minimum is the lowest minimum`,
      stationaryPoints,
    };
  }
  if (degree % 2 === 0 && lead > 0) {
    return {
      x: null,
      converged: false,
      reason: "no minimum of f′ = 0 was found numerically",
      stationaryPoints,
    };
  }
  const toward = degree % 2 === 1 ? (lead > 0 ? `${name} → −∞` : `${name} → +∞`) : `${name} → ±∞`;
  const local = lowest ? `; its lowest local minimum is at ${name} = ${short(lowest.x)}` : "";
  return {
    x: lowest?.x ?? null,
    converged: false,
    reason: `f is unbounded below: f → −∞ as ${toward} (degree ${degree}, leading coefficient ${short(lead)})${local}`,
    stationaryPoints,
  };
}
