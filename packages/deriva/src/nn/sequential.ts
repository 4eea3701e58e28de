/** A chain of layers applied in order. */
import type { Tensor } from "../core.js";
import { ReLU } from "./activation.js";
import type { SequentialConfig } from "./config-types.js";
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
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const next = layers[i + 1];
      if (poolsAfterRelu(layer, next)) {
        y = layer.forward(next.forward(y));
        i++;
      } else {
        y = layer.forward(y);
      }
    }
    return y;
  }

  override toConfig(): SequentialConfig {
    return { type: "Sequential", layers: this.children().map((layer) => layer.toConfig()) };
  }
}

/**
 * Whether `layer` is a ReLU followed by a max pooling, which then run in the other order: relu
 * keeps the order of values (it only flattens those ≤ 0 to 0, whose gradient is 0 either way),
 * so relu(maxPool(x)) is maxPool(relu(x)) with the same gradients to every order, and relu
 * touches a quarter of the elements behind a 2×2 pool. Exact classes only: a subclass may
 * compute something else.
 */
function poolsAfterRelu(layer: Module, next: Module | undefined): next is MaxPool2d {
  return layer.constructor === ReLU && next !== undefined && next.constructor === MaxPool2d;
}
