/**
 * Trained models on disk for the CLI: the model folder's model.json holds the architecture, the
 * preprocessing, the class names and, under `extra`, how the model was trained (loss, epochs,
 * seed, ...), which eval, predict and --resume read back.
 */
import { join } from "node:path";
import { type data, type io, models, type nn, type optim, train } from "deriva";
import {
  MODEL_JSON,
  OPTIMIZER_FILE,
  type OptimizerState,
  readModelFiles,
  saveModelFiles,
  WEIGHTS_FILE,
} from "deriva/node";
import { inputShapeOf } from "./data-source.js";

/** How a model was trained: model.json's `extra`. */
export type TrainingRecord = {
  /** The preset ("mlp", "cnn", "logistic") or "custom" for an architecture file. */
  model: string;
  loss: train.LossName;
  /** How outputs become probabilities or values. */
  link: train.OutputLink;
  /** Outputs of the network: classes, or values predicted. */
  outputs: number;
  /** The --data it was trained on. */
  data: string;
  /** Epochs trained in all (resumed runs add theirs). */
  epochs: number;
  seed: number;
  valSplit: number;
  batchSize: number;
  augment: train.AugmentName;
  schedule: train.ScheduleName;
  /** Final figures of the last run (validation, test), for the record. */
  results: { [name: string]: number };
};

export interface TrainedModel {
  module: nn.Module;
  task: data.Task;
  classes: readonly string[] | null;
  preprocessing: data.Preprocessing;
  record: TrainingRecord;
  /** The optimizer state saved for --resume, if any. */
  optimizer: optim.OptimizerStateDict | null;
}

/** Saves a trained model folder (atomically: model.json last, naming the weight files it belongs with). */
export async function saveTrained(dir: string, trained: TrainedModel): Promise<void> {
  const state = trained.optimizer;
  await saveModelFiles(
    dir,
    {
      task: trained.task,
      architecture: trained.module.toConfig(),
      preprocessing: trained.preprocessing as io.JsonValue,
      classes: trained.classes,
      extra: trained.record as io.JsonValue,
    },
    trained.module.stateDict(),
    state === null
      ? {}
      : {
          optimizer: {
            tensors: state.state,
            config: { type: state.type, options: state.options, steps: state.steps } as io.JsonValue,
          },
        },
  );
}

/**
 * Reads a trained model folder: checks the files (see readModelFiles), rebuilds the architecture,
 * checks it against the preprocessing's input shape and the outputs, and loads the weights.
 * Every problem is one line naming the file.
 */
export async function readTrained(dir: string): Promise<TrainedModel> {
  const saved = await readModelFiles(dir);
  const jsonPath = join(dir, MODEL_JSON);
  const { task, classes } = saved.model;
  const preprocessing = readPreprocessing(saved.model.preprocessing, jsonPath);
  const record = readRecord(saved.model.extra, task, classes, jsonPath);
  const config = models.architectureFrom(saved.model.architecture, jsonPath);
  const module = models.buildChecked(config, inputShapeOf(preprocessing), record.outputs, jsonPath);
  try {
    module.loadStateDict(saved.weights);
  } catch (error) {
    throw new Error(
      `${join(dir, WEIGHTS_FILE)} does not fit the architecture in ${MODEL_JSON}: ${(error as Error).message.replace(/^loadStateDict: /, "")}`,
    );
  }
  const optimizer = saved.optimizer === null ? null : readOptimizer(saved.optimizer, dir);
  return { module, task, classes, preprocessing, record, optimizer };
}

function readPreprocessing(value: io.JsonValue, source: string): data.Preprocessing {
  const fail = (what: string): never => {
    throw new Error(`${source}: the preprocessing is corrupt: ${what}`);
  };
  if (!isObject(value)) return fail("it must be an object");
  if (value.kind === "image") {
    const { height, width, channels, layout } = value;
    if (!isCount(height) || !isCount(width)) fail("height and width must be positive integers");
    if (channels !== 1 && channels !== 3) fail("channels must be 1 or 3");
    if (layout !== "nchw" && layout !== "flat") fail('layout must be "nchw" or "flat"');
    return value as unknown as data.Preprocessing;
  }
  if (value.kind === "tabular") {
    const { columns, featureNames, target } = value;
    if (!Array.isArray(featureNames) || !featureNames.every((n) => typeof n === "string")) {
      fail("featureNames must be a list of names");
    }
    if (!Array.isArray(columns) || !columns.every(isColumn))
      fail("columns must be a list of numeric or categorical columns");
    if (!isObject(target) || typeof target.column !== "string") fail("the target must name its column");
    return value as unknown as data.Preprocessing;
  }
  return fail(`its kind must be "image" or "tabular", got ${JSON.stringify(value.kind)}`);
}

function isColumn(column: io.JsonValue): boolean {
  if (!isObject(column) || typeof column.name !== "string") return false;
  if (column.kind === "numeric")
    return typeof column.mean === "number" && typeof column.std === "number" && column.std !== 0;
  return (
    column.kind === "categorical" &&
    Array.isArray(column.categories) &&
    column.categories.every((c) => typeof c === "string")
  );
}

/** The training record, with defaults for a hand-written model.json that has none. */
function readRecord(
  extra: io.JsonValue | undefined,
  task: data.Task,
  classes: readonly string[] | null,
  source: string,
): TrainingRecord {
  const fields = isObject(extra) ? extra : {};
  const loss = fields.loss ?? (task === "classification" ? "cross-entropy" : "mse");
  if (typeof loss !== "string" || !train.LOSS_NAMES.includes(loss as train.LossName)) {
    throw new Error(
      `${source}: extra.loss must be one of ${train.LOSS_NAMES.join(", ")}, got ${JSON.stringify(loss)}`,
    );
  }
  let link: train.OutputLink;
  try {
    link = train.resolveLoss(loss as train.LossName, task).link;
  } catch (error) {
    throw new Error(`${source}: extra.loss: ${(error as Error).message}`);
  }
  const outputs = fields.outputs ?? (classes === null ? 1 : classes.length);
  if (!isCount(outputs)) throw new Error(`${source}: extra.outputs must be a positive integer`);
  if (classes !== null && outputs !== classes.length) {
    throw new Error(`${source}: the model has ${classes.length} classes but extra.outputs is ${outputs}`);
  }
  const number = (name: string, fallback: number): number => {
    const value = fields[name] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`${source}: extra.${name} must be a number ≥ 0, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const text = <T extends string>(name: string, fallback: T): T => {
    const value = fields[name] ?? fallback;
    if (typeof value !== "string") throw new Error(`${source}: extra.${name} must be a string`);
    return value as T;
  };
  return {
    model: text("model", "custom"),
    loss: loss as train.LossName,
    link,
    outputs,
    data: text("data", ""),
    epochs: number("epochs", 0),
    seed: number("seed", 0),
    valSplit: number("valSplit", 0),
    batchSize: number("batchSize", 64),
    augment: text<train.AugmentName>("augment", "none"),
    schedule: text<train.ScheduleName>("schedule", "none"),
    results: isObject(fields.results) ? (fields.results as { [name: string]: number }) : {},
  };
}

function readOptimizer(state: OptimizerState, dir: string): optim.OptimizerStateDict {
  const { config } = state;
  const ok =
    isObject(config) &&
    typeof config.type === "string" &&
    isObject(config.options) &&
    Array.isArray(config.steps) &&
    config.steps.every((s) => Number.isInteger(s));
  if (!ok) throw new Error(`${join(dir, OPTIMIZER_FILE)}: the optimizer state is corrupt`);
  return {
    type: config.type as string,
    options: config.options as optim.OptimizerStateDict["options"],
    steps: config.steps as number[],
    state: state.tensors,
  };
}

function isObject(value: unknown): value is { [key: string]: io.JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}
