/** Dropout regularization. */
import { type Generator, rand, type Tensor } from "../core.js";
import { numberIn } from "./check.js";
import type { DropoutConfig } from "./config-types.js";
import { Module } from "./module.js";

/** Options of nn.Dropout. */
export interface DropoutOptions {
  /** Draw the masks from this generator instead of the global one (seeded by manualSeed). */
  generator?: Generator;
}

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the survivors
 * are scaled by 1/(1 − p), so the expected output equals the input; in eval mode it is the identity.
 * Masks are drawn from the seeded generator, so a seed reproduces them.
 */
export class Dropout extends Module {
  /** The probability of zeroing each element in training mode, in [0, 1]. */
  readonly p: number;
  readonly #generator: Generator | undefined;

  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super();
    this.p = numberIn("Dropout", "p", p, 0, 1);
    this.#generator = opts.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const dtype = x.dtype === "float64" ? "float64" : "float32";
    const keep = 1 - this.p;
    const scale = keep > 0 ? 1 / keep : 0;
    // 1/keep where a uniform draw falls below keep, else 0 (comparisons give 1 or 0)
    const mask = rand(x.shape, { dtype, generator: this.#generator }).lt(keep).mul(scale);
    return x.mul(mask);
  }

  override toConfig(): DropoutConfig {
    return { type: "Dropout", p: this.p };
  }
}
