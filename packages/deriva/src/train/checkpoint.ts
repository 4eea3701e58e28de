/** Snapshots of a model's weights and its optimizer's state, to go back to (NaN guard, best epoch). */
import type { Module } from "../nn/module.js";
import type { Optimizer, OptimizerStateDict } from "../optim/index.js";
import type { Tensor } from "../tensor/tensor.js";

export interface Checkpoint {
  /** The epoch after which it was taken (initialEpoch for the weights training started from). */
  readonly epoch: number;
  readonly weights: Record<string, Tensor>;
  readonly optimizer: OptimizerStateDict;
}

/** Copies the model's state and the optimizer's (later training does not change the copy). */
export function takeCheckpoint(epoch: number, model: Module, optimizer: Optimizer): Checkpoint {
  return { epoch, weights: model.stateDict(), optimizer: optimizer.stateDict() };
}

/** Writes a checkpoint back into the model and the optimizer, in place. */
export function restoreCheckpoint(checkpoint: Checkpoint, model: Module, optimizer: Optimizer): void {
  model.loadStateDict(checkpoint.weights);
  optimizer.loadStateDict(checkpoint.optimizer);
}

/**
 * The NaN guard's memory: the weights of the last epoch known to be good. An epoch's final weights
 * count as good once a finite loss has been computed with them: its validation loss, or else the
 * first batch of the next epoch. Until then the previous good epoch is kept too.
 */
export class LastGood {
  #confirmed: Checkpoint;
  #latest: Checkpoint;

  constructor(start: Checkpoint) {
    this.#confirmed = start;
    this.#latest = start;
  }

  /** Records an epoch's final weights; `confirmed` when a finite validation loss vouches for them. */
  add(checkpoint: Checkpoint, confirmed: boolean): void {
    this.#latest = checkpoint;
    if (confirmed) this.#confirmed = checkpoint;
  }

  /** A finite loss was just computed with the latest epoch's weights. */
  confirm(): void {
    this.#confirmed = this.#latest;
  }

  /** The latest epoch's checkpoint (good or not yet known). */
  get latest(): Checkpoint {
    return this.#latest;
  }

  /** The last checkpoint whose weights gave a finite loss (or the starting weights). */
  get confirmed(): Checkpoint {
    return this.#confirmed;
  }
}
