/** Reading a tree as a polynomial in one variable: its coefficients, lowest degree first. */
import type { ExprNode } from "./ast.js";
import { type Factor, factorValue, isConstant, type Sum, toSum } from "./canonical.js";
import { Coef } from "./rational.js";

/** The largest degree read as a polynomial (beyond it the analytic route is not worth it). */
export const MAX_POLYNOMIAL_DEGREE = 200;

export type PolynomialReading = { ok: true; coefficients: number[] } | { ok: false; reason: string };

class NotPolynomial extends Error {}

function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j]! += a[i]! * b[j]!;
  if (out.length - 1 > MAX_POLYNOMIAL_DEGREE) {
    throw new NotPolynomial(`its degree ${out.length - 1} is above ${MAX_POLYNOMIAL_DEGREE}`);
  }
  return out;
}

function power(p: readonly number[], k: number): number[] {
  let out = [1];
  for (let i = 0; i < k; i++) out = multiply(out, p);
  return out;
}

function factorPolynomial(f: Factor, name: string): number[] {
  const { atom } = f;
  if (isConstant([{ coeff: Coef.ONE, factors: [f], key: f.key }])) return [factorValue(f)];
  const wholePower = f.power.isInteger && !f.power.negative;
  if (atom.kind === "var" && atom.name !== name) throw new NotPolynomial(`it also depends on ${atom.name}`);
  if (!wholePower && atom.kind === "var") throw new NotPolynomial(`it has ${name}^${f.power}`);
  if (!wholePower) throw new NotPolynomial(`it has the power ${f.power} of an expression in ${name}`);
  if (atom.kind === "var") return power([0, 1], f.power.value);
  if (atom.kind === "group") return power(sumPolynomial(atom.sum, name), f.power.value);
  throw new NotPolynomial(`${name} appears inside ${atom.kind === "call" ? `${atom.fn}()` : "an exponent"}`);
}

function sumPolynomial(sum: Sum, name: string): number[] {
  const total = [0];
  for (const term of sum) {
    let p = [term.coeff.value];
    for (const f of term.factors) p = multiply(p, factorPolynomial(f, name));
    while (total.length < p.length) total.push(0);
    p.forEach((c, k) => {
      total[k]! += c;
    });
  }
  while (total.length > 1 && total[total.length - 1] === 0) total.pop();
  return total;
}

/**
 * c[k] is the coefficient of name^k, or the reason the tree is not a polynomial in `name`
 * (another variable, a negative or fractional power, a function of the variable).
 */
export function polynomialCoefficients(node: ExprNode, name: string): PolynomialReading {
  try {
    return { ok: true, coefficients: sumPolynomial(toSum(node), name) };
  } catch (error) {
    if (error instanceof NotPolynomial) return { ok: false, reason: error.message };
    throw error;
  }
}
