/**
 * The method forms of the ops (t.add(u), t.sum(0), t.T, t.backward() ...), attached to Tensor's
 * prototype here so that the tensor layer stays free of the math. Each method is its function.
 */
import { backward } from "../autograd/graph.js";
import type { DType } from "../tensor/dtype.js";
import { Tensor, type TensorLike } from "../tensor/tensor.js";
import { gelu, leakyRelu, logSoftmax, softmax } from "./activation.js";
import { avgPool2d, type Conv2dOptions, conv2d, maxPool2d, type Pair } from "./conv.js";
import { cast } from "./convert.js";
import * as ew from "./elementwise.js";
import { matmul } from "./linalg.js";
import { type Axis, argmax, argmin, logSumExp, max, mean, min, sum } from "./reduce.js";
import * as sh from "./shape.js";
import { WALK_RULES } from "./walk-rules.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * this + other elementwise, broadcasting (NumPy rules) and promoting dtypes; see add.
     *
     * @example tensor([1, 2]).add(1).toArray(); // [2, 3]
     */
    add(other: TensorLike): Tensor;
    /** this − other elementwise, broadcasting; see sub. */
    sub(other: TensorLike): Tensor;
    /** this · other elementwise, broadcasting (matmul is the matrix product); see mul. */
    mul(other: TensorLike): Tensor;
    /** this / other elementwise, broadcasting; int32 operands divide as floats; see div. */
    div(other: TensorLike): Tensor;
    /**
     * this raised to `exponent` elementwise, in a float dtype; see pow.
     *
     * @example tensor([2, 3]).pow(2).toArray(); // [4, 9]
     */
    pow(exponent: TensorLike): Tensor;
    /** The larger of this and other elementwise, broadcasting; see maximum. */
    maximum(other: TensorLike): Tensor;
    /** The smaller of this and other elementwise, broadcasting; see minimum. */
    minimum(other: TensorLike): Tensor;
    /** −this elementwise (ints stay ints). */
    neg(): Tensor;
    /** eˣ elementwise, in a float dtype. */
    exp(): Tensor;
    /** The natural logarithm elementwise, in a float dtype (−Infinity at 0, NaN below). */
    log(): Tensor;
    /** √x elementwise, in a float dtype (NaN below 0). */
    sqrt(): Tensor;
    /** |x| elementwise (ints stay ints). */
    abs(): Tensor;
    /** x² elementwise (ints stay ints); cheaper to differentiate than pow(2). */
    square(): Tensor;
    /** sin x elementwise (radians), in a float dtype. */
    sin(): Tensor;
    /** cos x elementwise (radians), in a float dtype. */
    cos(): Tensor;
    /** tan x = sin x / cos x elementwise (radians), in a float dtype. */
    tan(): Tensor;
    /** The Gauss error function elementwise, in a float dtype. */
    erf(): Tensor;
    /** −1, 0 or 1 by the sign of each element, in this tensor's dtype; not differentiable (gradient 0). */
    sign(): Tensor;
    /**
     * Limits each element to [min, max] (null or omitted: no bound on that side); the gradient is 1 inside, 0
     * outside.
     */
    clamp(min?: number | null, max?: number | null): Tensor;
    /** σ(x) = 1 / (1 + e^(−x)) elementwise, without overflow for any x; see sigmoid. */
    sigmoid(): Tensor;
    /** The hyperbolic tangent elementwise, in a float dtype. */
    tanh(): Tensor;
    /** max(x, 0) elementwise (ints stay ints). */
    relu(): Tensor;
    /** x for x > 0, slope·x otherwise (slope defaults to 0.01). */
    leakyRelu(slope?: number): Tensor;
    /** The exact GELU x·Φ(x) = ½·x·(1 + erf(x/√2)), PyTorch's default form. */
    gelu(): Tensor;
    /** log(1 + eˣ) elementwise, without overflow. */
    softplus(): Tensor;
    /**
     * Probabilities along `axis` (default −1, the last): e^(x_i) / Σ_j e^(x_j), each slice summing to 1.
     *
     * @example tensor([1, 1]).softmax().toArray(); // [0.5, 0.5]
     */
    softmax(axis?: number): Tensor;
    /** log softmax along `axis` (default −1), computed stably as (x − m) − log Σ exp(x − m); same shape. */
    logSoftmax(axis?: number): Tensor;
    /**
     * Σ over `axis` (a number, a negative number or an array; all axes when omitted, giving a 0-d tensor).
     * keepDims keeps the reduced axes as size 1 (default false).
     *
     * @example tensor([[1, 2], [3, 4]]).sum(0).toArray(); // [4, 6]
     */
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    /** The arithmetic mean over `axis` (all axes when omitted), in a float dtype; keepDims as sum. */
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    /**
     * The largest element over `axis` (all axes when omitted); keepDims as sum. The gradient is shared among
     * ties.
     */
    max(axis?: Axis, keepDims?: boolean): Tensor;
    /**
     * The smallest element over `axis` (all axes when omitted); keepDims as sum. The gradient is shared among
     * ties.
     */
    min(axis?: Axis, keepDims?: boolean): Tensor;
    /**
     * log Σ exp(x) over `axis` (all axes when omitted), computed stably as m + log Σ exp(x − m); keepDims as
     * sum.
     */
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    /** The index of the largest element along `axis` as int32 (the first on ties); not differentiable. */
    argmax(axis: number): Tensor;
    /** The index of the smallest element along `axis` as int32 (the first on ties); not differentiable. */
    argmin(axis: number): Tensor;
    /**
     * The matrix product with torch.matmul's rules (1-D operands, broadcast batch axes); see matmul.
     *
     * @example tensor([[1, 2]]).matmul(tensor([[3], [4]])).toArray(); // [[11]]
     */
    matmul(other: Tensor): Tensor;
    /** The axes permuted by `perm` (omitted: reversed, so a matrix is transposed); see also T. */
    transpose(perm?: readonly number[]): Tensor;
    /** The transpose (axes reversed). */
    readonly T: Tensor;
    /**
     * The same elements, row-major, in a new shape; one dimension may be −1 (inferred). Throws when the sizes
     * differ.
     */
    reshape(shape: readonly number[]): Tensor;
    /** Joins the axes from `startAxis` (default 0: all of them) into one. */
    flatten(startAxis?: number): Tensor;
    /** Removes size-1 axes: all of them, or only `axis` (negative counts from the end). */
    squeeze(axis?: number): Tensor;
    /** Inserts a size-1 axis at `axis` (negative counts from the end of the result). */
    unsqueeze(axis: number): Tensor;
    /**
     * Repeats this tensor along broadcast axes to `shape` (NumPy rules); throws when it does not broadcast.
     */
    broadcastTo(shape: readonly number[]): Tensor;
    /**
     * The block [starts[i], ends[i]) along each axis: negative indices count from the end, out-of-range
     * bounds are clipped, axes past the lists are kept whole.
     *
     * @example tensor([1, 2, 3, 4]).slice([1], [3]).toArray(); // [2, 3]
     */
    slice(starts: readonly number[], ends: readonly number[]): Tensor;
    /** Zero padding: `before[i]` zeros ahead of axis i and `after[i]` behind it. */
    pad(before: readonly number[], after: readonly number[]): Tensor;
    /**
     * torch.gather: picks along `axis` by an int32 `indices` tensor of the same rank (out[i][j] =
     * x[i][indices[i][j]] for axis 1).
     */
    gather(axis: number, indices: Tensor): Tensor;
    /** The slices at `indices` along `axis` (torch.index_select); negative indices count from the end. */
    indexSelect(axis: number, indices: Tensor | readonly number[]): Tensor;
    /** this = other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    eq(other: TensorLike): Tensor;
    /** this ≠ other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    ne(other: TensorLike): Tensor;
    /** this > other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    gt(other: TensorLike): Tensor;
    /** this < other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    lt(other: TensorLike): Tensor;
    /** this ≥ other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    ge(other: TensorLike): Tensor;
    /** this ≤ other elementwise as 0/1 in a float dtype (broadcasting; no gradient). */
    le(other: TensorLike): Tensor;
    /**
     * A copy in `dtype` (differentiable between float dtypes). To int32 it truncates toward zero and
     * throws on NaN, ±Infinity or values beyond int32's range.
     */
    cast(dtype: DType): Tensor;
    /**
     * 2-D cross-correlation of this [N, C_in, H, W] with weight [C_out, C_in, kH, kW] (and optional bias
     * [C_out]); see conv2d.
     */
    conv2d(weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
    /**
     * The maximum of each kernel window of this [N, C, H, W]; stride defaults to the kernel, padding to 0;
     * see maxPool2d.
     */
    maxPool2d(kernel: Pair, stride?: Pair, padding?: Pair): Tensor;
    /**
     * The mean of each kernel window of this [N, C, H, W]; stride defaults to the kernel, padding to 0 (left
     * out of the mean); see avgPool2d.
     */
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
  backward(seed?: Tensor) { backward(this, seed, WALK_RULES); },
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
