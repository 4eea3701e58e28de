/** Max and average pooling over NCHW images. */
import { avgPool2d, maxPool2d, type Tensor } from "../core.js";
import { compact, size2 } from "./check.js";
import type { Pool2dConfig, Size2 } from "./config-types.js";
import { Module } from "./module.js";

abstract class Pool2d extends Module {
  /** The layer's type name in its config. */
  abstract readonly type: Pool2dConfig["type"];
  /** Window size in pixels, [height, width]. */
  readonly kernelSize: [number, number];
  /** Step between windows in pixels, [height, width]. */
  readonly stride: [number, number];

  constructor(name: string, kernel: Size2, stride?: Size2) {
    super();
    this.kernelSize = size2(name, "kernel", kernel, 1);
    this.stride = size2(name, "stride", stride ?? this.kernelSize, 1);
  }

  override toConfig(): Pool2dConfig {
    return { type: this.type, kernel: compact(this.kernelSize), stride: compact(this.stride) };
  }
}

/**
 * The maximum of each kernel window (stride defaults to the kernel).
 * Shapes: [N, C, H, W] → [N, C, ⌊(H − kH) / stride⌋ + 1, ⌊(W − kW) / stride⌋ + 1].
 */
export class MaxPool2d extends Pool2d {
  readonly type = "MaxPool2d";

  constructor(kernel: Size2, stride?: Size2) {
    super("MaxPool2d", kernel, stride);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.stride);
  }
}

/** The mean of each kernel window (stride defaults to the kernel); shapes as MaxPool2d. */
export class AvgPool2d extends Pool2d {
  readonly type = "AvgPool2d";

  constructor(kernel: Size2, stride?: Size2) {
    super("AvgPool2d", kernel, stride);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.stride);
  }
}
