/** 2-D convolution on NCHW images. */
import { conv2d, formatShape, type Tensor } from "../core.js";
import { conv2dMaxPool2d } from "../ops/conv-pool.js";
import { compact, positiveInt, size2 } from "./check.js";
import type { Conv2dConfig, Size2 } from "./config-types.js";
import { fanInBound, uniform } from "./init.js";
import { Module } from "./module.js";

/** Options of nn.Conv2d; sizes are in pixels, one number for both axes or [height, width]. */
export interface Conv2dLayerOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Zeros added on each side (default 0). */
  padding?: Size2;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
}

/**
 * Cross-correlation of the input with `out` learned filters, as torch.nn.Conv2d.
 *
 * Shapes: x [N, in, H, W] → y [N, out, H_out, W_out] with H_out = ⌊(H + 2·padding − kH) / stride⌋ + 1;
 * weight [out, in, kH, kW], bias [out].
 * Initialization (PyTorch's default): weight and bias uniform in ±1/√(in·kH·kW).
 *
 * @example
 * const conv = new nn.Conv2d(1, 8, 3, { padding: 1 });
 * conv.forward(zeros([2, 1, 28, 28])).shape; // [2, 8, 28, 28]
 */
export class Conv2d extends Module {
  /** Input channels: the size axis 1 of the NCHW input must have. */
  readonly inChannels: number;
  /** Output channels: the number of learned filters. */
  readonly outChannels: number;
  /** Filter size in pixels, [height, width]. */
  readonly kernelSize: [number, number];
  /** Step between windows in pixels, [height, width]. */
  readonly stride: [number, number];
  /** Zeros added on each side, in pixels, [height, width]. */
  readonly padding: [number, number];

  constructor(inChannels: number, outChannels: number, kernel: Size2, opts: Conv2dLayerOptions = {}) {
    super();
    this.inChannels = positiveInt("Conv2d", "in", inChannels);
    this.outChannels = positiveInt("Conv2d", "out", outChannels);
    this.kernelSize = size2("Conv2d", "kernel", kernel, 1);
    this.stride = size2("Conv2d", "stride", opts.stride ?? 1, 1);
    this.padding = size2("Conv2d", "padding", opts.padding ?? 0, 0);
    const [kh, kw] = this.kernelSize;
    const bound = fanInBound(inChannels * kh * kw);
    this.registerParameter("weight", uniform([outChannels, inChannels, kh, kw], bound));
    if (opts.bias ?? true) this.registerParameter("bias", uniform([outChannels], bound));
  }

  /** The filters, shape [out, in, kH, kW]. */
  get weight(): Tensor {
    return this.param("weight");
  }

  /** The per-channel bias, shape [out], or null for a layer built with `{ bias: false }`. */
  get bias(): Tensor | null {
    return this.optionalParam("bias");
  }

  forward(x: Tensor): Tensor {
    this.#checkInput(x);
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  /**
   * maxPool2d(this.forward(x), kernel, stride), relu of it with `relu`, as one op that never
   * makes the convolution's output (ops/conv-pool.ts): nn.Sequential runs a Conv2d followed by a
   * MaxPool2d (a ReLU between them or not) this way. The same values and derivatives as the
   * layers in turn.
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
    const options = { stride: this.stride, padding: this.padding };
    return conv2dMaxPool2d(x, this.weight, this.bias, options, kernel, stride, relu);
  }

  #checkInput(x: Tensor): void {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new Error(
        `Conv2d(${this.inChannels} → ${this.outChannels}): expected an input [N, ${this.inChannels}, H, W], got shape ${formatShape(x.shape)}`,
      );
    }
  }

  override toConfig(): Conv2dConfig {
    return {
      type: "Conv2d",
      in: this.inChannels,
      out: this.outChannels,
      kernel: compact(this.kernelSize),
      stride: compact(this.stride),
      padding: compact(this.padding),
      bias: this.bias !== null,
    };
  }
}
