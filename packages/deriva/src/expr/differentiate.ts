/**
 * The symbolic derivative of a tree with respect to one variable, by the textbook rules. The result
 * is raw (full of ·1 and +0); simplify() tidies it.
 */
import { binary, call, dependsOn, type ExprNode, negate, num } from "./ast.js";
import { FUNCTIONS } from "./functions.js";

const ZERO = num(0);

/** ∂node/∂name as an unsimplified tree. */
export function differentiate(node: ExprNode, name: string): ExprNode {
  if (!dependsOn(node, name)) return ZERO;
  switch (node.kind) {
    case "var":
      return num(1);
    case "neg":
      return negate(differentiate(node.arg, name));
    case "call":
      // chain rule: f(u)′ = f′(u) · u′
      return binary("*", FUNCTIONS[node.fn].derivative(node.arg), differentiate(node.arg, name));
    case "bin":
      return differentiateBinary(node.op, node.left, node.right, name);
    default:
      return ZERO;
  }
}

function differentiateBinary(op: string, u: ExprNode, v: ExprNode, name: string): ExprNode {
  const du = differentiate(u, name);
  const dv = differentiate(v, name);
  switch (op) {
    case "+":
      return binary("+", du, dv);
    case "-":
      return binary("-", du, dv);
    case "*":
      return binary("+", binary("*", du, v), binary("*", u, dv));
    case "/":
      // (u/v)′ = u′/v − u·v′/v²
      return binary("-", binary("/", du, v), binary("/", binary("*", u, dv), binary("^", v, num(2))));
    default:
      return differentiatePower(u, v, du, dv, name);
  }
}

function differentiatePower(u: ExprNode, v: ExprNode, du: ExprNode, dv: ExprNode, name: string): ExprNode {
  const power = binary("^", u, v);
  // (uⁿ)′ = n·uⁿ⁻¹·u′ for an exponent free of the variable
  if (!dependsOn(v, name)) return binary("*", binary("*", v, binary("^", u, binary("-", v, num(1)))), du);
  // (aᵛ)′ = aᵛ·log(a)·v′ for a base free of the variable
  if (!dependsOn(u, name)) return binary("*", binary("*", power, call("log", u)), dv);
  // (uᵛ)′ = uᵛ·(v′·log u + v·u′/u)
  return binary("*", power, binary("+", binary("*", dv, call("log", u)), binary("/", binary("*", v, du), u)));
}
