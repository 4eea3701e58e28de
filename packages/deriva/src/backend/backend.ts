/**
 * The kernel interface: the narrow waist between the op layer and the machines that compute.
 *
 * A backend sees only its storage (storage.ts: flat row-major typed arrays on the CPU backends),
 * shapes, strides and small parameter records. It never sees tensors, autograd or user input: the
 * op layer has already validated shapes and dtypes and allocated every output array (so `out`
 * arguments are always correctly sized, of the dtype the op wants, and never alias an input).
 * Inputs must not be modified; only the in-place update kernels of storage.ts write their first argument.
 *
 * The pure-TypeScript backend (`js/`) is the living specification; every other backend must agree
 * with it on the conformance suite.
 */
import type { FloatArray, TypedArray } from "./arrays.js";
import type { StorageKernels } from "./storage.js";

export type UnaryOp =
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "sin"
  | "cos"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "erf"
  | "softplus"
  | "sign";

/** Unary ops whose derivative a backend computes from the op's output (see unaryGrad). */
export type UnaryGradOp = "sigmoid" | "tanh" | "relu";

/** Binary elementwise ops. Comparisons write 1 or 0. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "eq"
  | "ne"
  | "gt"
  | "lt"
  | "ge"
  | "le";

export type ReduceOp = "sum" | "max" | "min";
export type ArgReduceOp = "argmax" | "argmin";

/** C = op(A)·op(B) for `batch` matrix pairs; op(A) is [m, k], op(B) is [k, n], C is [m, n] contiguous. */
export interface MatmulParams {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A is stored as [k, m] (read transposed). */
  readonly transA: boolean;
  /** B is stored as [n, k] (read transposed). */
  readonly transB: boolean;
  /** Element offset of each batch's A (and B) matrix; lets batch dims broadcast. Length `batch`. */
  readonly aOffsets: Int32Array;
  readonly bOffsets: Int32Array;
}

/** NCHW convolution geometry: x [n, cIn, h, w], weight [cOut, cIn, kh, kw], out [n, cOut, outH, outW]. */
export interface Conv2dParams {
  readonly n: number;
  readonly cIn: number;
  readonly h: number;
  readonly w: number;
  readonly cOut: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * Batch normalization's layout: x is [n, c, spatial] (spatial = H·W for images, 1 for [N, C]); each
 * channel's statistics run over its n·spatial elements.
 */
export interface BatchNormParams {
  readonly n: number;
  readonly c: number;
  readonly spatial: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
}

/** NCHW pooling geometry: x [n, c, h, w] → out [n, c, outH, outW]; padding counts as -∞ (max) or is excluded (avg). */
export interface Pool2dParams {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly outH: number;
  readonly outW: number;
}

/** A backend: its storage (allocate, upload, download, read, in-place updates) and its kernels. */
export interface Backend extends StorageKernels {
  readonly name: string;

  /** out[i] = op(x[i]); x and out have the same length (and dtype, except `sign` on ints). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;

  /**
   * out[i] = g[i]·f′(x[i]) for f = op, written through its output y = f(x): y·(1 − y) for sigmoid,
   * 1 − y² for tanh, and for relu g[i] where y[i] > 0, else 0 (as PyTorch's threshold backward: an
   * infinite g where y is 0 gives 0, not NaN). The backward pass of the op in one loop rather than
   * two or three elementwise calls.
   * g, y and out have the same length and float dtype.
   */
  unaryGrad(op: UnaryGradOp, g: FloatArray, y: FloatArray, out: FloatArray): void;

  /**
   * out[idx] = op(a[idx·aStrides], b[idx·bStrides]) over every multi-index idx of `outShape`.
   * Strides are 0 on broadcast axes. a and b share a dtype; out has it too, or is float for comparisons.
   */
  binary(
    op: BinaryOp,
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;

  /** out = cond ≠ 0 ? a : b, each read with its broadcast strides over `outShape`. */
  where(
    cond: TypedArray,
    condStrides: readonly number[],
    a: TypedArray,
    aStrides: readonly number[],
    b: TypedArray,
    bStrides: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;

  /** Reduces x (of `shape`) over the sorted unique `axes`; out holds the remaining axes in order. */
  reduce(
    op: ReduceOp,
    x: TypedArray,
    shape: readonly number[],
    axes: readonly number[],
    out: TypedArray,
  ): void;

  /** Index of the largest (smallest) element along one axis; the first one on ties. */
  argReduce(op: ArgReduceOp, x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void;

  /** Converts element by element (float → int32 truncates toward zero). */
  cast(x: TypedArray, out: TypedArray): void;

  /**
   * Strided gather into a contiguous array: out[idx] = x[offset + idx·strides] over `outShape`.
   * Transpose, slice and broadcast are all this kernel with different strides.
   */
  strided(
    x: TypedArray,
    offset: number,
    strides: readonly number[],
    out: TypedArray,
    outShape: readonly number[],
  ): void;

  /** Strided scatter: out[offset + idx·strides] = x[idx] over `shape` (x contiguous). Used by pad and concat. */
  stridedWrite(
    x: TypedArray,
    shape: readonly number[],
    out: TypedArray,
    offset: number,
    strides: readonly number[],
  ): void;

  /** out[i] = x[indices[i]]. */
  take(x: TypedArray, indices: Int32Array, out: TypedArray): void;

  /** Rows of `rowSize` elements: out[k·rowSize + i] = x[rows[k]·rowSize + i] (batches of samples). */
  takeRows(x: TypedArray, rowSize: number, rows: Int32Array, out: TypedArray): void;

  /** out[indices[i]] += values[i]; out arrives zero-filled. */
  scatterAdd(values: TypedArray, indices: Int32Array, out: TypedArray): void;

  matmul(a: FloatArray, b: FloatArray, out: FloatArray, params: MatmulParams): void;

  /** out = conv(x, weight) (+ bias[cOut] when given). */
  conv2d(
    x: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    params: Conv2dParams,
  ): void;
  /** dx = the transpose of conv2d in x, applied to g [n, cOut, outH, outW]. */
  conv2dBackwardInput(g: FloatArray, weight: FloatArray, out: FloatArray, params: Conv2dParams): void;
  /** dw = the transpose of conv2d in the weight: Σ over batch and positions of g ⊗ x patches. */
  conv2dBackwardFilter(x: FloatArray, g: FloatArray, out: FloatArray, params: Conv2dParams): void;

  /** Writes the max of each window to out and its flat index into x to `argmax`. */
  maxPool2d(x: FloatArray, out: FloatArray, argmax: Int32Array, params: Pool2dParams): void;
  /**
   * The transpose of maxPool2d: adds each window's g at its `argmax` (maxPool2d's, so each index
   * stays in its window's plane); out arrives zero-filled.
   */
  maxPool2dBackward(g: FloatArray, argmax: Int32Array, out: FloatArray, params: Pool2dParams): void;
  /** Mean of each window (padding excluded from the count). */
  avgPool2d(x: FloatArray, out: FloatArray, params: Pool2dParams): void;
  /** The transpose of avgPool2d: spreads g over each window; out arrives zero-filled. */
  avgPool2dBackward(g: FloatArray, out: FloatArray, params: Pool2dParams): void;

  /**
   * Training-mode batch normalization: writes each channel's batch mean and biased variance, and
   * out = (x − mean) / √(variance + eps) · weight + bias.
   */
  batchNorm(
    x: FloatArray,
    weight: FloatArray,
    bias: FloatArray,
    out: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    params: BatchNormParams,
  ): void;
  /**
   * batchNorm's gradients from g and the statistics it wrote, with x̂ the normalized input and M = n·spatial:
   * dBias = Σ g, dWeight = Σ g·x̂, dx = weight / √(variance + eps) · (g − dBias / M − x̂ · dWeight / M).
   */
  batchNormBackward(
    g: FloatArray,
    x: FloatArray,
    weight: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    dx: FloatArray,
    dWeight: FloatArray,
    dBias: FloatArray,
    params: BatchNormParams,
  ): void;

  /**
   * maxPool2d(conv2d(x)) without handing out the convolution's output: each window's maximum of
   * conv2d(x, weight, bias) to out (relu of it with `relu`) and its flat index into that output to
   * `argmax`. The same values as the kernels in turn.
   */
  conv2dMaxPool2d(
    x: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    out: FloatArray,
    argmax: Int32Array,
    conv: Conv2dParams,
    pool: Pool2dParams,
    relu: boolean,
  ): void;
  /**
   * conv2dMaxPool2d's gradients from its output's gradient g: with gc = maxPool2dBackward(g′,
   * argmax), where g′ is g, or unaryGrad("relu", g, reluOutput) when the forward call took a relu
   * (reluOutput: its out), dx = conv2dBackwardInput(gc), dWeight = conv2dBackwardFilter(x, gc)
   * and dBias = gc summed over images and positions, each when given, without handing out gc.
   */
  conv2dMaxPool2dBackward(
    g: FloatArray,
    argmax: Int32Array,
    x: FloatArray,
    weight: FloatArray,
    dx: FloatArray | null,
    dWeight: FloatArray | null,
    dBias: FloatArray | null,
    conv: Conv2dParams,
    pool: Pool2dParams,
    reluOutput: FloatArray | null,
  ): void;

  /**
   * maxPool2d(batchNorm(x)) without handing out the normalized tensor: writes the batch's
   * statistics like batchNorm, then each window's maximum of the normalized values to out (relu
   * of it with `relu`) and its flat index into x to `argmax`, like maxPool2d. The same values as
   * the kernels in turn.
   */
  batchNormMaxPool2d(
    x: FloatArray,
    weight: FloatArray,
    bias: FloatArray,
    out: FloatArray,
    argmax: Int32Array,
    mean: FloatArray,
    variance: FloatArray,
    norm: BatchNormParams,
    pool: Pool2dParams,
    relu: boolean,
  ): void;
  /**
   * batchNormMaxPool2d's gradients from its output's gradient g: batchNormBackward of
   * maxPool2dBackward(g′, argmax), g′ as in conv2dMaxPool2dBackward, without handing out the
   * gradient of the normalized tensor.
   */
  batchNormMaxPool2dBackward(
    g: FloatArray,
    argmax: Int32Array,
    x: FloatArray,
    weight: FloatArray,
    mean: FloatArray,
    variance: FloatArray,
    dx: FloatArray,
    dWeight: FloatArray,
    dBias: FloatArray,
    norm: BatchNormParams,
    pool: Pool2dParams,
    reluOutput: FloatArray | null,
  ): void;
}
