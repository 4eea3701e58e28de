/** Activation modules: each applies its elementwise (or softmax) function; none has parameters. */
import { gelu, leakyRelu, softmax, type Tensor } from "../core.js";
import type { LeakyReLUConfig, PlainActivationConfig, SoftmaxConfig } from "./config-types.js";
import { Module } from "./module.js";

abstract class PlainActivation extends Module {
  /** The layer's type name in its config. */
  abstract readonly type: PlainActivationConfig["type"];

  override toConfig(): PlainActivationConfig {
    return { type: this.type };
  }
}

/** σ(x) = 1 / (1 + e^(−x)). */
export class Sigmoid extends PlainActivation {
  readonly type = "Sigmoid";

  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** tanh(x). */
export class Tanh extends PlainActivation {
  readonly type = "Tanh";

  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** max(x, 0). */
export class ReLU extends PlainActivation {
  readonly type = "ReLU";

  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** The exact GELU x·Φ(x) (PyTorch's default form). */
export class GELU extends PlainActivation {
  readonly type = "GELU";

  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

/** x for x > 0, slope·x otherwise (slope defaults to 0.01, PyTorch's negative_slope). */
export class LeakyReLU extends Module {
  /** The slope for negative inputs. */
  readonly slope: number;

  constructor(slope = 0.01) {
    super();
    if (typeof slope !== "number" || !Number.isFinite(slope)) {
      throw new Error(`LeakyReLU: slope must be a finite number, got ${JSON.stringify(slope)}`);
    }
    this.slope = slope;
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.slope);
  }

  override toConfig(): LeakyReLUConfig {
    return { type: "LeakyReLU", slope: this.slope };
  }
}

/** softmax along `axis` (default −1, the class axis of [N, C] logits). */
export class Softmax extends Module {
  /** The axis the probabilities sum to 1 along; negative counts from the end. */
  readonly axis: number;

  constructor(axis = -1) {
    super();
    if (!Number.isInteger(axis))
      throw new Error(`Softmax: axis must be an integer, got ${JSON.stringify(axis)}`);
    this.axis = axis;
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }

  override toConfig(): SoftmaxConfig {
    return { type: "Softmax", axis: this.axis };
  }
}
