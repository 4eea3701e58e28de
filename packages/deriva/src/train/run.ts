/**
 * A training run as `deriva train` runs it, for library users too: the defaults (a preset sized to
 * the data, Adam, batches of 64, 10 % held out, enough epochs for about 1,000 steps, shift
 * augmentation for images, a cosine schedule for the cnn; for small color photos the convnet with
 * its own training, see preset-training.ts), resuming a saved model where it
 * stopped, the held-out test evaluation, and the record that model.json keeps. Browser-safe; the
 * model folder it is saved to and resumed from is deriva/node's (saveRun, trainModelFolder).
 */
import type { Dataset } from "../data/dataset.js";
import { standardizeImages } from "../data/image-standardization.js";
import { inputShapeOf } from "../data/preprocessing.js";
import { buildChecked } from "../models/architecture.js";
import { type Activation, defaultPreset, PRESET_NAMES, type PresetName, preset } from "../models/presets.js";
import type { LayerConfig } from "../nn/config-types.js";
import type { Module } from "../nn/module.js";
import type { Optimizer, OptimizerStateDict } from "../optim/index.js";
import { manualSeed } from "../tensor/random.js";
import type { AugmentName } from "./augment.js";
import { type Evaluation, evaluate } from "./evaluate.js";
import { fit } from "./fit.js";
import { defaultLoss, type LossName, resolveLoss } from "./loss-spec.js";
import { checkMemory, DEFAULT_MAX_MEMORY, estimateTraining } from "./memory-estimate.js";
import { createOptimizer, type OptimizerName, optimizerForState } from "./optimizer-spec.js";
import { type PresetTraining, presetTraining } from "./preset-training.js";
import { DEFAULT_RUN_BATCH_SIZE, type TrainingRecord } from "./run-record.js";
import type { ScheduleName } from "./schedule-spec.js";
import type { Callbacks, History } from "./types.js";

/** What a resumed run continues from: a saved model (as deriva/node's loadModel gives it). */
export interface ResumeFrom {
  /** The saved model, its weights loaded. */
  module: Module;
  /** The saved run's record: its settings and epochs so far, which the resumed run continues. */
  training: TrainingRecord;
  /** The saved optimizer state to continue from, or null (the optimizer then starts afresh). */
  optimizer: OptimizerStateDict | null;
}

/** The choices of a run; everything left out gets the run's defaults (or, resuming, the saved settings). */
export interface RunOptions {
  /** A preset (default: convnet for small color images, else mlp) or an architecture of one's own (a layer config). */
  model?: PresetName | LayerConfig;
  /** What names an architecture of one's own in errors (e.g. its file); default "the architecture". */
  modelSource?: string;
  /** Presets: the hidden layers' widths (mlp default [256]). */
  hidden?: readonly number[];
  /** Presets: the hidden layers' activation (default "relu"). */
  activation?: Activation;
  /** Default: cross-entropy for classes, mse for values. */
  loss?: LossName;
  /** Default "adam" (convnet: with weight decay 5e-4). */
  optimizer?: OptimizerName;
  /** Default: the optimizer's usual rate; "auto" runs a range test first. */
  lr?: number | "auto";
  /** Default: "cosine" for a new cnn or convnet, else "none". */
  schedule?: ScheduleName;
  /** Default: convnet 30, else enough for about 1,000 steps, between 15 and 200 (resuming: how many more). */
  epochs?: number;
  /** Default 64 (resuming: the saved one). */
  batchSize?: number;
  /** Default 0.1. */
  validationSplit?: number;
  /** Default "shift" for images (convnet: "flip-crop"), "none" for tables. */
  augment?: AugmentName;
  /** Stop after this many epochs without a better validation loss, keeping the best weights. */
  patience?: number;
  /** Seed of the weights, the split, the shuffles and the augmentation (default 0). */
  seed?: number;
  /** Held-out data to evaluate the final model on (e.g. MNIST's test digits). */
  test?: Dataset | null;
  /** What the data is called in the record (a path, "mnist"). */
  dataName?: string;
  /** Continue training this saved model with its optimizer state and settings. */
  resume?: ResumeFrom | null;
  /** Refuse, before building the model, a run estimated to need more bytes (default 2 GiB). */
  maxMemory?: number;
  /** How the refusal says the limit is raised (default: "a larger maxMemory"). */
  raiseLimit?: string;
}

/** The settings a run goes with, defaults resolved. */
export interface RunSettings {
  /** The preset's name, or "custom". */
  modelName: string;
  /** The loss's name. */
  loss: LossName;
  /** Samples per gradient step. */
  batchSize: number;
  /** Epochs this run trains (resuming: how many more). */
  epochs: number;
  /** The fraction of the data held out for validation (0: none). */
  validationSplit: number;
  /** The number of training samples after the split. */
  trainSize: number;
  /** The number of validation samples. */
  validationSize: number;
  /** The augmentation of training batches ("none" for none). */
  augment: AugmentName;
  /** The learning-rate schedule's name ("none" for a constant rate). */
  schedule: ScheduleName;
  /** The seed of the weights, the split, the shuffles and the augmentation. */
  seed: number;
  /** Epochs trained before this run (0 for a new model). */
  initialEpoch: number;
  /** The learning rate, or "auto" for a range test first. */
  lr: number | "auto";
  /** Early stopping's patience in epochs, or null for none. */
  patience: number | null;
}

/** What a run gives. */
export interface RunResult {
  /** What fit reported: the epochs and how training ended. */
  history: History;
  /** The test data's loss and accuracy (null without test data). */
  test: Evaluation | null;
  /** The record to save with the model. */
  record: TrainingRecord;
  /** Whether the model holds weights worth saving: false when the loss diverged before any epoch of this run. */
  saveable: boolean;
}

/** A prepared run: the model and optimizer built, the settings resolved; fit() trains. */
export interface TrainingRun {
  /** The data trained on: as given, or standardized per channel when the preset asks for it (convnet). */
  readonly data: Dataset;
  /** The test data as the model reads it (standardized like `data`), or null. */
  readonly test: Dataset | null;
  /** The model being trained (new, or the resumed one). */
  readonly model: Module;
  /** The optimizer that trains it (resuming: with the saved state loaded). */
  readonly optimizer: Optimizer;
  /** The run's settings, every default resolved. */
  readonly settings: RunSettings;
  /** Trains, evaluates the test data, and resolves with the record to save. */
  fit(callbacks?: Callbacks | Callbacks[]): Promise<RunResult>;
}

/** Options a resumed run keeps from the saved model: giving them is an error. */
const FIXED_WHEN_RESUMING = [
  "model",
  "hidden",
  "activation",
  "loss",
  "optimizer",
  "validationSplit",
  "seed",
] as const;

/**
 * Prepares a training run on `data` (a data set with its preprocessing): builds the model (or
 * takes the resumed one) and the optimizer, and resolves every default. The global generator is
 * seeded first, so equal seeds give equal weights.
 * @example
 * const rows = Array.from({ length: 40 }, (_, i) => `${i % 8},${i % 5},${i % 8 < 4 ? "left" : "right"}`);
 * const points = data.parseCsv(["x,y,side", ...rows].join("\n"));
 * const run = train.prepareRun(points, { epochs: 3 });
 * const { history, record } = await run.fit();
 * record.epochs; // 3
 */
export function prepareRun(given: Dataset, opts: RunOptions = {}): TrainingRun {
  const resume = opts.resume ?? null;
  if (resume !== null) {
    const fixed = FIXED_WHEN_RESUMING.find((key) => opts[key] !== undefined);
    if (fixed !== undefined) {
      throw new Error(
        `${fixed} cannot change when resuming: the run continues with the saved model's settings`,
      );
    }
  }
  if (given.preprocessing === null)
    throw new Error("prepareRun: the data set needs a preprocessing (it is saved with the model)");
  const saved = resume?.training;
  const task = given.task;
  const seed = saved?.seed ?? opts.seed ?? 0;
  const modelName =
    saved?.model ??
    (typeof opts.model === "object"
      ? "custom"
      : (opts.model ?? defaultPreset(inputShapeOf(given.preprocessing))));
  const recipe: PresetTraining = resume === null ? presetTraining(modelName) : {};
  const [data, test] = recipe.standardize
    ? standardized(given, opts.test ?? null)
    : [given, opts.test ?? null];
  const prep = data.preprocessing!;
  const loss = saved?.loss ?? opts.loss ?? defaultLoss(task);
  resolveLoss(loss, task); // refuses a loss that does not fit the task
  const batchSize = opts.batchSize ?? saved?.batchSize ?? DEFAULT_RUN_BATCH_SIZE;
  const validationSplit = saved?.valSplit ?? opts.validationSplit ?? 0.1;
  const validationSize = Math.round(data.length * validationSplit);
  const trainSize = data.length - validationSize;
  if (validationSplit > 0 && (validationSize === 0 || trainSize === 0)) {
    throw new Error(
      `a validation split of ${validationSplit} of ${data.length} samples leaves no ${validationSize === 0 ? "validation" : "training"} sample (0 trains without validation)`,
    );
  }
  manualSeed(seed);
  const outputs = task === "classification" ? data.classNames!.length : (data.y.shape[1] ?? 1);
  const inputShape = inputShapeOf(prep);
  const architecture =
    resume?.module.toConfig() ??
    architectureOf({ ...opts, model: opts.model ?? (modelName as PresetName) }, inputShape, outputs);
  // before any weight is allocated: a run that cannot fit says so with its estimate
  const estimate = estimateTraining(architecture, inputShape, batchSize, data.x.size * 4);
  checkMemory(
    `training ${modelName} (${estimate.values.toLocaleString("en-US")} weights, batches of ${batchSize} samples of [${inputShape.join(", ")}])`,
    estimate.bytes,
    opts.maxMemory ?? DEFAULT_MAX_MEMORY,
    opts.raiseLimit ?? "a smaller model, batch or input, or a larger maxMemory",
  );
  const model =
    resume?.module ?? buildChecked(architecture, inputShape, outputs, opts.modelSource ?? "the architecture");
  const optimizer = resume === null ? newOptimizer(opts, recipe, model) : resumedOptimizer(resume, model);
  const settings: RunSettings = {
    modelName,
    loss,
    batchSize,
    epochs: opts.epochs ?? recipe.epochs ?? defaultEpochs(Math.ceil(trainSize / batchSize)),
    validationSplit,
    trainSize,
    validationSize,
    augment: opts.augment ?? saved?.augment ?? (prep.kind === "image" ? (recipe.augment ?? "shift") : "none"),
    schedule: opts.schedule ?? recipe.schedule ?? "none",
    seed,
    initialEpoch: saved?.epochs ?? 0,
    lr: opts.lr ?? optimizer.lr,
    patience: opts.patience ?? null,
  };
  return {
    data,
    test,
    model,
    optimizer,
    settings,
    fit: (callbacks) =>
      runFit({ data, model, optimizer, settings, opts: { ...opts, test }, outputs }, callbacks),
  };
}

interface Prepared {
  data: Dataset;
  model: Module;
  optimizer: Optimizer;
  settings: RunSettings;
  opts: RunOptions;
  outputs: number;
}

async function runFit(run: Prepared, callbacks: Callbacks | Callbacks[] | undefined): Promise<RunResult> {
  const { data, model, optimizer, settings, opts } = run;
  const history = await fit(model, data, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationSplit: settings.validationSplit,
    loss: settings.loss,
    optimizer,
    lr: opts.lr,
    schedule: settings.schedule,
    augment: settings.augment,
    seed: settings.seed,
    initialEpoch: settings.initialEpoch,
    earlyStopping: settings.patience === null ? undefined : { patience: settings.patience },
    callbacks,
  });
  const saveable = !(
    history.stopReason === "non-finite-loss" && history.weightsEpoch <= settings.initialEpoch
  );
  const results: Record<string, number> = {};
  const kept = history.epochs.find((log) => log.epoch === history.weightsEpoch);
  const test =
    opts.test == null || !saveable ? null : await evaluate(model, opts.test, { loss: settings.loss });
  const figures = {
    valLoss: kept?.valLoss,
    valAccuracy: kept?.valAccuracy,
    testLoss: test?.loss,
    testAccuracy: test?.accuracy ?? undefined,
  };
  // only finite figures: model.json holds JSON numbers, and its reader refuses anything else
  for (const [name, value] of Object.entries(figures)) {
    if (value !== undefined && Number.isFinite(value)) results[name] = value;
  }
  const record: TrainingRecord = {
    model: settings.modelName,
    loss: settings.loss,
    link: resolveLoss(settings.loss, data.task).link,
    outputs: run.outputs,
    data: opts.dataName ?? opts.resume?.training.data ?? "",
    epochs: history.weightsEpoch,
    seed: settings.seed,
    valSplit: settings.validationSplit,
    batchSize: settings.batchSize,
    augment: settings.augment,
    schedule: settings.schedule,
    results,
  };
  return { history, test, record, saveable };
}

/** The layers to train: a preset sized to the data, or the caller's own config. */
function architectureOf(opts: RunOptions, inputShape: number[], outputs: number): LayerConfig {
  const choice = opts.model ?? "mlp";
  if (typeof choice === "string") {
    if (!PRESET_NAMES.includes(choice)) {
      throw new Error(
        `unknown model ${JSON.stringify(choice)} (known: ${PRESET_NAMES.join(", ")}, or a layer config)`,
      );
    }
    return preset(choice, { inputShape, outputs, hidden: opts.hidden, activation: opts.activation });
  }
  if (opts.hidden !== undefined || opts.activation !== undefined) {
    throw new Error(
      "hidden and activation shape the presets; an architecture of one's own says its own layers",
    );
  }
  return choice;
}

function newOptimizer(opts: RunOptions, recipe: PresetTraining, model: Module): Optimizer {
  const lr = typeof opts.lr === "number" ? opts.lr : undefined;
  return createOptimizer(opts.optimizer ?? recipe.optimizer ?? "adam", model.parameters(), lr);
}

/** Image data (and its test data) standardized per channel with the training images' statistics; as given if done already. */
function standardized(data: Dataset, test: Dataset | null): [Dataset, Dataset | null] {
  const prep = data.preprocessing;
  if (prep?.kind !== "image" || prep.mean !== undefined) return [data, test];
  const ready = standardizeImages(data);
  const stats = ready.preprocessing as { mean: number[]; std: number[] };
  return [ready, test === null ? null : standardizeImages(test, stats)];
}

function resumedOptimizer(resume: ResumeFrom, model: Module): Optimizer {
  const state = resume.optimizer;
  if (state === null) throw new Error("the saved model has no optimizer state to resume from");
  const optimizer = optimizerForState(state.type, model.parameters());
  optimizer.loadStateDict(state);
  return optimizer;
}

/** At least 15 epochs, more for small data sets: enough for about 1,000 steps (at most 200 epochs). */
function defaultEpochs(batchesPerEpoch: number): number {
  return Math.min(200, Math.max(15, Math.ceil(1000 / batchesPerEpoch)));
}
