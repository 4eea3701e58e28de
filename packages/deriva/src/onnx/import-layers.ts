/**
 * Each step of an ONNX chain as deriva layers, with the shape of one sample followed along the way
 * (by arithmetic, never by running anything), so that weights that do not fit what they receive are
 * refused with the node's name before a layer is built.
 */
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from "../nn/activation.js";
import { BatchNorm1d, BatchNorm2d } from "../nn/batchnorm.js";
import { Flatten } from "../nn/flatten.js";
import { Linear } from "../nn/linear.js";
import type { Module } from "../nn/module.js";
import { tensor } from "../tensor/creation.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Chain, type ChainStep, nodeLabel } from "./chain.js";
import { clip, OnnxError, quote } from "./errors.js";
import {
  Attributes,
  type Context,
  constantInput,
  expectSample,
  fail,
  load,
  requiredInput,
  shaped,
} from "./import-context.js";
import { conv, pool } from "./import-spatial.js";
import type { NodeProto } from "./protobuf.js";
import { type FloatValues, readFloats, readInt64s } from "./tensor-proto.js";

/** The ops fromOnnx reads (besides Constant, and GELU written with Erf). */
export const SUPPORTED_OPS = [
  "Gemm",
  "MatMul",
  "Conv",
  "MaxPool",
  "AveragePool",
  "BatchNormalization",
  "Flatten",
  "Reshape",
  "Identity",
  "Dropout",
  "Pad (of nothing)",
  "Relu",
  "Sigmoid",
  "Tanh",
  "LeakyRelu",
  "Gelu",
  "Softmax",
] as const;

/** The layers of the chain, in order, starting from samples of `sample` shape. */
export function chainLayers(
  chain: Chain,
  input: { batch: number | null; sample: number[] },
  opset: number,
): { layers: Module[]; sample: number[] } {
  const ctx: Context = { ...input, opset, constants: chain.constants };
  const layers: Module[] = [];
  const steps = chain.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if ("gelu" in step) {
      layers.push(new GELU());
      continue;
    }
    const { node } = step;
    const next = steps[i + 1];
    if (node.opType === "MatMul" && isBiasAdd(next, ctx)) {
      layers.push(matMul(node, ctx, (next as { node: NodeProto }).node));
      i++;
      continue;
    }
    const layer = readStep(node, ctx);
    if (layer !== null) layers.push(layer);
  }
  return { layers, sample: ctx.sample };
}

function readStep(node: NodeProto, ctx: Context): Module | null {
  if (node.domain !== "" && node.domain !== "ai.onnx") unsupported(node);
  const attrs = new Attributes(node);
  switch (node.opType) {
    case "Gemm":
      return gemm(node, attrs, ctx);
    case "MatMul":
      return matMul(node, ctx, null);
    case "Conv":
      return conv(node, attrs, ctx);
    case "MaxPool":
    case "AveragePool":
      return pool(node, attrs, ctx);
    case "BatchNormalization":
      return batchNorm(node, attrs, ctx);
    case "Flatten":
      return flatten(node, attrs, ctx);
    case "Reshape":
      return reshape(node, attrs, ctx);
    case "Pad":
      return noPadding(node, attrs, ctx);
    case "Identity":
    case "Dropout":
      attrs.done();
      return null; // the identity at inference
    case "Relu":
      return attrs.done(new ReLU());
    case "Sigmoid":
      return attrs.done(new Sigmoid());
    case "Tanh":
      return attrs.done(new Tanh());
    case "LeakyRelu": {
      const alpha = attrs.float("alpha", 0.01);
      return attrs.done(new LeakyReLU(alpha));
    }
    case "Gelu":
      if (attrs.string("approximate", "none") !== "none") {
        fail(node, "the tanh approximation of GELU is not supported (deriva's GELU is exact)");
      }
      return attrs.done(new GELU());
    case "Softmax":
      return softmax(node, attrs, ctx);
    default:
      return unsupported(node);
  }
}

function unsupported(node: NodeProto): never {
  throw new OnnxError(
    `${nodeLabel(node)}: the op ${clip(node.opType)} is not supported (deriva reads ${SUPPORTED_OPS.join(", ")})`,
  );
}

/** Gemm(x, B, C) = alpha · x · B(ᵀ) + beta · C as Linear; transA is refused. */
function gemm(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  const [alpha, beta] = [attrs.float("alpha", 1), attrs.float("beta", 1)];
  const [transA, transB] = [attrs.int("transA", 0), attrs.int("transB", 0)];
  attrs.done();
  if (transA !== 0) fail(node, "transA is not supported");
  expectSample(node, ctx, 1, "[N, features]");
  const inFeatures = ctx.sample[0]!;
  const b = requiredInput(node, 1, ctx, "weight (input B)");
  if (b.dims.length !== 2) fail(node, `the weight has shape [${b.dims.join(", ")}], not a matrix`);
  const outFeatures = transB ? b.dims[0]! : b.dims[1]!;
  let weight = shaped(node, "weight", b, transB ? [outFeatures, inFeatures] : [inFeatures, outFeatures]);
  if (!transB) weight = weight.T;
  const c = constantInput(node, 2, ctx);
  const state: Record<string, Tensor> = { weight: weight.mul(alpha) };
  if (c !== null) state.bias = biasOf(node, c, outFeatures).mul(beta);
  ctx.sample = [outFeatures];
  return load(new Linear(inFeatures, outFeatures, { bias: c !== null }), state);
}

/** A bias of [out] (or [1, out], or one value for all) as a vector of `out`. */
function biasOf(node: NodeProto, v: FloatValues, out: number): Tensor {
  const size = v.values.length;
  const ok = v.dims.length <= 2 && (size === out || size === 1) && v.dims.slice(0, -1).every((d) => d === 1);
  if (!ok) fail(node, `the bias has shape [${v.dims.join(", ")}] where [${out}] fits`);
  return size === out ? tensor(v.values) : tensor(new Float32Array(out).fill(v.values[0]!));
}

/** The next step is an Add of a constant bias to the MatMul's result. */
function isBiasAdd(step: ChainStep | undefined, ctx: Context): boolean {
  if (step === undefined || !("node" in step) || step.node.opType !== "Add") return false;
  return step.node.input.filter((name) => ctx.constants.has(name)).length === 1;
}

/** MatMul(x, B) with B [in, out] (then Add of a bias) as Linear with weight Bᵀ. */
function matMul(node: NodeProto, ctx: Context, add: NodeProto | null): Module {
  new Attributes(node).done();
  if (node.input[0] !== undefined && ctx.constants.has(node.input[0])) {
    fail(node, "a constant on the left of the product is not supported");
  }
  if (ctx.sample.length < 1) fail(node, "needs inputs with a feature axis");
  const inFeatures = ctx.sample.at(-1)!;
  const b = requiredInput(node, 1, ctx, "weight (input B)");
  if (b.dims.length !== 2) fail(node, `the weight has shape [${b.dims.join(", ")}], not a matrix`);
  const outFeatures = b.dims[1]!;
  const state: Record<string, Tensor> = { weight: shaped(node, "weight", b, [inFeatures, outFeatures]).T };
  if (add !== null) {
    new Attributes(add).done();
    const biasName = add.input.find((name) => ctx.constants.has(name))!;
    state.bias = biasOf(
      add,
      readFloats(ctx.constants.get(biasName)!, `${nodeLabel(add)}: tensor ${quote(biasName)}`),
      outFeatures,
    );
  }
  ctx.sample = [...ctx.sample.slice(0, -1), outFeatures];
  return load(new Linear(inFeatures, outFeatures, { bias: add !== null }), state);
}

function batchNorm(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  const eps = attrs.float("epsilon", 1e-5);
  const momentum = attrs.float("momentum", 0.9);
  if (eps < 0) fail(node, `epsilon must be at least 0, got ${eps}`);
  if (attrs.int("training_mode", 0) !== 0)
    fail(node, "training_mode is not supported (an inference graph is)");
  attrs.int("spatial", 1);
  attrs.done();
  const rank = ctx.sample.length + 1;
  if (rank < 2 || rank > 4) fail(node, `expects inputs [N, C], [N, C, L] or [N, C, H, W], got rank ${rank}`);
  const c = ctx.sample[0]!;
  const names = ["weight", "bias", "running_mean", "running_var"] as const;
  const what = ["scale", "bias (B)", "mean", "var"];
  const state: Record<string, Tensor> = {};
  names.forEach((name, i) => {
    state[name] = shaped(node, what[i]!, requiredInput(node, i + 1, ctx, what[i]!), [c]);
  });
  // ONNX's momentum weighs the running value; deriva's the new batch
  const opts = { eps, momentum: Math.min(1, Math.max(0, 1 - momentum)) };
  return load(rank === 4 ? new BatchNorm2d(c, opts) : new BatchNorm1d(c, opts), state);
}

function flatten(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  const axis = attrs.int("axis", 1);
  attrs.done();
  const rank = ctx.sample.length + 1;
  if (axis !== 1 && axis !== 1 - rank)
    fail(node, `axis ${axis} is not supported (deriva flattens from axis 1)`);
  ctx.sample = [product(ctx.sample)];
  return new Flatten(1);
}

/**
 * A Reshape to a constant shape that keeps the leading axes and joins the rest (what x.view(N, -1)
 * and Flatten become) is a Flatten; one that changes nothing is dropped; anything else is refused.
 */
function reshape(node: NodeProto, attrs: Attributes, ctx: Context): Module | null {
  const allowZero = attrs.int("allowzero", 0);
  attrs.done();
  const name = node.input[1] ?? "";
  const t = ctx.constants.get(name);
  if (t === undefined) fail(node, "the shape must be a constant");
  const target = readInt64s(t, `${nodeLabel(node)}: tensor ${quote(name)}`);
  const input = [ctx.batch, ...ctx.sample]; // a null batch axis has any size
  const start = target.length - 1;
  const kept = (d: number, i: number) =>
    (d === 0 && allowZero === 0) || d === input[i] || (i === 0 && d === -1 && target[start] !== -1);
  const joined = product(ctx.sample.slice(Math.max(0, start - 1)));
  const ok =
    start >= 1 &&
    start < input.length &&
    target.slice(0, start).every(kept) &&
    (target[start] === -1 || target[start] === joined);
  if (!ok) {
    fail(
      node,
      `a reshape of [N, ${ctx.sample.join(", ")}] to [${target.join(", ")}] is not supported (deriva reads reshapes that flatten trailing axes)`,
    );
  }
  if (start === input.length - 1) return null;
  ctx.sample = [...ctx.sample.slice(0, start - 1), joined];
  return new Flatten(start);
}

/**
 * A Pad that adds nothing (PyTorch 1.13 writes one before each AveragePool) is dropped; a Pad that
 * adds something is refused (deriva's layers pad inside Conv2d only).
 */
function noPadding(node: NodeProto, attrs: Attributes, ctx: Context): null {
  const mode = attrs.string("mode", "constant");
  const attribute = attrs.ints("pads"); // opsets before 11
  attrs.done();
  const name = node.input[1] ?? "";
  const t = ctx.constants.get(name);
  const pads =
    attribute ?? (t === undefined ? null : readInt64s(t, `${nodeLabel(node)}: tensor ${quote(name)}`));
  if (pads === null) fail(node, "the pads must be a constant");
  if (pads.some((p) => p !== 0)) {
    fail(node, `pads [${pads.join(", ")}] (${clip(mode)}) are not supported: deriva pads inside Conv2d only`);
  }
  return null;
}

function softmax(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  const rank = ctx.sample.length + 1;
  const axis = attrs.int("axis", ctx.opset >= 13 ? -1 : 1);
  attrs.done();
  const normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) fail(node, `axis ${axis} is out of range for rank ${rank}`);
  // before opset 13, Softmax flattened the axes from `axis` on: the same only for the last axis
  if (ctx.opset < 13 && normalized !== rank - 1)
    fail(node, `axis ${axis} in opset ${ctx.opset} is not supported`);
  return new Softmax(normalized === rank - 1 ? -1 : normalized);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
