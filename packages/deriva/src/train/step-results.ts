/**
 * A training step's own results, handed on to the next steps (tensor/result-pool.ts). The
 * forward pass of a step (augmentation, the model, the loss) makes its large results fresh —
 * 20.7 MB a step for the cats convnet — and a fresh array costs its pages: filling one takes
 * about 2.7 ms a MB in Chromium, which maps every large array afresh, against 0.07 for memory
 * already written. JavaScript cannot learn when those results die, but fit can: where the
 * model is built from nn's own layers only (nn/own-layers.ts), fit's step holds the only
 * references to them (the graph lives in its locals; callbacks get numbers), so once the step's
 * backward, update and accuracy are done, their memory goes to the pool.
 */
import { recordBirths, recycle, resultBuffer } from "../tensor/result-pool.js";
import type { Tensor } from "../tensor/tensor.js";

/** The large results of one step's forward pass, recorded as they are made and recycled in one go. */
export class StepResults {
  private readonly born = new Set<ArrayBuffer>();

  /** `enabled` false: record nothing (a model with a layer of its own may keep what it made). */
  constructor(private readonly enabled: boolean) {}

  /**
   * Runs make() recording the large results it allocates. make must be synchronous: nothing
   * outside the step may allocate while the recording is on.
   */
  record<T>(make: () => T): T {
    if (!this.enabled) return make();
    const outer = recordBirths(this.born);
    try {
      return make();
    } finally {
      recordBirths(outer);
    }
  }

  /**
   * Gives the recorded memory to the pool, but for what `kept` still uses (the parameters'
   * gradients: a derivative rule may hand on a tensor the forward pass made); call once nothing
   * else the step made is read again.
   */
  release(kept: readonly (Tensor | null)[]): void {
    for (const t of kept) {
      const buffer = t && resultBuffer(t);
      if (buffer) this.born.delete(buffer);
    }
    for (const buffer of this.born) recycle(buffer);
    this.born.clear();
  }
}
