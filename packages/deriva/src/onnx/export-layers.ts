/**
 * Each deriva layer as ONNX nodes. Weights become float32 initializers named as in the model's
 * stateDict (`1.weight`), so the file reads like the PyTorch model of the same layers.
 */
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from "../nn/activation.js";
import { BatchNorm1d, BatchNorm2d } from "../nn/batchnorm.js";
import { Conv2d } from "../nn/conv.js";
import { Dropout } from "../nn/dropout.js";
import { Flatten } from "../nn/flatten.js";
import { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import { AvgPool2d, MaxPool2d } from "../nn/pool.js";
import type { Tensor } from "../tensor/tensor.js";
import { OnnxError } from "./errors.js";
import type { GraphBuilder } from "./graph-builder.js";
import { GELU_OPSET } from "./opsets.js";

/** One layer in the chain: its dotted name in the model and the shape it receives (batch of 1). */
export interface LayerSite {
  name: string;
  layer: Module;
  inputShape: readonly number[];
}

/** Writes the nodes of one layer reading `input`; returns the value it produces (`input` itself for Dropout). */
export function emitLayer(b: GraphBuilder, site: LayerSite, input: string): string {
  const { name, layer, inputShape } = site;
  const rank = inputShape.length;
  if (layer instanceof Linear) return emitLinear(b, name, layer, input, rank);
  if (layer instanceof Conv2d) return emitConv(b, name, layer, input);
  if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
    return b.node(name, layer instanceof MaxPool2d ? "MaxPool" : "AveragePool", [input], {
      kernel_shape: { ints: layer.kernelSize },
      strides: { ints: layer.stride },
    });
  }
  if (layer instanceof BatchNorm1d || layer instanceof BatchNorm2d)
    return emitBatchNorm(b, name, layer, input);
  if (layer instanceof Dropout) return input; // the identity at inference
  if (layer instanceof Flatten) return emitFlatten(b, name, layer, input, rank);
  if (layer instanceof ReLU) return b.node(name, "Relu", [input]);
  if (layer instanceof Sigmoid) return b.node(name, "Sigmoid", [input]);
  if (layer instanceof Tanh) return b.node(name, "Tanh", [input]);
  if (layer instanceof LeakyReLU)
    return b.node(name, "LeakyRelu", [input], { alpha: { float: layer.slope } });
  if (layer instanceof GELU) return emitGelu(b, name, input);
  if (layer instanceof Softmax) return b.node(name, "Softmax", [input], { axis: { int: layer.axis } });
  throw new OnnxError(
    `toOnnx: layer ${name} (${layer.constructor.name}) has no ONNX form (deriva writes its built-in layers)`,
  );
}

/** y = x Wᵀ + b: Gemm for [N, in] inputs; MatMul with Wᵀ, then Add, for [N, …, in]. */
function emitLinear(b: GraphBuilder, name: string, layer: Linear, input: string, rank: number): string {
  const weight = layer.weight;
  const w =
    rank === 2
      ? b.floats(`${name}.weight`, weight.shape, floats(weight))
      : b.floats(`${name}.weight_transposed`, [layer.inFeatures, layer.outFeatures], floats(weight.T));
  const bias = layer.bias && b.floats(`${name}.bias`, [layer.outFeatures], floats(layer.bias));
  if (rank === 2) return b.node(name, "Gemm", bias ? [input, w, bias] : [input, w], { transB: { int: 1 } });
  const product = b.node(name, "MatMul", [input, w]);
  return bias ? b.node(name, "Add", [product, bias]) : product;
}

function emitConv(b: GraphBuilder, name: string, layer: Conv2d, input: string): string {
  const w = b.floats(`${name}.weight`, layer.weight.shape, floats(layer.weight));
  const inputs = [input, w];
  if (layer.bias) inputs.push(b.floats(`${name}.bias`, [layer.outChannels], floats(layer.bias)));
  const [ph, pw] = layer.padding;
  return b.node(name, "Conv", inputs, {
    kernel_shape: { ints: layer.kernelSize },
    strides: { ints: layer.stride },
    pads: { ints: [ph, pw, ph, pw] },
  });
}

/** The inference form: (x − running_mean) / √(running_var + eps) · weight + bias. */
function emitBatchNorm(
  b: GraphBuilder,
  name: string,
  layer: BatchNorm1d | BatchNorm2d,
  input: string,
): string {
  const c = layer.numFeatures;
  const scale = layer.weight ? floats(layer.weight) : new Float32Array(c).fill(1);
  const shift = layer.bias ? floats(layer.bias) : new Float32Array(c);
  const inputs = [
    input,
    b.floats(`${name}.weight`, [c], scale),
    b.floats(`${name}.bias`, [c], shift),
    b.floats(`${name}.running_mean`, [c], floats(layer.runningMean)),
    b.floats(`${name}.running_var`, [c], floats(layer.runningVar)),
  ];
  // ONNX's momentum weighs the running value, deriva's (and PyTorch's) the batch
  return b.node(name, "BatchNormalization", inputs, {
    epsilon: { float: layer.eps },
    momentum: { float: 1 - layer.momentum },
  });
}

/** Flatten from axis 1 is ONNX's Flatten; other start axes keep their leading axes by a Reshape. */
function emitFlatten(b: GraphBuilder, name: string, layer: Flatten, input: string, rank: number): string {
  const start = layer.startAxis < 0 ? layer.startAxis + rank : layer.startAxis;
  if (start === 1) return b.node(name, "Flatten", [input], { axis: { int: 1 } });
  // 0 copies the input's axis (allowzero is off), −1 takes what is left
  const shape = b.int64s(`${name}.shape`, [...new Array<number>(start).fill(0), -1]);
  return b.node(name, "Reshape", [input, shape]);
}

/** Gelu from opset 20; below, x · ½(1 + erf(x / √2)), the nodes PyTorch writes for nn.GELU(). */
function emitGelu(b: GraphBuilder, name: string, input: string): string {
  if (b.opset >= GELU_OPSET) return b.node(name, "Gelu", [input], { approximate: { string: "none" } });
  const scaled = b.node(name, "Div", [input, b.scalar(`${name}.sqrt2`, Math.SQRT2)]);
  const erf = b.node(name, "Erf", [scaled]);
  const onePlus = b.node(name, "Add", [erf, b.scalar(`${name}.one`, 1)]);
  const product = b.node(name, "Mul", [input, onePlus]);
  return b.node(name, "Mul", [product, b.scalar(`${name}.half`, 0.5)]);
}

function floats(t: Tensor): Float32Array {
  return Float32Array.from(t.data());
}
