/**
 * Printing a tree with the fewest parentheses that keep its meaning: a + b*c, (a + b)*c, x^-1 as
 * x^(-1), -(a + b). Binary + and - get spaces, the rest none: 2*x - 4.
 */
import type { ExprNode } from "./ast.js";
import { formatFloat } from "./rational.js";

const SUM = 1;
const PRODUCT = 2;
const NEGATION = 3;
const POWER = 4;
const ATOM = 5;

function precedence(node: ExprNode): number {
  switch (node.kind) {
    case "bin":
      return node.op === "+" || node.op === "-" ? SUM : node.op === "^" ? POWER : PRODUCT;
    case "neg":
      return NEGATION;
    case "num":
      return node.value < 0 ? NEGATION : ATOM;
    default:
      return ATOM;
  }
}

function wrap(node: ExprNode, least: number): string {
  const text = printExpression(node);
  return precedence(node) < least ? `(${text})` : text;
}

/** The expression as text that parses back to the same tree shape. */
export function printExpression(node: ExprNode): string {
  switch (node.kind) {
    case "num":
      return formatFloat(node.value);
    case "const":
    case "var":
      return node.name;
    case "call":
      return `${node.fn}(${printExpression(node.arg)})`;
    case "neg":
      return `-${node.arg.kind === "neg" || precedence(node.arg) < PRODUCT ? `(${printExpression(node.arg)})` : printExpression(node.arg)}`;
    case "bin":
      switch (node.op) {
        case "+":
          return `${wrap(node.left, SUM)} + ${wrap(node.right, PRODUCT)}`;
        case "-":
          return `${wrap(node.left, SUM)} - ${wrap(node.right, PRODUCT)}`;
        case "*":
        case "/":
          return `${wrap(node.left, PRODUCT)}${node.op}${wrap(node.right, POWER)}`;
        case "^":
          return `${wrap(node.left, ATOM)}^${wrap(node.right, POWER)}`;
      }
  }
}
