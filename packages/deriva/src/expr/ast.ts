/**
 * The syntax tree of a parsed expression. Nodes are plain immutable objects; the constructors
 * below are the only way the rest of the code builds them.
 */

/** The functions an expression may call (ln is read as log; step and sign appear in derivatives). */
export type FunctionName =
  | "sin"
  | "cos"
  | "tan"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "step"
  | "sign";

/** The named constants an expression may use: pi (π) and e (Euler's number). */
export type ConstantName = "pi" | "e";
/** The infix operators of an expression; ^ is the power. */
export type BinaryOperator = "+" | "-" | "*" | "/" | "^";

/**
 * A node of a parsed expression's syntax tree (Expression.tree), told apart by `kind`: a number,
 * a named constant, a variable, a negation, a binary operation or a function call.
 */
export type ExprNode =
  | {
      /** A number literal. */
      readonly kind: "num";
      /** Its value. */
      readonly value: number;
    }
  | {
      /** A named constant (pi, e). */
      readonly kind: "const";
      /** Which constant. */
      readonly name: ConstantName;
    }
  | {
      /** A variable, bound by name when the expression is evaluated. */
      readonly kind: "var";
      /** The variable's name as written (x, y, theta…). */
      readonly name: string;
    }
  | {
      /** A unary minus. */
      readonly kind: "neg";
      /** The negated subexpression. */
      readonly arg: ExprNode;
    }
  | {
      /** A binary operation. */
      readonly kind: "bin";
      /** The operator (+ − * / ^). */
      readonly op: BinaryOperator;
      /** The left operand. */
      readonly left: ExprNode;
      /** The right operand (the exponent for ^). */
      readonly right: ExprNode;
    }
  | {
      /** A call of a built-in function. */
      readonly kind: "call";
      /** The function called. */
      readonly fn: FunctionName;
      /** Its argument. */
      readonly arg: ExprNode;
    };

export const num = (value: number): ExprNode => ({ kind: "num", value });
export const constant = (name: ConstantName): ExprNode => ({ kind: "const", name });
export const variable = (name: string): ExprNode => ({ kind: "var", name });
export const negate = (arg: ExprNode): ExprNode => ({ kind: "neg", arg });
export const binary = (op: BinaryOperator, left: ExprNode, right: ExprNode): ExprNode => ({
  kind: "bin",
  op,
  left,
  right,
});
export const call = (fn: FunctionName, arg: ExprNode): ExprNode => ({ kind: "call", fn, arg });

export const CONSTANTS: Readonly<Record<ConstantName, number>> = { pi: Math.PI, e: Math.E };

/** Whether a name is a constant's (an own key of CONSTANTS: "toString" is not one). */
export function isConstantName(name: string): name is ConstantName {
  return Object.hasOwn(CONSTANTS, name);
}

/** The variables a tree mentions, sorted alphabetically (the order in which they form a vector x). */
export function variablesOf(node: ExprNode): string[] {
  const names = new Set<string>();
  const walk = (n: ExprNode): void => {
    switch (n.kind) {
      case "var":
        names.add(n.name);
        return;
      case "neg":
      case "call":
        walk(n.arg);
        return;
      case "bin":
        walk(n.left);
        walk(n.right);
        return;
      default:
        return;
    }
  };
  walk(node);
  return [...names].sort();
}

/** Whether the tree mentions variable `name`. */
export function dependsOn(node: ExprNode, name: string): boolean {
  switch (node.kind) {
    case "var":
      return node.name === name;
    case "neg":
    case "call":
      return dependsOn(node.arg, name);
    case "bin":
      return dependsOn(node.left, name) || dependsOn(node.right, name);
    default:
      return false;
  }
}
