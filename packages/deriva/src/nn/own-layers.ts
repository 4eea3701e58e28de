/** Which models are built from nn's own layers only (what train.fit may rely on to reuse a step's memory). */
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
import { BatchNorm1d, BatchNorm2d } from "./batchnorm.js";
import { Conv2d } from "./conv.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { AvgPool2d, MaxPool2d } from "./pool.js";
import { Sequential } from "./sequential.js";

/** nn's layers, none of whose forward passes keeps a tensor it receives or makes (batch norm updates its running statistics in place). */
const OWN_LAYERS: ReadonlySet<unknown> = new Set([
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  GELU,
  LeakyReLU,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
]);

/**
 * Whether `model` and every module under it is an instance of one of nn's own layers exactly (a
 * subclass may override forward and keep what it is given): then a caller of model.forward holds
 * the only references to the results the pass makes.
 */
export function onlyOwnLayers(model: Module): boolean {
  return model.namedModules().every(([, m]) => OWN_LAYERS.has(m.constructor));
}
