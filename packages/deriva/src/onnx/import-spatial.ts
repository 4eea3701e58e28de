/** Conv, MaxPool and AveragePool as deriva's 2-D layers: NCHW, symmetric padding, no dilation. */
import { Conv2d } from "../nn/conv.js";
import type { Module } from "../nn/module.js";
import { AvgPool2d, MaxPool2d } from "../nn/pool.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  type Attributes,
  type Context,
  constantInput,
  expectSample,
  fail,
  load,
  requiredInput,
  shaped,
} from "./import-context.js";
import type { NodeProto } from "./protobuf.js";

/** Symmetric pads [top, left, bottom, right] as [height, width]; anything else is refused. */
function symmetricPads(node: NodeProto, pads: number[] | null): [number, number] {
  if (pads === null) return [0, 0];
  const [t, l, b, r] = pads;
  if (pads.length !== 4 || t !== b || l !== r || t! < 0 || l! < 0) {
    fail(node, `pads [${pads.join(", ")}] are not supported (deriva pads both sides alike)`);
  }
  return [t!, l!];
}

function noAutoPad(node: NodeProto, attrs: Attributes): void {
  const autoPad = attrs.string("auto_pad", "NOTSET");
  if (autoPad !== "NOTSET" && autoPad !== "VALID") fail(node, `auto_pad ${autoPad} is not supported`);
}

function noDilations(node: NodeProto, attrs: Attributes): void {
  if (attrs.ints("dilations")?.some((d) => d !== 1)) fail(node, "dilations are not supported");
}

function pairOf(
  node: NodeProto,
  name: string,
  value: number[] | null,
  fallback: [number, number],
): [number, number] {
  if (value === null) return fallback;
  if (value.length !== 2 || value.some((v) => !Number.isSafeInteger(v) || v < 1)) {
    fail(node, `${name} [${value.join(", ")}] must be two positive integers (2-D only)`);
  }
  return [value[0]!, value[1]!];
}

export function conv(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  noAutoPad(node, attrs);
  noDilations(node, attrs);
  const group = attrs.int("group", 1);
  const kernelAttr = attrs.ints("kernel_shape");
  const strides = pairOf(node, "strides", attrs.ints("strides"), [1, 1]);
  const padding = symmetricPads(node, attrs.ints("pads"));
  attrs.done();
  if (group !== 1) fail(node, `group ${group} is not supported (deriva's Conv2d has one group)`);
  expectSample(node, ctx, 3, "[N, C, H, W]");
  const [inChannels, height, width] = ctx.sample as [number, number, number];
  const w = requiredInput(node, 1, ctx, "weight (input W)");
  if (w.dims.length !== 4)
    fail(node, `the weight has shape [${w.dims.join(", ")}]; deriva reads 2-D convolutions`);
  const [outChannels, , kh, kw] = w.dims as [number, number, number, number];
  const kernel = pairOf(node, "kernel_shape", kernelAttr, [kh, kw]);
  const state: Record<string, Tensor> = {
    weight: shaped(node, "weight", w, [outChannels, inChannels, kernel[0], kernel[1]]),
  };
  const b = constantInput(node, 2, ctx);
  if (b !== null) state.bias = shaped(node, "bias", b, [outChannels]);
  ctx.sample = [outChannels, ...windows(node, [height, width], kernel, strides, padding)];
  return load(
    new Conv2d(inChannels, outChannels, kernel, { stride: strides, padding, bias: b !== null }),
    state,
  );
}

/** Output height and width: ⌊(size + 2·pad − kernel) / stride⌋ + 1, which must be at least 1. */
function windows(
  node: NodeProto,
  size: [number, number],
  kernel: [number, number],
  stride: [number, number],
  pad: [number, number],
): [number, number] {
  const out = size.map((s, i) => Math.floor((s + 2 * pad[i]! - kernel[i]!) / stride[i]!) + 1);
  if (out.some((o) => o < 1)) {
    fail(node, `a ${kernel.join("×")} window does not fit inputs of ${size.join("×")}`);
  }
  return out as [number, number];
}

export function pool(node: NodeProto, attrs: Attributes, ctx: Context): Module {
  noAutoPad(node, attrs);
  const kernelAttr = attrs.ints("kernel_shape");
  if (kernelAttr === null) fail(node, "kernel_shape is missing");
  const kernel = pairOf(node, "kernel_shape", kernelAttr, [1, 1]);
  const strides = pairOf(node, "strides", attrs.ints("strides"), [1, 1]);
  const [padH, padW] = symmetricPads(node, attrs.ints("pads"));
  const ceil = attrs.int("ceil_mode", 0);
  noDilations(node, attrs);
  if (node.opType === "MaxPool") attrs.int("storage_order", 0);
  else attrs.int("count_include_pad", 0); // no padding: it changes nothing
  attrs.done();
  if (padH !== 0 || padW !== 0) fail(node, "padding is not supported in pooling");
  if (ceil !== 0) fail(node, "ceil_mode is not supported");
  expectSample(node, ctx, 3, "[N, C, H, W]");
  const [channels, height, width] = ctx.sample as [number, number, number];
  ctx.sample = [channels, ...windows(node, [height, width], kernel, strides, [0, 0])];
  return node.opType === "MaxPool" ? new MaxPool2d(kernel, strides) : new AvgPool2d(kernel, strides);
}
