/**
 * deriva: derivatives, gradient-based optimization and neural networks for TypeScript.
 * The public surface; everything here is re-exported from the layers below.
 */
import "./ops/methods.js";

export { type GradcheckOptions, type GradcheckResult, gradcheck } from "./autograd/gradcheck.js";
export { noGrad } from "./autograd/mode.js";
export {
  type GradArg,
  type GradArgs,
  type GradOptions,
  grad,
  type ManyGradOptions,
  type SingleGradOptions,
  hessian,
  jacobian,
  valueAndGrad,
} from "./autograd/transforms.js";
export { getBackend, listBackends, ready, setBackend } from "./backend/registry.js";
export { getNumThreads, setNumThreads, type WasmInfo, wasmInfo } from "./backend/wasm/index.js";
export * as data from "./data/index.js";
export { ExpressionError } from "./expr/errors.js";
export { derivative, derivativeExpression, type Expression, parseExpression } from "./expr/expression.js";
export * as io from "./io/index.js";
export * as loss from "./loss/index.js";
export { minimize } from "./minimize/minimize.js";
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
export { gelu, leakyRelu, logSoftmax, softmax } from "./ops/activation.js";
export { avgPool2d, type Conv2dOptions, conv2d, maxPool2d } from "./ops/conv.js";
export { cast } from "./ops/convert.js";
export {
  abs,
  add,
  clamp,
  cos,
  div,
  eq,
  erf,
  exp,
  ge,
  gt,
  le,
  log,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  tan,
  tanh,
  where,
} from "./ops/elementwise.js";
export { linear, softmaxCrossEntropy, squaredError } from "./ops/fused.js";
export { dot, matmul, outer } from "./ops/linalg.js";
export { type Axis, argmax, argmin, logSumExp, max, mean, min, sum } from "./ops/reduce.js";
export {
  broadcastTo,
  concat,
  flatten,
  gather,
  indexSelect,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from "./ops/shape.js";
export * as optim from "./optim/index.js";
export {
  arange,
  eye,
  type FromDataOptions,
  full,
  linspace,
  ones,
  onesLike,
  type RandomOptions,
  rand,
  randint,
  randn,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from "./tensor/creation.js";
export type { DType } from "./tensor/dtype.js";
export { Generator, manualSeed } from "./tensor/random.js";
export { type NestedArray, Tensor, type TensorLike } from "./tensor/tensor.js";
export * as train from "./train/index.js";
