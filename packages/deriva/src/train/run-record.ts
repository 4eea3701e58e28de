/**
 * The record of a training run, saved in model.json under `training`: what was trained, how and
 * on what, so that evaluation, prediction and a resumed run can carry on with the same settings.
 */
import type { Task } from "../data/dataset.js";
import { AUGMENT_NAMES, type AugmentName } from "./augment.js";
import { LOSS_NAMES, type LossName, type OutputLink, resolveLoss } from "./loss-spec.js";
import { SCHEDULE_NAMES, type ScheduleName } from "./schedule-spec.js";

/** How a model was trained. */
export type TrainingRecord = {
  /** The preset ("mlp", "cnn", "logistic") or "custom" for an architecture of one's own. */
  model: string;
  /** The loss trained with. */
  loss: LossName;
  /** How outputs become probabilities or values. */
  link: OutputLink;
  /** Outputs of the network: classes, or values predicted. */
  outputs: number;
  /** Where the data came from (a file, a folder, a dataset's name; "" when unknown). */
  data: string;
  /** Epochs trained in all (resumed runs add theirs). */
  epochs: number;
  /** The seed of the weights, the split, the shuffles and the augmentation. */
  seed: number;
  /** The fraction held out for validation. */
  valSplit: number;
  /** Samples per gradient step. */
  batchSize: number;
  /** The augmentation of training batches ("none" for none). */
  augment: AugmentName;
  /** The learning-rate schedule ("none" for a constant rate). */
  schedule: ScheduleName;
  /** Final figures of the last run (valLoss, valAccuracy, testLoss, testAccuracy, ...). */
  results: { [name: string]: number };
};

/**
 * Checks parsed JSON as a training record and fills what a hand-written model.json leaves out
 * (the task's default loss, the classes' count of outputs, 0 epochs, ...). Errors name `source`
 * and the field.
 */
export function checkTrainingRecord(
  value: unknown,
  task: Task,
  classes: readonly string[] | null,
  source: string,
): TrainingRecord {
  if (value !== undefined && !isRecord(value)) {
    throw new Error(`${source}: training must be an object, got ${JSON.stringify(value)}`);
  }
  const fields = value ?? {};
  const fail = (name: string, what: string, got: unknown): never => {
    throw new Error(`${source}: training.${name} must be ${what}, got ${JSON.stringify(got)}`);
  };
  const loss = fields.loss ?? (task === "classification" ? "cross-entropy" : "mse");
  if (typeof loss !== "string" || !LOSS_NAMES.includes(loss as LossName)) {
    fail("loss", `one of ${LOSS_NAMES.join(", ")}`, loss);
  }
  let link: OutputLink;
  try {
    link = resolveLoss(loss as LossName, task).link;
  } catch (error) {
    throw new Error(`${source}: training.loss: ${(error as Error).message}`);
  }
  const outputs = fields.outputs ?? (classes === null ? 1 : classes.length);
  if (!Number.isSafeInteger(outputs) || (outputs as number) < 1)
    fail("outputs", "a positive integer", outputs);
  if (classes !== null && outputs !== classes.length) {
    throw new Error(`${source}: the model has ${classes.length} classes but training.outputs is ${outputs}`);
  }
  const number = (name: string, fallback: number, integer: boolean): number => {
    const got = fields[name] ?? fallback;
    const ok =
      typeof got === "number" && Number.isFinite(got) && got >= 0 && (!integer || Number.isSafeInteger(got));
    return ok ? got : fail(name, integer ? "a whole number ≥ 0" : "a number ≥ 0", got);
  };
  const text = (name: string, fallback: string): string => {
    const got = fields[name] ?? fallback;
    return typeof got === "string" ? got : fail(name, "a string", got);
  };
  const choice = <T extends string>(name: string, allowed: readonly T[]): T => {
    const got = fields[name] ?? "none";
    return allowed.includes(got as T) ? (got as T) : fail(name, `one of ${allowed.join(", ")}`, got);
  };
  const valSplit = number("valSplit", 0, false);
  if (valSplit >= 1) fail("valSplit", "a fraction below 1", valSplit);
  const batchSize = number("batchSize", DEFAULT_RUN_BATCH_SIZE, true);
  if (batchSize < 1) fail("batchSize", "a positive integer", batchSize);
  return {
    model: text("model", "custom"),
    loss: loss as LossName,
    link,
    outputs: outputs as number,
    data: text("data", ""),
    epochs: number("epochs", 0, true),
    seed: number("seed", 0, true),
    valSplit,
    batchSize,
    augment: choice<AugmentName>("augment", AUGMENT_NAMES),
    schedule: choice<ScheduleName>("schedule", SCHEDULE_NAMES),
    results: checkResults(fields.results, source),
  };
}

/** Samples per step of a training run (train.fit's own default is 32; a run, as the CLI trains, uses 64). */
export const DEFAULT_RUN_BATCH_SIZE = 64;

function checkResults(value: unknown, source: string): { [name: string]: number } {
  if (value === undefined) return {};
  const ok =
    isRecord(value) && Object.values(value).every((v) => typeof v === "number" && Number.isFinite(v));
  if (!ok) throw new Error(`${source}: training.results must map names to finite numbers`);
  return { ...(value as { [name: string]: number }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
