/** The options, progress reports and result of train.fit. */
import type { Dataset } from "../data/dataset.js";
import type { Samples } from "../data/loader.js";
import type { FindLrResult, Optimizer } from "../optim/index.js";
import type { Augment, AugmentName } from "./augment.js";
import type { LossFunction, LossName } from "./loss-spec.js";
import type { NamedOptimizer, OptimizerName } from "./optimizer-spec.js";
import type { ScheduleFactory, ScheduleName } from "./schedule-spec.js";

/** A quantity early stopping watches: the validation ones when there is validation data. */
export type Monitor = "loss" | "accuracy" | "valLoss" | "valAccuracy";

/** Options of early stopping in train.fit: what to watch and how long to wait for it to improve. */
export interface EarlyStoppingOptions {
  /** Stop after this many epochs without improvement. */
  patience: number;
  /** What to watch (default "valLoss", or "loss" without validation data). Losses fall, accuracies rise. */
  monitor?: Monitor;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** At the end, put back the weights of the best epoch (default true). */
  restoreBestWeights?: boolean;
}

/** Options of train.fit; every one has a default, so `train.fit(model, data)` alone trains. */
export interface FitOptions {
  /** Passes over the training data (default 10). */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Hold out this fraction of the data (seeded split) to validate on after each epoch (default 0). */
  validationSplit?: number;
  /** Validate on these samples after each epoch (instead of a split). */
  validationData?: Dataset | Samples;
  /** The loss, by name or as a function (default: cross-entropy for classes, mse for values). */
  loss?: LossName | LossFunction;
  /** The optimizer: a name, a name with options, or your own instance over model.parameters() (default "adam"). */
  optimizer?: OptimizerName | NamedOptimizer | Optimizer;
  /**
   * The learning rate (default: the optimizer's usual one, e.g. 1e-3 for Adam), or "auto": run the
   * learning-rate range test (optim.findLr) on training batches first and start from its suggestion.
   */
  lr?: number | "auto";
  /** A learning-rate schedule over the run (default "none"). */
  schedule?: ScheduleName | ScheduleFactory;
  /** Metrics besides the loss (default ["accuracy"] for classification, none for regression). */
  metrics?: "accuracy"[];
  /** Stop when the monitored quantity stops improving. */
  earlyStopping?: EarlyStoppingOptions;
  /** Augment each training batch (e.g. "shift" for images); validation data is never augmented. */
  augment?: AugmentName | Augment;
  /** Visit the training samples in a new random order each epoch (default true). */
  shuffle?: boolean;
  /**
   * Seed of the validation split, the shuffles and the augmentation (default 0); when given, the
   * global generator is also seeded with it (for Dropout), so equal seeds give equal runs.
   */
  seed?: number;
  /** The number of epochs already trained (to resume): epochs are counted from here and the shuffles continue. */
  initialEpoch?: number;
  /** Samples per forward pass when validating (default 256). */
  evalBatchSize?: number;
  /** Progress reports. */
  callbacks?: Callbacks | Callbacks[];
}

/** What fit reports when training starts. */
export interface TrainBegin {
  /** The epoch count the run ends at (counting initialEpoch's epochs). */
  epochs: number;
  /** The number of epochs already trained (0 unless resuming). */
  initialEpoch: number;
  /** Gradient steps per epoch. */
  batchesPerEpoch: number;
  /** The number of training samples (after the validation split). */
  trainSamples: number;
  /** The number of validation samples (0 without validation). */
  validationSamples: number;
  /** The learning rate of the first step (after "auto" has chosen it and a schedule has set it). */
  lr: number;
  /** The optimizer that will train. */
  optimizer: Optimizer;
}

/** After each gradient step. */
export interface BatchLog {
  /** 1-based, counting initialEpoch's epochs too. */
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
  /** Batches in the epoch. */
  batches: number;
  /** The batch's loss. */
  loss: number;
  /** The mean loss of the epoch so far. */
  meanLoss: number;
}

/** One epoch of the history: the training metrics (over the epoch's batches, in training mode) and the validation ones. */
export interface EpochLog {
  /** 1-based, counting initialEpoch's epochs too. */
  epoch: number;
  /** The mean training loss over the epoch's batches (in training mode). */
  loss: number;
  /** The fraction of training samples classified right during the epoch, in [0, 1] (classification only). */
  accuracy?: number;
  /** The loss on the validation data after the epoch, in eval mode (only with validation data). */
  valLoss?: number;
  /**
   * The fraction of validation samples classified right after the epoch, in [0, 1] (classification with
   * validation data).
   */
  valAccuracy?: number;
  /** The learning rate of the epoch's first step. */
  lr: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
}

/** Why training ended: all epochs ran, early stopping stopped it, or the loss became NaN or infinite. */
export type StopReason = "completed" | "early-stopping" | "non-finite-loss";

/** What train.fit resolves with: the per-epoch log and how training ended. */
export interface History {
  /** One entry per epoch trained. */
  epochs: EpochLog[];
  /** The learning rate of the first step (after "auto" has chosen it and a schedule has set it). */
  lr: number;
  /** The range test's result when lr was "auto". */
  lrFinder: FindLrResult | null;
  /** Why training ended (see message for the sentence). */
  stopReason: StopReason;
  /** A sentence saying how training ended, e.g. which weights were restored and why. */
  message: string;
  /** The epoch whose weights the model holds at the end (0: the weights before training). */
  weightsEpoch: number;
  /** For classification: counts [true][predicted] of the final model on the validation data (the training data without one). */
  confusionMatrix: number[][] | null;
  /** The optimizer that trained (e.g. to save its state and resume). */
  optimizer: Optimizer;
}

/** Hooks called as training goes; all optional. */
export interface Callbacks {
  /** Before the first epoch, once the learning rate is known. */
  onTrainBegin?(info: TrainBegin): void;
  /** After the range test of lr "auto". */
  onLrFound?(result: FindLrResult, chosen: number): void;
  /** Before each epoch, with its 1-based number (counting initialEpoch's epochs). */
  onEpochBegin?(epoch: number): void;
  /** After each gradient step, with the batch's loss. */
  onBatchEnd?(log: BatchLog): void;
  /** After each epoch (and its validation), with its metrics. */
  onEpochEnd?(log: EpochLog): void;
  /** Once training has ended, with the complete history. */
  onTrainEnd?(history: History): void;
}
