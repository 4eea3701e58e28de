/**
 * deriva: derivatives, gradient-based optimization and neural networks for TypeScript.
 * The public surface: re-exports of the engine (core.ts) and of the layers built on it.
 */
export * from "./core.js";
export * as data from "./data/index.js";
export type { BinaryOperator, ConstantName, ExprNode, FunctionName } from "./expr/ast.js";
export { ExpressionError } from "./expr/errors.js";
export { derivative, derivativeExpression, type Expression, parseExpression } from "./expr/expression.js";
export * as io from "./io/index.js";
export * as loss from "./loss/index.js";
export { minimize } from "./minimize/minimize.js";
export type { ScalarFunction } from "./minimize/objective.js";
export {
  MINIMIZE_METHODS,
  type MinimizeMethod,
  type MinimizeOptions,
  type MinimizeResult,
  type StationaryPoint,
  type Step,
} from "./minimize/types.js";
export * as models from "./models/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as train from "./train/index.js";
export { VERSION } from "./version.js";
