/** Neural-network layers and containers (PyTorch's torch.nn, built on the public tensor API). */

export type { FloatDType } from "../tensor/dtype.js";
export { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from "./batchnorm.js";
export { fromConfig } from "./config.js";
export type * from "./config-types.js";
export { Conv2d, type Conv2dLayerOptions } from "./conv.js";
export { Dropout, type DropoutOptions } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { Linear, type LinearOptions } from "./linear.js";
export { type LoadStateDictOptions, type LoadStateDictResult, Module } from "./module.js";
export { AvgPool2d, MaxPool2d } from "./pool.js";
export { Sequential } from "./sequential.js";
