/**
 * 2-D convolution and pooling on NCHW. conv2d, its input gradient and its filter gradient are
 * three linear maps that are each other's transposes, so each one's derivative is another of the
 * three: derivatives of any order come for free.
 */
import type { Conv2dParams, Pool2dParams } from "../backend/backend.js";
import { backend } from "../backend/registry.js";
import { checkOptions, checkTensor, describeValue } from "../tensor/arguments.js";
import type { FloatArray } from "../tensor/dtype.js";
import { formatShape, sizeOf } from "../tensor/shape.js";
import { allocateResult } from "../tensor/slab.js";
import { Tensor } from "../tensor/tensor.js";
import { asFloat, promotePair } from "./convert.js";
import { reluGrad } from "./elementwise.js";
import { apply, type OpDef } from "./op.js";
import { sum } from "./reduce.js";
import { type IndexAttrs, takeOp } from "./shape.js";

/** Options of conv2d; sizes are in pixels. */
export interface Conv2dOptions {
  /** Step between windows: one number for both axes or [h, w]. Default 1. */
  stride?: number | readonly [number, number];
  /** Zeros added on each side: one number or [h, w]. Default 0. */
  padding?: number | readonly [number, number];
}

export interface ConvAttrs {
  readonly stride: [number, number];
  readonly padding: [number, number];
  /** Shape of the convolution's input x (needed to invert the size arithmetic). */
  readonly inputShape: readonly number[];
  readonly weightShape: readonly number[];
}

function pair(
  op: string,
  name: string,
  value: number | readonly [number, number] | undefined,
  fallback: number,
): [number, number] {
  const p: [number, number] | null =
    value === undefined
      ? [fallback, fallback]
      : typeof value === "number"
        ? [value, value]
        : Array.isArray(value) && value.length === 2
          ? [value[0], value[1]]
          : null;
  if (p === null || !p.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new Error(
      `${op}: ${name} must be a non-negative integer or a pair [h, w] of them, got ${describeValue(value)}`,
    );
  }
  return p;
}

/** The kernel geometry of a convolution: sizes, strides, padding and the output size. */
export function convParams({ stride, padding, inputShape, weightShape }: ConvAttrs): Conv2dParams {
  const [n, cIn, h, w] = inputShape as [number, number, number, number];
  const [cOut, , kh, kw] = weightShape as [number, number, number, number];
  return {
    n,
    cIn,
    h,
    w,
    cOut,
    kh,
    kw,
    strideH: stride[0],
    strideW: stride[1],
    padH: padding[0],
    padW: padding[1],
    outH: Math.floor((h + 2 * padding[0] - kh) / stride[0]) + 1,
    outW: Math.floor((w + 2 * padding[1] - kw) / stride[1]) + 1,
  };
}

export const conv2dOp: OpDef<ConvAttrs> = {
  name: "conv2d",
  forward([x, weight, bias], attrs) {
    const p = convParams(attrs);
    const out = allocateResult(x!.dtype, p.n * p.cOut * p.outH * p.outW) as FloatArray;
    backend().conv2d(
      x!.storage as FloatArray,
      weight!.storage as FloatArray,
      (bias?.storage as FloatArray) ?? null,
      out,
      p,
    );
    return new Tensor(out, [p.n, p.cOut, p.outH, p.outW]);
  },
  vjp: (g, [x, weight, bias], _output, attrs) => [
    x!.requiresGrad ? apply(conv2dInputGradOp, [g, weight!], attrs) : null,
    weight!.requiresGrad ? apply(conv2dFilterGradOp, [x!, g], attrs) : null,
    bias?.requiresGrad ? sum(g, [0, 2, 3]) : null,
  ],
};

/** dx = Cᵀ_w g. Bilinear in (g, w): ⟨u, Cᵀ_w g⟩ = ⟨C_w u, g⟩, so ∂/∂g = C_w u and ∂/∂w = filterGrad(u, g). */
export const conv2dInputGradOp: OpDef<ConvAttrs> = {
  name: "conv2dInputGrad",
  forward([g, weight], attrs) {
    const p = convParams(attrs);
    const out = allocateResult(g!.dtype, sizeOf(attrs.inputShape)) as FloatArray;
    backend().conv2dBackwardInput(g!.storage as FloatArray, weight!.storage as FloatArray, out, p);
    return new Tensor(out, attrs.inputShape);
  },
  vjp: (u, [g, weight], _output, attrs) => [
    g!.requiresGrad ? apply(conv2dOp, [u, weight!], attrs) : null,
    weight!.requiresGrad ? apply(conv2dFilterGradOp, [u, g!], attrs) : null,
  ],
};

/** dw = F(x, g) with ⟨F(x, g), v⟩ = ⟨g, C_v x⟩, so ∂/∂x = inputGrad(g, v) and ∂/∂g = C_v x. */
export const conv2dFilterGradOp: OpDef<ConvAttrs> = {
  name: "conv2dFilterGrad",
  forward([x, g], attrs) {
    const p = convParams(attrs);
    const out = allocateResult(x!.dtype, sizeOf(attrs.weightShape)) as FloatArray;
    backend().conv2dBackwardFilter(x!.storage as FloatArray, g!.storage as FloatArray, out, p);
    return new Tensor(out, attrs.weightShape);
  },
  vjp: (v, [x, g], _output, attrs) => [
    x!.requiresGrad ? apply(conv2dInputGradOp, [g!, v], attrs) : null,
    g!.requiresGrad ? apply(conv2dOp, [x!, v], attrs) : null,
  ],
};

/**
 * 2-D cross-correlation (PyTorch's conv2d): x [N, C_in, H, W], weight [C_out, C_in, kH, kW],
 * optional bias [C_out] → [N, C_out, H_out, W_out] with H_out = ⌊(H + 2·pad − kH) / stride⌋ + 1.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const { inputs, attrs } = conv2dAttrs("conv2d", x, weight, bias ?? null, options);
  return apply(conv2dOp, inputs, attrs);
}

/**
 * conv2d's checks and conversions: x, weight and bias (when given) brought to one float dtype,
 * and the attributes. `op` names the caller in errors.
 */
export function conv2dAttrs(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  options: Conv2dOptions,
): { inputs: Tensor[]; attrs: ConvAttrs } {
  checkTensor(op, "x", x);
  checkTensor(op, "weight", weight);
  if (bias !== null) checkTensor(op, "bias", bias);
  checkOptions(op, options, "{ stride: 2, padding: 1 }");
  const [fx, fw] = promotePair(asFloat(x), asFloat(weight));
  if (fx.ndim !== 4 || fw.ndim !== 4) {
    throw new Error(
      `${op}: expected x [N, C, H, W] and weight [C_out, C_in, kH, kW], got ${formatShape(x.shape)} and ${formatShape(weight.shape)}`,
    );
  }
  if (fx.shape[1] !== fw.shape[1]) {
    throw new Error(
      `${op}: x ${formatShape(fx.shape)} has ${fx.shape[1]} channels but weight ${formatShape(fw.shape)} expects ${fw.shape[1]}`,
    );
  }
  const attrs: ConvAttrs = {
    stride: pair(op, "stride", options.stride, 1),
    padding: pair(op, "padding", options.padding, 0),
    inputShape: fx.shape,
    weightShape: fw.shape,
  };
  if (attrs.stride[0] === 0 || attrs.stride[1] === 0) throw new Error(`${op}: stride must be positive`);
  const p = convParams(attrs);
  if (p.outH <= 0 || p.outW <= 0) {
    throw new Error(
      `${op}: kernel ${p.kh}×${p.kw} is larger than the padded input ${p.h + 2 * p.padH}×${p.w + 2 * p.padW}`,
    );
  }
  const inputs = [fx, fw];
  if (bias) {
    const [, fb] = promotePair(fx, asFloat(bias));
    if (fb.ndim !== 1 || fb.shape[0] !== p.cOut) {
      throw new Error(`${op}: bias must have shape [${p.cOut}], got ${formatShape(bias.shape)}`);
    }
    inputs.push(fb);
  }
  return { inputs, attrs };
}

// ── pooling ────────────────────────────────────────────────────────────────────────────

/** A size in pixels for both spatial axes (one number), or [height, width]. */
export type Pair = number | readonly [number, number];

export interface PoolAttrs {
  readonly params: Pool2dParams;
  readonly inputShape: readonly number[];
}

/** A pooling's geometry on an input of `shape` [N, C, H, W], checked (`op` names the caller in errors). */
export function poolParams(
  op: string,
  shape: readonly number[],
  kernel: Pair,
  stride: Pair | undefined,
  padding: Pair | undefined,
): Pool2dParams {
  if (shape.length !== 4) throw new Error(`${op}: expected x [N, C, H, W], got ${formatShape(shape)}`);
  const [kh, kw] = pair(op, "kernel", kernel, 1);
  const [strideH, strideW] = pair(op, "stride", stride ?? [kh, kw], 1);
  const [padH, padW] = pair(op, "padding", padding, 0);
  if (kh === 0 || kw === 0 || strideH === 0 || strideW === 0)
    throw new Error(`${op}: kernel and stride must be positive`);
  // as in PyTorch: every window must overlap the input
  if (2 * padH > kh || 2 * padW > kw)
    throw new Error(`${op}: padding ${padH}×${padW} must be at most half the kernel ${kh}×${kw}`);
  const [n, c, h, w] = shape as [number, number, number, number];
  if (kh > h + 2 * padH || kw > w + 2 * padW)
    throw new Error(
      `${op}: kernel ${kh}×${kw} is larger than the padded input ${h + 2 * padH}×${w + 2 * padW}`,
    );
  const outH = Math.floor((h + 2 * padH - kh) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - kw) / strideW) + 1;
  return { n, c, h, w, kh, kw, strideH, strideW, padH, padW, outH, outW };
}

/**
 * Max over each kernel window of x [N, C, H, W] → [N, C, H_out, W_out], H_out = ⌊(H + 2·pad − kH) / stride⌋ + 1.
 * stride defaults to the kernel; padding (at most half the kernel) never wins the max.
 * The gradient goes to each window's maximum. Example: maxPool2d(x, 2) halves H and W.
 */
export function maxPool2d(x: Tensor, kernel: Pair, stride?: Pair, padding?: Pair): Tensor {
  checkTensor("maxPool2d", "x", x);
  const fx = asFloat(x);
  const params = poolParams("maxPool2d", fx.shape, kernel, stride, padding);
  const shape = [params.n, params.c, params.outH, params.outW];
  // the kernel fills the argmax when the op runs; the derivative scatters to it
  const indices = new Int32Array(sizeOf(shape));
  return apply(maxPool2dOp, [fx], { params, indices, shape, sourceShape: fx.shape });
}

/**
 * The pooled maxima and, into `indices`, where each came from. Its derivative adds the gradient
 * at those places (maxPool2dGradOp), whose own derivative takes from them, so maxPool2d
 * differentiates to any order.
 */
export const maxPool2dOp: OpDef<IndexAttrs & { readonly params: Pool2dParams }> = {
  name: "maxPool2d",
  forward([x], { params, indices, shape }) {
    const out = allocateResult(x!.dtype, indices.length) as FloatArray;
    backend().maxPool2d(x!.storage as FloatArray, out, indices, params);
    return new Tensor(out, shape);
  },
  vjp: (g, _inputs, _output, attrs) => [apply(maxPool2dGradOp, [g], attrs)],
};

/**
 * The transpose of max pooling (linear): each window's gradient added at its maximum, a
 * scatter-add whose indices stay in their plane (which lets the backend split it by plane).
 */
export const maxPool2dGradOp: OpDef<IndexAttrs & { readonly params: Pool2dParams }> = {
  name: "maxPool2dGrad",
  forward([g], { params, indices, sourceShape }) {
    const out = allocateResult(g!.dtype, sizeOf(sourceShape)) as FloatArray;
    backend().maxPool2dBackward(g!.storage as FloatArray, indices, out, params);
    return new Tensor(out, sourceShape);
  },
  vjp: (u, _inputs, _output, attrs) => [apply(takeOp, [u], attrs)],
};

/**
 * What a fused op that ends in max pooling carries about it (ops/conv-pool.ts, ops/norm-pool.ts):
 * the pooling's geometry, where each maximum came from, and whether a relu follows the pooling.
 */
export interface PoolingAttrs extends IndexAttrs {
  readonly params: Pool2dParams;
  readonly relu: boolean;
}

/** PoolingAttrs for pooling an input of `shape` (`op` names the caller in errors); the argmax is filled later. */
export function poolingAttrs(
  op: string,
  shape: readonly number[],
  kernel: Pair,
  stride: Pair | undefined,
  relu: boolean,
): PoolingAttrs {
  const params = poolParams(op, shape, kernel, stride, undefined);
  const pooled = [params.n, params.c, params.outH, params.outW];
  return { params, relu, indices: new Int32Array(sizeOf(pooled)), shape: pooled, sourceShape: shape };
}

/**
 * The gradient of the tensor a fused op pooled, from the gradient g of its output y, written with
 * ops so that it differentiates again: back through the relu when there is one, then the pooling.
 */
export function unpooledGrad(g: Tensor, y: Tensor, attrs: PoolingAttrs): Tensor {
  return apply(maxPool2dGradOp, [attrs.relu ? reluGrad(g, y) : g], attrs);
}

export const avgPool2dOp: OpDef<PoolAttrs> = {
  name: "avgPool2d",
  forward([x], { params: p }) {
    const out = allocateResult(x!.dtype, p.n * p.c * p.outH * p.outW) as FloatArray;
    backend().avgPool2d(x!.storage as FloatArray, out, p);
    return new Tensor(out, [p.n, p.c, p.outH, p.outW]);
  },
  vjp: (g, _inputs, _output, attrs) => [apply(avgPool2dGradOp, [g], attrs)],
};

/** The transpose of average pooling (linear), whose own derivative is average pooling again. */
export const avgPool2dGradOp: OpDef<PoolAttrs> = {
  name: "avgPool2dGrad",
  forward([g], { params, inputShape }) {
    const out = allocateResult(g!.dtype, sizeOf(inputShape)) as FloatArray;
    backend().avgPool2dBackward(g!.storage as FloatArray, out, params);
    return new Tensor(out, inputShape);
  },
  vjp: (u, _inputs, _output, attrs) => [apply(avgPool2dOp, [u], attrs)],
};

/**
 * Mean over each kernel window of x [N, C, H, W] (shapes as maxPool2d). stride defaults to the kernel;
 * padded positions are left out of the mean (PyTorch's count_include_pad=False).
 */
export function avgPool2d(x: Tensor, kernel: Pair, stride?: Pair, padding?: Pair): Tensor {
  checkTensor("avgPool2d", "x", x);
  const fx = asFloat(x);
  const params = poolParams("avgPool2d", fx.shape, kernel, stride, padding);
  return apply(avgPool2dOp, [fx], { params, inputShape: fx.shape });
}
