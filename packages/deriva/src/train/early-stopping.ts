/** Early stopping: watch one quantity per epoch and say when it has stopped improving. */
import type { Checkpoint } from "./checkpoint.js";
import type { EarlyStoppingOptions, EpochLog, Monitor } from "./types.js";

export class EarlyStopping {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  /** The checkpoint of the best epoch so far. */
  best: Checkpoint | null = null;
  #bestValue = Number.NaN;
  #waited = 0;

  constructor(opts: EarlyStoppingOptions, hasValidation: boolean, classification: boolean) {
    const { patience } = opts;
    if (!Number.isInteger(patience) || patience < 1) {
      throw new Error(
        `fit: earlyStopping.patience must be a positive integer, got ${JSON.stringify(patience)}`,
      );
    }
    const monitor = opts.monitor ?? (hasValidation ? "valLoss" : "loss");
    if (!["loss", "accuracy", "valLoss", "valAccuracy"].includes(monitor)) {
      throw new Error(
        `fit: earlyStopping.monitor must be loss, accuracy, valLoss or valAccuracy, got ${JSON.stringify(monitor)}`,
      );
    }
    if (monitor.startsWith("val") && !hasValidation) {
      throw new Error(
        `fit: early stopping monitors ${monitor}, but there is no validation data (give validationSplit or validationData)`,
      );
    }
    if (monitor.endsWith("ccuracy") && !classification) {
      throw new Error(`fit: early stopping monitors ${monitor}, which only classification has`);
    }
    const minDelta = opts.minDelta ?? 0;
    if (!(minDelta >= 0)) throw new Error(`fit: earlyStopping.minDelta must be ≥ 0, got ${minDelta}`);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBestWeights = opts.restoreBestWeights ?? true;
  }

  /** Records an epoch (with its checkpoint); true when training should stop. */
  update(log: EpochLog, checkpoint: Checkpoint): boolean {
    const value = log[this.monitor]!;
    const higherIsBetter = this.monitor.endsWith("ccuracy");
    const improved =
      this.best === null ||
      (higherIsBetter ? value > this.#bestValue + this.minDelta : value < this.#bestValue - this.minDelta);
    if (improved) {
      this.best = checkpoint;
      this.#bestValue = value;
      this.#waited = 0;
      return false;
    }
    this.#waited++;
    return this.#waited >= this.patience;
  }

  /** Why training stopped, for the history's message. */
  describe(): string {
    return `${this.monitor} did not improve for ${this.patience} epoch${this.patience > 1 ? "s" : ""} (best ${formatValue(this.#bestValue)} at epoch ${this.best?.epoch})`;
  }
}

function formatValue(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
