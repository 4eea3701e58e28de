/**
 * The engine's surface: tensors, every op (functions and Tensor methods), derivatives and the
 * backend choice. The library's own layers above the engine (nn, loss, optim, minimize, expr,
 * data, io, models, train, onnx) import this file, never the public barrel (index.ts), which only
 * re-exports.
 */
import "./ops/methods.js";

export { getBackend, listBackends, ready, setBackend } from "./backend/registry.js";
export { getNumThreads, setNumThreads, type WasmInfo, wasmInfo } from "./backend/wasm/index.js";
export { type GradcheckOptions, type GradcheckResult, gradcheck } from "./derivatives/gradcheck.js";
export {
  type GradArg,
  type GradArgs,
  type GradOptions,
  grad,
  hessian,
  jacobian,
  type ManyGradOptions,
  type SingleGradOptions,
  valueAndGrad,
} from "./derivatives/transforms.js";
export { gelu, leakyRelu, logSoftmax, softmax } from "./ops/activation.js";
export { avgPool2d, type Conv2dOptions, conv2d, maxPool2d, type Pair } from "./ops/conv.js";
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
export type { DType, TypedArray } from "./tensor/dtype.js";
export { noGrad } from "./tensor/grad-mode.js";
export { Generator, manualSeed } from "./tensor/random.js";
export { formatShape, type Shape } from "./tensor/shape.js";
export { type NestedArray, Tensor, type TensorLike } from "./tensor/tensor.js";
