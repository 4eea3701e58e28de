/** Batch normalization with running statistics (BatchNorm1d, BatchNorm2d). */
import { formatShape, full, maxPool2d, ones, type Tensor, tensor, zeros, zerosLike } from "../core.js";
import { batchNormMaxPool2d } from "../ops/norm-pool.js";
import { type BatchNormResult, batchNorm } from "../ops/normalization.js";
import { scaleAddInPlace } from "../tensor/storage.js";
import { numberIn, positiveInt } from "./check.js";
import type { BatchNormConfig } from "./config-types.js";
import { Module } from "./module.js";

/** What num_batches_tracked grows by at each training step. */
const ONE = tensor(1, { dtype: "int32" });

/** Options of nn.BatchNorm1d and nn.BatchNorm2d. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the newest batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale (weight) and shift (bias) (default true). */
  affine?: boolean;
}

/**
 * y = (x − E[x]) / √(Var[x] + eps) · weight + bias, per channel (axis 1).
 *
 * Training mode normalizes with the batch's mean and biased variance over every axis but the
 * channel axis, and updates the buffers `running_mean` and `running_var` (with the unbiased
 * variance) by running = (1 − momentum)·running + momentum·batch, and counts `num_batches_tracked`.
 * Eval mode normalizes with the running statistics. Matches torch.nn.BatchNorm{1,2}d.
 */
abstract class BatchNorm extends Module {
  /** The layer's type name in its config. */
  abstract readonly type: BatchNormConfig["type"];
  /** The number of channels C: the size axis 1 of the input must have. */
  readonly numFeatures: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Weight of the newest batch in the running statistics, in [0, 1]. */
  readonly momentum: number;

  constructor(name: string, numFeatures: number, opts: BatchNormOptions) {
    super();
    this.numFeatures = positiveInt(name, "features", numFeatures);
    this.eps = numberIn(name, "eps", opts.eps ?? 1e-5, 0, Number.MAX_VALUE);
    this.momentum = numberIn(name, "momentum", opts.momentum ?? 0.1, 0, 1);
    if (opts.affine ?? true) {
      this.registerParameter("weight", full([numFeatures], 1));
      this.registerParameter("bias", zeros([numFeatures]));
    }
    this.registerBuffer("running_mean", zeros([numFeatures]));
    this.registerBuffer("running_var", full([numFeatures], 1));
    this.registerBuffer("num_batches_tracked", tensor(0, { dtype: "int32" }));
  }

  /** The input ranks this layer accepts, and how to name them in errors. */
  protected abstract readonly ranks: readonly number[];
  /** The accepted input shapes as named in errors, e.g. "[N, C, H, W]". */
  protected abstract readonly layout: string;

  /**
   * The learned per-channel scale, shape [C] (initially ones), or null when built with `{ affine: false }`.
   */
  get weight(): Tensor | null {
    return this.optionalParam("weight");
  }

  /**
   * The learned per-channel shift, shape [C] (initially zeros), or null when built with `{ affine: false }`.
   */
  get bias(): Tensor | null {
    return this.optionalParam("bias");
  }

  /** The running per-channel mean (buffer `running_mean`, shape [C], initially zeros) used in eval mode. */
  get runningMean(): Tensor {
    return this.buffer("running_mean");
  }

  /**
   * The running per-channel unbiased variance (buffer `running_var`, shape [C], initially ones) used in eval
   * mode.
   */
  get runningVar(): Tensor {
    return this.buffer("running_var");
  }

  forward(x: Tensor): Tensor {
    this.#checkInput(x);
    if (this.training) return this.#normalizeBatch(x, (w, b) => batchNorm(x, w, b, this.eps));
    return this.#normalizeRunning(x);
  }

  /**
   * maxPool2d(this.forward(x), kernel, stride), relu of it with `relu`, while training as one op
   * that never makes the normalized tensor (ops/norm-pool.ts): nn.Sequential runs a BatchNorm2d
   * followed by a MaxPool2d (a ReLU between them or not) this way. The same values, derivatives
   * and running statistics as the layers in turn.
   *
   * @internal
   */
  forwardMaxPooled(
    x: Tensor,
    kernel: readonly [number, number],
    stride: readonly [number, number],
    relu = false,
  ): Tensor {
    this.#checkInput(x);
    if (!this.training) {
      const pooled = maxPool2d(this.#normalizeRunning(x), kernel, stride);
      return relu ? pooled.relu() : pooled;
    }
    return this.#normalizeBatch(x, (w, b) => batchNormMaxPool2d(x, w, b, this.eps, kernel, stride, relu));
  }

  #checkInput(x: Tensor): void {
    const c = this.numFeatures;
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== c) {
      throw new Error(
        `${this.type}(${c}): expected an input ${this.layout}, got shape ${formatShape(x.shape)}`,
      );
    }
  }

  /**
   * Training mode: `normalize` with the weight and bias (constants without affine ones), then
   * the running statistics updated from the batch's.
   */
  #normalizeBatch(x: Tensor, normalize: (weight: Tensor, bias: Tensor) => BatchNormResult): Tensor {
    const c = this.numFeatures;
    const count = x.size / c;
    if (count < 2) {
      throw new Error(
        `${this.type}(${c}): training needs more than one value per channel, got shape ${formatShape(x.shape)}`,
      );
    }
    // without affine parameters: a scale of 1 and a shift of 0 (constants: no gradient)
    const weight = this.weight ?? ones([c], { dtype: x.dtype === "float64" ? "float64" : "float32" });
    const { output, mean, variance } = normalize(weight, this.bias ?? zerosLike(weight));
    this.#track(mean, variance, count);
    return output;
  }

  /**
   * Eval mode: the running statistics folded into a per-channel scale and shift, broadcast as
   * [1, C, 1, ...], so the input sees two elementwise ops (PyTorch's inference formula).
   */
  #normalizeRunning(x: Tensor): Tensor {
    const c = this.numFeatures;
    const channelShape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const std = this.runningVar.add(this.eps).sqrt();
    const scale = this.weight ? this.weight.div(std) : ones([c], { dtype: std.dtype }).div(std);
    const shift = this.runningMean.mul(scale).neg();
    const shifted = this.bias ? shift.add(this.bias) : shift;
    return x.mul(scale.reshape(channelShape)).add(shifted.reshape(channelShape));
  }

  /**
   * running ← (1 − momentum)·running + momentum·batch, with the unbiased variance (n / (n − 1)).
   * Written in place by the backend's update kernel: nothing is recorded for differentiation.
   */
  #track(mean: Tensor, variance: Tensor, count: number): void {
    const m = this.momentum;
    scaleAddInPlace(this.runningMean, 1 - m, mean, m);
    scaleAddInPlace(this.runningVar, 1 - m, variance, m * (count / (count - 1)));
    scaleAddInPlace(this.buffer("num_batches_tracked"), 1, ONE, 1);
  }

  override toConfig(): BatchNormConfig {
    return {
      type: this.type,
      features: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.weight !== null,
    };
  }
}

/** Batch normalization of [N, C] or [N, C, L] inputs over N (and L). */
export class BatchNorm1d extends BatchNorm {
  readonly type = "BatchNorm1d";
  protected readonly ranks = [2, 3];
  protected readonly layout = "[N, C] or [N, C, L]";

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super("BatchNorm1d", numFeatures, opts);
  }
}

/** Batch normalization of [N, C, H, W] images over N, H and W. */
export class BatchNorm2d extends BatchNorm {
  readonly type = "BatchNorm2d";
  protected readonly ranks = [4];
  protected readonly layout = "[N, C, H, W]";

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super("BatchNorm2d", numFeatures, opts);
  }
}
