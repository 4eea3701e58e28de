/**
 * The public face of expressions: parseExpression turns text such as "x^2 - 4x + 6" into a
 * differentiable function of its variables; derivative gives a simplified symbolic derivative.
 */
import { reshape, slice } from "../ops/shape.js";
import { tensor } from "../tensor/creation.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { type ExprNode, variablesOf } from "./ast.js";
import { differentiate } from "./differentiate.js";
import { evaluate, evaluateNumber } from "./evaluate.js";
import { parse } from "./parse.js";
import { printExpression } from "./print.js";
import { simplify } from "./simplify.js";

/**
 * A parsed expression, callable as a function of its variables in alphabetical order:
 * `parseExpression("(1-x)^2 + 100(y-x^2)^2")(x, y)`. Tensors broadcast as in any op, plain numbers
 * become float64 scalars, and the result is differentiable (grad, hessian, minimize).
 */
export interface Expression {
  (...values: TensorLike[]): Tensor;
  /** The text it was parsed from. */
  readonly source: string;
  /** Its variables, sorted alphabetically: the order of the positional arguments and of a vector x. */
  readonly variables: readonly string[];
  /** The syntax tree. */
  readonly tree: ExprNode;
  /** The value with variables given by name: `f.at({ x: 8 })`. */
  at(values: Readonly<Record<string, TensorLike>>): Tensor;
  /** The value at x, whose elements are the variables in alphabetical order (x.size = variables.length; with one variable, x may have any shape and is used elementwise). */
  atVector(x: Tensor): Tensor;
  /** The value at plain numbers, without tensors (for plotting and checks). */
  atNumbers(values: readonly number[]): number;
  /** The expression, simplified, as text (x^2 - 4*x + 6). */
  toString(): string;
}

function asTensor(value: TensorLike): Tensor {
  return value instanceof Tensor ? value : tensor(value, { dtype: "float64" });
}

function makeExpression(source: string, tree: ExprNode): Expression {
  const variables = variablesOf(tree);
  const run = (bindings: Map<string, Tensor>): Tensor => evaluate(tree, bindings);
  const positional = (...values: TensorLike[]): Tensor => {
    if (values.length !== variables.length) {
      throw new Error(
        `expression ${source}: expected ${variables.length} value(s) for (${variables.join(", ")}), got ${values.length}`,
      );
    }
    return run(new Map(variables.map((name, i) => [name, asTensor(values[i]!)])));
  };
  const extras = {
    source,
    variables,
    tree,
    at(values: Readonly<Record<string, TensorLike>>): Tensor {
      // own properties only: a variable named "constructor" must not find Object.prototype's
      const missing = variables.filter((name) => !Object.hasOwn(values, name));
      if (missing.length > 0) throw new Error(`expression ${source}: no value for ${missing.join(", ")}`);
      return run(new Map(variables.map((name) => [name, asTensor(values[name]!)])));
    },
    atVector(x: Tensor): Tensor {
      if (variables.length === 1) return run(new Map([[variables[0]!, x]]));
      if (x.size !== variables.length) {
        throw new Error(
          `expression ${source}: x has ${x.size} element(s) but the expression has ${variables.length} variables (${variables.join(", ")})`,
        );
      }
      const flat = reshape(x, [x.size]);
      return run(new Map(variables.map((name, i) => [name, reshape(slice(flat, [i], [i + 1]), [])])));
    },
    atNumbers(values: readonly number[]): number {
      return evaluateNumber(tree, new Map(variables.map((name, i) => [name, values[i]!])));
    },
    toString: () => printExpression(simplify(tree)),
  };
  return Object.assign(positional, extras);
}

/**
 * Parses an expression into a differentiable function of its variables.
 *
 * Grammar: numbers (12, 1.5, .5, 1e-3), variables (any other name), + - * / ^ with the usual
 * precedence (^ binds tightest and is right-associative; -x^2 is -(x^2)), parentheses, implicit
 * multiplication (4x, 2(x+1), x y, (x+1)(x-1)), functions sin cos tan exp log ln sqrt abs tanh
 * sigmoid relu (and step, sign), constants pi and e. `**` is read as ^.
 *
 * @throws ExpressionError with the column of the problem: `unexpected ')' at column 7`.
 * @example
 * const f = parseExpression("x^2 - 4x + 6");
 * f(8).item();            // 38
 * grad(f)(8).item();      // 12
 * f.variables;            // ["x"]
 */
export function parseExpression(source: string): Expression {
  return makeExpression(source, parse(source));
}

/**
 * The derivative of an expression with respect to one variable, simplified, as text:
 * `derivative("x^2 - 4*x + 6", "x")` → `"2*x - 4"`. Accepts a string or a parsed Expression.
 * A variable the expression does not mention gives "0".
 *
 * @example
 * derivative("x^2 - 4*x + 6", "x"); // "2*x - 4"
 * derivative("sin(x) * y", "y"); // "sin(x)"
 */
export function derivative(expression: string | Expression, variable: string): string {
  const tree = typeof expression === "string" ? parse(expression) : expression.tree;
  return printExpression(simplify(differentiate(tree, variable)));
}

/** The derivative as an Expression (to evaluate or differentiate again). */
export function derivativeExpression(expression: string | Expression, variable: string): Expression {
  const tree = typeof expression === "string" ? parse(expression) : expression.tree;
  const d = simplify(differentiate(tree, variable));
  return makeExpression(printExpression(d), d);
}
