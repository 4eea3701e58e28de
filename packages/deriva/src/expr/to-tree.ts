/**
 * The normal form back as a tree, laid out as people write it: terms by falling degree, a minus for
 * negative terms, coefficients first, negative powers as a denominator (2*x - 4, x/3, -1/(x + 1)^2).
 */
import { binary, call, constant, type ExprNode, negate, num, variable } from "./ast.js";
import type { Atom, Factor, Sum, Term } from "./canonical.js";
import type { Coef } from "./rational.js";

function product(nodes: ExprNode[]): ExprNode | null {
  if (nodes.length === 0) return null;
  return nodes.reduce((acc, n) => binary("*", acc, n));
}

/** A positive coefficient as numerator and denominator parts (2/3 → [2], [3]; 0.25 stays 0.25). */
function coefficientParts(c: Coef): { top: ExprNode[]; bottom: ExprNode[] } {
  if (c.isOne) return { top: [], bottom: [] };
  if (c.exact && !c.isDecimal) {
    return { top: c.p === 1 ? [] : [num(c.p)], bottom: [num(c.q)] };
  }
  return { top: [num(c.value)], bottom: [] };
}

function powerNode(power: Coef): ExprNode {
  if (power.exact && !power.isDecimal) return binary("/", num(power.p), num(power.q));
  return num(power.value);
}

export function atomToTree(atom: Atom): ExprNode {
  switch (atom.kind) {
    case "const":
      return constant(atom.name);
    case "var":
      return variable(atom.name);
    case "call":
      return call(atom.fn, sumToTree(atom.arg));
    case "group":
      return sumToTree(atom.sum);
    case "pow":
      return binary("^", sumToTree(atom.base), sumToTree(atom.exponent));
  }
}

function factorToTree(f: Factor, power: Coef): ExprNode {
  const base = atomToTree(f.atom);
  return power.isOne ? base : binary("^", base, powerNode(power));
}

/** A term with a positive coefficient (the sign is handled by the sum). */
function termToTree(coeff: Coef, factors: readonly Factor[]): ExprNode {
  const parts = coefficientParts(coeff);
  const top = [
    ...parts.top,
    ...factors.filter((f) => !f.power.negative).map((f) => factorToTree(f, f.power)),
  ];
  const bottom = [
    ...parts.bottom,
    ...factors.filter((f) => f.power.negative).map((f) => factorToTree(f, f.power.neg())),
  ];
  const numerator = product(top) ?? num(1);
  const denominator = product(bottom);
  return denominator ? binary("/", numerator, denominator) : numerator;
}

export function sumToTree(sum: Sum): ExprNode {
  if (sum.length === 0) return num(0);
  let tree: ExprNode | null = null;
  for (const t of sum as Term[]) {
    const magnitude = termToTree(t.coeff.abs(), t.factors);
    if (tree === null) tree = t.coeff.negative ? negate(magnitude) : magnitude;
    else tree = binary(t.coeff.negative ? "-" : "+", tree, magnitude);
  }
  return tree!;
}
