/** Flattening images into feature vectors. */
import type { Tensor } from "../core.js";
import type { FlattenConfig } from "./config-types.js";
import { Module } from "./module.js";

/**
 * Joins the axes from `startAxis` (default 1, keeping the batch axis) into one.
 * Shapes: [N, C, H, W] → [N, C·H·W].
 */
export class Flatten extends Module {
  /** The first axis joined into one; negative counts from the end. */
  readonly startAxis: number;

  constructor(startAxis = 1) {
    super();
    if (!Number.isInteger(startAxis)) {
      throw new Error(`Flatten: startAxis must be an integer, got ${JSON.stringify(startAxis)}`);
    }
    this.startAxis = startAxis;
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startAxis);
  }

  override toConfig(): FlattenConfig {
    return { type: "Flatten", startAxis: this.startAxis };
  }
}
