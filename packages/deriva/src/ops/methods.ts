/**
 * The method forms of the ops (t.add(u), t.sum(0), t.T, t.backward() ...), attached to Tensor's
 * prototype here so that the tensor layer stays free of the math. Each method is its function.
 */
import { backward } from "../autograd/graph.js";
import type { DType } from "../tensor/dtype.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { gelu, leakyRelu, logSoftmax, softmax } from "./activation.js";
import { avgPool2d, type Conv2dOptions, conv2d, maxPool2d } from "./conv.js";
import { cast } from "./convert.js";
import * as ew from "./elementwise.js";
import { matmul } from "./linalg.js";
import { type Axis, argmax, argmin, logSumExp, max, mean, min, sum } from "./reduce.js";
import * as sh from "./shape.js";

type Pair = number | readonly [number, number];

declare module "../tensor/tensor.js" {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    square(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    erf(): Tensor;
    sign(): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    leakyRelu(slope?: number): Tensor;
    gelu(): Tensor;
    softplus(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    argmax(axis: number): Tensor;
    argmin(axis: number): Tensor;
    matmul(other: Tensor): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    /** The transpose (axes reversed). */
    readonly T: Tensor;
    reshape(shape: readonly number[]): Tensor;
    flatten(startAxis?: number): Tensor;
    squeeze(axis?: number): Tensor;
    unsqueeze(axis: number): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    slice(starts: readonly number[], ends: readonly number[]): Tensor;
    pad(before: readonly number[], after: readonly number[]): Tensor;
    gather(axis: number, indices: Tensor): Tensor;
    indexSelect(axis: number, indices: Tensor | readonly number[]): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    cast(dtype: DType): Tensor;
    conv2d(weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
    maxPool2d(kernel: Pair, stride?: Pair, padding?: Pair): Tensor;
    avgPool2d(kernel: Pair, stride?: Pair, padding?: Pair): Tensor;
    /** Accumulates gradients into the .grad of every leaf this tensor depends on (seed defaults to 1). */
    backward(seed?: Tensor): void;
  }
}

// biome-ignore format: one line per method reads as a table
const methods: { [K in keyof Tensor]?: (this: Tensor, ...args: never[]) => unknown } = {
  add(other: TensorLike) { return ew.add(this, other); },
  sub(other: TensorLike) { return ew.sub(this, other); },
  mul(other: TensorLike) { return ew.mul(this, other); },
  div(other: TensorLike) { return ew.div(this, other); },
  pow(exponent: TensorLike) { return ew.pow(this, exponent); },
  maximum(other: TensorLike) { return ew.maximum(this, other); },
  minimum(other: TensorLike) { return ew.minimum(this, other); },
  neg() { return ew.neg(this); },
  exp() { return ew.exp(this); },
  log() { return ew.log(this); },
  sqrt() { return ew.sqrt(this); },
  abs() { return ew.abs(this); },
  square() { return ew.square(this); },
  sin() { return ew.sin(this); },
  cos() { return ew.cos(this); },
  tan() { return ew.tan(this); },
  erf() { return ew.erf(this); },
  sign() { return ew.sign(this); },
  clamp(lo?: number | null, hi?: number | null) { return ew.clamp(this, lo, hi); },
  sigmoid() { return ew.sigmoid(this); },
  tanh() { return ew.tanh(this); },
  relu() { return ew.relu(this); },
  leakyRelu(slope?: number) { return leakyRelu(this, slope); },
  gelu() { return gelu(this); },
  softplus() { return ew.softplus(this); },
  softmax(axis?: number) { return softmax(this, axis); },
  logSoftmax(axis?: number) { return logSoftmax(this, axis); },
  sum(axis?: Axis, keepDims?: boolean) { return sum(this, axis, keepDims); },
  mean(axis?: Axis, keepDims?: boolean) { return mean(this, axis, keepDims); },
  max(axis?: Axis, keepDims?: boolean) { return max(this, axis, keepDims); },
  min(axis?: Axis, keepDims?: boolean) { return min(this, axis, keepDims); },
  logSumExp(axis?: Axis, keepDims?: boolean) { return logSumExp(this, axis, keepDims); },
  argmax(axis: number) { return argmax(this, axis); },
  argmin(axis: number) { return argmin(this, axis); },
  matmul(other: Tensor) { return matmul(this, other); },
  transpose(perm?: readonly number[]) { return sh.transpose(this, perm); },
  reshape(shape: readonly number[]) { return sh.reshape(this, shape); },
  flatten(startAxis?: number) { return sh.flatten(this, startAxis); },
  squeeze(axis?: number) { return sh.squeeze(this, axis); },
  unsqueeze(axis: number) { return sh.unsqueeze(this, axis); },
  broadcastTo(shape: readonly number[]) { return sh.broadcastTo(this, shape); },
  slice(starts: readonly number[], ends: readonly number[]) { return sh.slice(this, starts, ends); },
  pad(before: readonly number[], after: readonly number[]) { return sh.pad(this, before, after); },
  gather(axis: number, indices: Tensor) { return sh.gather(this, axis, indices); },
  indexSelect(axis: number, indices: Tensor | readonly number[]) { return sh.indexSelect(this, axis, indices); },
  eq(other: TensorLike) { return ew.eq(this, other); },
  ne(other: TensorLike) { return ew.ne(this, other); },
  gt(other: TensorLike) { return ew.gt(this, other); },
  lt(other: TensorLike) { return ew.lt(this, other); },
  ge(other: TensorLike) { return ew.ge(this, other); },
  le(other: TensorLike) { return ew.le(this, other); },
  cast(dtype: DType) { return cast(this, dtype); },
  conv2d(weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions) { return conv2d(this, weight, bias, options); },
  maxPool2d(kernel: Pair, stride?: Pair, padding?: Pair) { return maxPool2d(this, kernel, stride, padding); },
  avgPool2d(kernel: Pair, stride?: Pair, padding?: Pair) { return avgPool2d(this, kernel, stride, padding); },
  backward(seed?: Tensor) { backward(this, seed, ew.add); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) {
    return sh.transpose(this);
  },
  configurable: true,
});
