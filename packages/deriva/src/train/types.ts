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
  epochs: number;
  initialEpoch: number;
  batchesPerEpoch: number;
  trainSamples: number;
  validationSamples: number;
  /** The learning rate of the first step (after "auto" has chosen it and a schedule has set it). */
  lr: number;
  optimizer: Optimizer;
}

/** After each gradient step. */
export interface BatchLog {
  /** 1-based, counting initialEpoch's epochs too. */
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
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
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate of the epoch's first step. */
  lr: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
}

export type StopReason = "completed" | "early-stopping" | "non-finite-loss";

export interface History {
  /** One entry per epoch trained. */
  epochs: EpochLog[];
  /** The learning rate of the first step (after "auto" has chosen it and a schedule has set it). */
  lr: number;
  /** The range test's result when lr was "auto". */
  lrFinder: FindLrResult | null;
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
  onTrainBegin?(info: TrainBegin): void;
  /** After the range test of lr "auto". */
  onLrFound?(result: FindLrResult, chosen: number): void;
  onEpochBegin?(epoch: number): void;
  onBatchEnd?(log: BatchLog): void;
  onEpochEnd?(log: EpochLog): void;
  onTrainEnd?(history: History): void;
}
