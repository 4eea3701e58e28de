/** A chain of layers applied in order. */
import type { Tensor } from "../core.js";
import { ReLU } from "./activation.js";
import { BatchNorm2d } from "./batchnorm.js";
import type { SequentialConfig } from "./config-types.js";
import { Conv2d } from "./conv.js";
import { Module } from "./module.js";
import { MaxPool2d } from "./pool.js";

/**
 * Applies its layers one after another; they are named "0", "1", … so parameters read `0.weight`,
 * `2.bias`, as in torch.nn.Sequential.
 *
 * @example
 * const mlp = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * mlp.namedParameters().map(([name]) => name); // ["0.weight", "0.bias", "2.weight", "2.bias"]
 */
export class Sequential extends Module {
  constructor(...layers: Module[]) {
    super();
    for (const layer of layers) this.append(layer);
  }

  /** Adds a layer at the end (named by its position). */
  append(layer: Module): this {
    if (!(layer instanceof Module)) {
      throw new Error(`Sequential: layer ${this.length} is not a Module, got ${typeof layer}`);
    }
    this.registerModule(String(this.length), layer);
    return this;
  }

  /** The number of layers. */
  get length(): number {
    return this.children().length;
  }

  /** The layers in order. */
  get layers(): Module[] {
    return this.children();
  }

  /** The layer at position i (negative counts from the end). */
  at(i: number): Module {
    const layer = this.children().at(i);
    if (!layer) throw new Error(`Sequential.at: no layer ${i} in a Sequential of ${this.length}`);
    return layer;
  }

  forward(x: Tensor): Tensor {
    const layers = this.children();
    let y = x;
    let i = 0;
    while (i < layers.length) {
      const [layer, next, third] = [layers[i]!, layers[i + 1], layers[i + 2]];
      // a Conv2d or BatchNorm2d, then a MaxPool2d (a ReLU between them or not): one fused op
      const poolsNext = poolsInOneOp(layer) && isExactly(next, MaxPool2d);
      const poolsThird = poolsInOneOp(layer) && isExactly(next, ReLU) && isExactly(third, MaxPool2d);
      if (poolsNext) {
        y = layer.forwardMaxPooled(y, next.kernelSize, next.stride);
        i += 2;
      } else if (poolsThird) {
        y = layer.forwardMaxPooled(y, third.kernelSize, third.stride, true);
        i += 3;
      } else if (isExactly(layer, ReLU) && isExactly(next, MaxPool2d)) {
        y = layer.forward(next.forward(y));
        i += 2;
      } else {
        y = layer.forward(y);
        i += 1;
      }
    }
    return y;
  }

  override toConfig(): SequentialConfig {
    return { type: "Sequential", layers: this.children().map((layer) => layer.toConfig()) };
  }
}

/**
 * Whether `layer` is an instance of exactly `type`, not of a subclass (which may compute
 * something else). Sequential runs a few layer pairs in a way that gives the same values and
 * derivatives to every order, and costs less:
 *
 * - a ReLU before a MaxPool2d runs after it: relu keeps the order of values (it only flattens
 *   those ≤ 0 to 0, whose gradient is 0 either way), so relu(maxPool(x)) is maxPool(relu(x)),
 *   and relu touches a quarter of the elements behind a 2×2 pool;
 * - a BatchNorm2d or a Conv2d before a MaxPool2d (with or without that ReLU between them) runs
 *   with the pooling, and the ReLU after it, as one op that never hands out the full-size tensor
 *   between them or its gradient (ops/norm-pool.ts, ops/conv-pool.ts).
 */
function isExactly<T extends Module>(
  layer: Module | undefined,
  type: abstract new (...args: never[]) => T,
): layer is T {
  return layer !== undefined && layer.constructor === type;
}

/** Whether a layer runs with a MaxPool2d after it as one op (Conv2d and BatchNorm2d: forwardMaxPooled). */
function poolsInOneOp(layer: Module): layer is Conv2d | BatchNorm2d {
  return isExactly(layer, Conv2d) || isExactly(layer, BatchNorm2d);
}
