/**
 * The functions an expression may call, each in one place: how to compute it on a tensor (through
 * the differentiable ops), on a plain number, and its derivative as a tree in terms of its argument u.
 */
import { abs, cos, exp, gt, log, relu, sigmoid, sign, sin, sqrt, tan, tanh } from "../ops/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { binary, call, type ExprNode, type FunctionName, negate, num } from "./ast.js";

export interface FunctionDef {
  readonly onTensor: (u: Tensor) => Tensor;
  readonly onNumber: (u: number) => number;
  /** f′(u) as a tree (the chain rule multiplies it by du). */
  readonly derivative: (u: ExprNode) => ExprNode;
}

const numericSigmoid = (u: number): number =>
  u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
const square = (u: ExprNode): ExprNode => binary("^", u, num(2));

export const FUNCTIONS: Readonly<Record<FunctionName, FunctionDef>> = {
  sin: { onTensor: sin, onNumber: Math.sin, derivative: (u) => call("cos", u) },
  cos: { onTensor: cos, onNumber: Math.cos, derivative: (u) => negate(call("sin", u)) },
  // d tan u = 1 / cos²u
  tan: { onTensor: tan, onNumber: Math.tan, derivative: (u) => binary("/", num(1), square(call("cos", u))) },
  exp: { onTensor: exp, onNumber: Math.exp, derivative: (u) => call("exp", u) },
  log: { onTensor: log, onNumber: Math.log, derivative: (u) => binary("/", num(1), u) },
  // d √u = 1 / (2√u)
  sqrt: {
    onTensor: sqrt,
    onNumber: Math.sqrt,
    derivative: (u) => binary("/", num(1), binary("*", num(2), call("sqrt", u))),
  },
  abs: { onTensor: abs, onNumber: Math.abs, derivative: (u) => call("sign", u) },
  // d tanh u = 1 − tanh²u
  tanh: {
    onTensor: tanh,
    onNumber: Math.tanh,
    derivative: (u) => binary("-", num(1), square(call("tanh", u))),
  },
  // dσ = σ(1 − σ)
  sigmoid: {
    onTensor: sigmoid,
    onNumber: numericSigmoid,
    derivative: (u) => binary("*", call("sigmoid", u), binary("-", num(1), call("sigmoid", u))),
  },
  relu: { onTensor: relu, onNumber: (u) => Math.max(u, 0), derivative: (u) => call("step", u) },
  // the Heaviside step [u > 0] and the sign: flat almost everywhere
  step: { onTensor: (u) => gt(u, 0), onNumber: (u) => (u > 0 ? 1 : 0), derivative: () => num(0) },
  sign: { onTensor: sign, onNumber: Math.sign, derivative: () => num(0) },
};

/**
 * Names a user may write for each function (ln is the natural log). A Map, so that a name such as
 * "constructor" or "__proto__" finds nothing rather than a member of Object.prototype.
 */
export const FUNCTION_NAMES: ReadonlyMap<string, FunctionName> = new Map([
  ["sin", "sin"],
  ["cos", "cos"],
  ["tan", "tan"],
  ["exp", "exp"],
  ["log", "log"],
  ["ln", "log"],
  ["sqrt", "sqrt"],
  ["abs", "abs"],
  ["tanh", "tanh"],
  ["sigmoid", "sigmoid"],
  ["relu", "relu"],
  ["step", "step"],
  ["sign", "sign"],
]);
