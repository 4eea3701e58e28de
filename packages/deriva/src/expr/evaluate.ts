/**
 * Evaluating a tree: with the differentiable tensor ops (so grad, hessian and the minimizers see an
 * ordinary composition of ops, constant subtrees folded to plain numbers on the way), or on plain
 * numbers (for plots and root checks). Both are one fold over the tree with a different algebra.
 */
import { add, div, mul, neg, pow, sub } from "../ops/elementwise.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { type BinaryOperator, CONSTANTS, type ExprNode, type FunctionName } from "./ast.js";
import { FUNCTIONS } from "./functions.js";

interface Algebra<V> {
  lift(value: number): V;
  neg(a: V): V;
  call(fn: FunctionName, a: V): V;
  binary(op: BinaryOperator, a: V, b: V): V;
}

function fold<V>(node: ExprNode, env: ReadonlyMap<string, V>, algebra: Algebra<V>): V {
  switch (node.kind) {
    case "num":
      return algebra.lift(node.value);
    case "const":
      return algebra.lift(CONSTANTS[node.name]);
    case "var": {
      const value = env.get(node.name);
      if (value === undefined) throw new Error(`expression: no value given for variable '${node.name}'`);
      return value;
    }
    case "neg":
      return algebra.neg(fold(node.arg, env, algebra));
    case "call":
      return algebra.call(node.fn, fold(node.arg, env, algebra));
    case "bin":
      return algebra.binary(node.op, fold(node.left, env, algebra), fold(node.right, env, algebra));
  }
}

const ARITHMETIC: Readonly<Record<BinaryOperator, (a: number, b: number) => number>> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => a ** b,
};

const numbers: Algebra<number> = {
  lift: (value) => value,
  neg: (a) => -a,
  call: (fn, a) => FUNCTIONS[fn].onNumber(a),
  binary: (op, a, b) => ARITHMETIC[op](a, b),
};

type Value = Tensor | number;

const TENSOR_OPS: Readonly<Record<BinaryOperator, (a: Value, b: Value) => Tensor>> = {
  "+": add,
  "-": sub,
  "*": mul,
  "/": div,
  "^": pow,
};

const tensors: Algebra<Value> = {
  lift: (value) => value,
  neg: (a) => (typeof a === "number" ? -a : neg(a)),
  call: (fn, a) => (typeof a === "number" ? FUNCTIONS[fn].onNumber(a) : FUNCTIONS[fn].onTensor(a)),
  binary: (op, a, b) =>
    typeof a === "number" && typeof b === "number" ? ARITHMETIC[op](a, b) : TENSOR_OPS[op](a, b),
};

/**
 * The value of `node` with each variable bound to a tensor (broadcast together, as the ops do).
 * A constant expression gives a float64 scalar.
 */
export function evaluate(node: ExprNode, env: ReadonlyMap<string, Tensor>): Tensor {
  const value = fold<Value>(node, env, tensors);
  return typeof value === "number" ? tensor(value, { dtype: "float64" }) : value;
}

/** The value of `node` at plain numbers (no tensors, no gradient). */
export function evaluateNumber(node: ExprNode, env: ReadonlyMap<string, number>): number {
  return fold(node, env, numbers);
}
