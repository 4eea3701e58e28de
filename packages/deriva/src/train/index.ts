/**
 * Training: train.fit (the loop, with validation, early stopping, schedules, callbacks and a NaN
 * guard), evaluation and prediction in eval mode, and the metrics. Browser-safe.
 */
export { AUGMENT_NAMES, type Augment, type AugmentName, flipCropImages, shiftImages } from "./augment.js";
export { type EvaluateOptions, type Evaluation, evaluate, predict } from "./evaluate.js";
export { fit } from "./fit.js";
export {
  applyLink,
  defaultLoss,
  LOSS_NAMES,
  type LossFunction,
  type LossName,
  type LossSpec,
  type OutputLink,
  resolveLoss,
} from "./loss-spec.js";
export {
  checkMemory,
  DEFAULT_MAX_MEMORY,
  estimateTraining,
  formatBytes,
  type MemoryEstimate,
} from "./memory-estimate.js";
export { accuracy, confusionMatrix, predictedClasses } from "./metrics.js";
export {
  createOptimizer,
  DEFAULT_LR,
  type NamedOptimizer,
  OPTIMIZER_NAMES,
  type OptimizerName,
  optimizerForState,
} from "./optimizer-spec.js";
export { type PresetTraining, presetTraining } from "./preset-training.js";
export {
  prepareRun,
  type ResumeFrom,
  type RunOptions,
  type RunResult,
  type RunSettings,
  type TrainingRun,
} from "./run.js";
export { checkTrainingRecord, DEFAULT_RUN_BATCH_SIZE, type TrainingRecord } from "./run-record.js";
export {
  assembleModel,
  decodeModel,
  encodeModel,
  type LoadedModel,
  type ModelBytes,
  type ModelFileNames,
  modelDescription,
  type SavedModel,
  sha256Hex,
  trainingRecordOf,
} from "./saved-model.js";
export {
  createSchedule,
  type RunLength,
  SCHEDULE_NAMES,
  type ScheduleFactory,
  type ScheduleName,
  type ScheduleSetup,
} from "./schedule-spec.js";
export type {
  BatchLog,
  Callbacks,
  EarlyStoppingOptions,
  EpochLog,
  FitOptions,
  History,
  Monitor,
  StopReason,
  TrainBegin,
} from "./types.js";
