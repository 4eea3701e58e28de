/** A fully connected layer. */
import { formatShape, linear, type Tensor } from "../core.js";
import { positiveInt } from "./check.js";
import type { LinearConfig } from "./config-types.js";
import { fanInBound, uniform } from "./init.js";
import { Module } from "./module.js";

/** Options of nn.Linear. */
export interface LinearOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
}

/**
 * y = x Wᵀ + b.
 *
 * Shapes: x [*, in] → y [*, out]; weight [out, in] (PyTorch's layout), bias [out].
 * Initialization (PyTorch's default): W and b uniform in ±1/√in.
 *
 * @example
 * const layer = new nn.Linear(784, 128);
 * layer.forward(zeros([32, 784])).shape; // [32, 128]
 */
export class Linear extends Module {
  /** Input features: the size the input's last axis must have. */
  readonly inFeatures: number;
  /** Output features: the size of the output's last axis. */
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = positiveInt("Linear", "in", inFeatures);
    this.outFeatures = positiveInt("Linear", "out", outFeatures);
    const bound = fanInBound(inFeatures);
    this.registerParameter("weight", uniform([outFeatures, inFeatures], bound));
    if (opts.bias ?? true) this.registerParameter("bias", uniform([outFeatures], bound));
  }

  /** The weight, shape [out, in] (PyTorch's layout). */
  get weight(): Tensor {
    return this.param("weight");
  }

  /** The bias, shape [out], or null for a layer built with `{ bias: false }`. */
  get bias(): Tensor | null {
    return this.optionalParam("bias");
  }

  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Linear(${this.inFeatures} → ${this.outFeatures}): expected an input whose last axis has ${this.inFeatures} features, got shape ${formatShape(x.shape)}`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  override toConfig(): LinearConfig {
    return { type: "Linear", in: this.inFeatures, out: this.outFeatures, bias: this.bias !== null };
  }
}
