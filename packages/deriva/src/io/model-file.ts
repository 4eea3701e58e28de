/**
 * model.json, the file that makes a folder a saved model: it says it is a deriva model of which
 * version, for which task, with which architecture, preprocessing, classes and training record,
 * and it names the weight files that belong to it (with their sizes and SHA-256). Browser-safe:
 * the folder on disk is deriva/node's.
 */
import type { Preprocessing, Task } from "../data/dataset.js";
import { checkPreprocessing, inputShapeOf } from "../data/preprocessing.js";
import type { LayerConfig } from "../nn/config-types.js";
import { VERSION } from "../version.js";

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The `format` of every model.json. */
export const MODEL_FORMAT = "deriva-model";

/** A file of the model folder as the save wrote it: a reader refuses a file that differs. */
export interface FileDigest {
  /** File name inside the model folder. */
  file: string;
  /** Its size in bytes. */
  bytes: number;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
}

/** The weight files a model.json names. */
export interface ModelFiles {
  /** The parameters and buffers, by PyTorch-style name (safetensors). */
  weights: FileDigest;
  /** The optimizer state, kept for resuming training (safetensors). */
  optimizer?: FileDigest;
}

/** What describes a model beside its weights: everything in model.json but the envelope. */
export interface ModelDescription {
  /** "classification" (the outputs are class scores) or "regression" (the outputs are numbers). */
  task: Task;
  /** The layers, as `module.toConfig()` writes them. */
  architecture: LayerConfig;
  /** How raw inputs become the model's inputs (null when the caller prepares inputs itself). */
  preprocessing: Preprocessing | null;
  /** The shape of one input sample; default: the one the preprocessing gives. */
  inputShape?: readonly number[];
  /** Class names (index i ↔ classes[i]) for classification; null for regression. */
  classes: readonly string[] | null;
  /**
   * How it was trained, as JSON (deriva's training runs write a train.TrainingRecord here, which
   * deriva/node's readers check with train.checkTrainingRecord).
   */
  training?: JsonObject;
}

/** The content of model.json, checked and complete. */
export interface ModelFile extends ModelDescription {
  /** Always "deriva-model": a reader refuses a JSON file without it. */
  format: typeof MODEL_FORMAT;
  /** The deriva version that saved it; a reader refuses another major version. */
  derivaVersion: string;
  /** The shape of one input sample (without the batch axis). */
  inputShape: number[];
  /** The weight files saved with it (absent in a hand-written model.json: weights.safetensors, unchecked). */
  files?: ModelFiles;
}

/** model.json's keys, in the order they are written. */
const REQUIRED = ["derivaVersion", "task", "architecture", "preprocessing", "classes"] as const;

/**
 * Parses and checks model.json: valid JSON, the deriva-model format, a derivaVersion of this
 * major version, a known task, class names that fit it, a layer config, a preprocessing whose
 * every field is right, a training record that is an object, and well-formed file digests.
 * `source` names the file in the one-line errors.
 */
export function parseModelJson(text: string, source = "model.json"): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is corrupt: not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new Error(`${source} is corrupt: it must hold a JSON object`);
  if (value.format !== MODEL_FORMAT) {
    throw new Error(
      `${source} is not a deriva model: its format is ${JSON.stringify(value.format) ?? "missing"}, not "${MODEL_FORMAT}"`,
    );
  }
  for (const field of REQUIRED) {
    if (!Object.hasOwn(value, field))
      throw new Error(`${source} is incomplete: the field '${field}' is missing`);
  }
  checkVersion(value.derivaVersion, source);
  const task = value.task;
  if (task !== "classification" && task !== "regression") {
    throw new Error(`${source}: task must be "classification" or "regression", got ${JSON.stringify(task)}`);
  }
  const classes = checkClasses(value.classes, task, source);
  const architecture = value.architecture;
  if (!isRecord(architecture) || typeof architecture.type !== "string") {
    throw new Error(`${source}: architecture must be a layer config, an object with a "type"`);
  }
  const preprocessing = value.preprocessing === null ? null : checkPreprocessing(value.preprocessing, source);
  if (preprocessing?.kind === "tabular") checkTarget(preprocessing, task, classes, source);
  const inputShape = checkInputShape(value.inputShape, preprocessing, source);
  // "extra": where models of deriva 0.1.0 kept the training record
  const training = value.training ?? value.extra;
  if (training !== undefined && !isRecord(training)) {
    throw new Error(`${source}: training must be an object, got ${JSON.stringify(training)}`);
  }
  const model: ModelFile = {
    format: MODEL_FORMAT,
    derivaVersion: value.derivaVersion as string,
    task,
    architecture: architecture as LayerConfig,
    preprocessing,
    inputShape,
    classes,
    ...(training === undefined ? {} : { training: training as JsonObject }),
  };
  if (value.files !== undefined) model.files = checkFiles(value.files, source);
  return model;
}

/**
 * The content of model.json for a model described by `description` whose weight files are
 * `files` (their names, sizes and SHA-256), saved by this version of deriva.
 *
 * @example
 * const architecture = new nn.Linear(2, 1).toConfig();
 * const description = { task: "regression" as const, architecture, preprocessing: null, inputShape: [2], classes: null };
 * const file = io.describeModelFile(description, { weights: { file: "weights.safetensors", bytes: 0, sha256: "" } });
 * file.format; // "deriva-model"
 */
export function describeModelFile(description: ModelDescription, files: ModelFiles): ModelFile {
  const { task, architecture, preprocessing, inputShape, classes, training } = description;
  // the reader fills in what is left out (the input shape, the training record's defaults)
  return {
    format: MODEL_FORMAT,
    derivaVersion: VERSION,
    task,
    architecture,
    preprocessing,
    ...(inputShape === undefined ? {} : { inputShape: [...inputShape] }),
    classes,
    ...(training === undefined ? {} : { training }),
    files,
  } as ModelFile;
}

/**
 * model.json's text for a model, checked by the reader's own parseModelJson (and `check`, the
 * reader's further checks) before it is returned: what cannot be read back (a NaN statistic, which
 * JSON would turn into null; a wrong field) is refused here, at saving time, not by a later reader.
 */
export function modelJsonText(
  model: ModelFile,
  source = "model.json",
  check: (read: ModelFile) => void = () => undefined,
): string {
  const text = `${JSON.stringify(model, null, 2)}\n`;
  try {
    check(parseModelJson(text, source));
  } catch (error) {
    throw new Error(`refusing to save a model its reader would refuse: ${(error as Error).message}`);
  }
  return text;
}

function checkVersion(version: unknown, source: string): void {
  const match = typeof version === "string" ? /^(\d+)\.\d+\.\d+/.exec(version) : null;
  if (match === null) {
    throw new Error(
      `${source}: derivaVersion must be a version such as "${VERSION}", got ${JSON.stringify(version)}`,
    );
  }
  const major = VERSION.split(".")[0];
  if (match[1] !== major) {
    throw new Error(
      `${source} was saved by deriva ${version}, this is deriva ${VERSION}: models do not carry across major versions`,
    );
  }
}

function checkClasses(classes: unknown, task: Task, source: string): string[] | null {
  if (task === "regression") {
    if (classes !== null) {
      throw new Error(`${source}: a regression model has 'classes': null, got ${JSON.stringify(classes)}`);
    }
    return null;
  }
  if (
    !Array.isArray(classes) ||
    classes.length < 2 ||
    !classes.every((c) => typeof c === "string") ||
    new Set(classes).size !== classes.length
  ) {
    throw new Error(`${source}: a classification model needs 'classes', at least two distinct class names`);
  }
  return [...(classes as string[])];
}

/** A table's target must be of the model's task, with the model's classes. */
function checkTarget(
  prep: Extract<Preprocessing, { kind: "tabular" }>,
  task: Task,
  classes: readonly string[] | null,
  source: string,
): void {
  const { target } = prep;
  if (target.task !== task) {
    throw new Error(`${source}: the preprocessing's target is for ${target.task}, the model for ${task}`);
  }
  if (target.task === "classification" && target.classes.join("\n") !== classes!.join("\n")) {
    throw new Error(`${source}: the preprocessing's target classes differ from the model's classes`);
  }
}

function checkInputShape(value: unknown, preprocessing: Preprocessing | null, source: string): number[] {
  const derived = preprocessing === null ? null : inputShapeOf(preprocessing);
  if (value === undefined) {
    if (derived === null) throw new Error(`${source}: a model without a preprocessing needs an inputShape`);
    return derived;
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new Error(
      `${source}: inputShape must be a list of positive integers, got ${JSON.stringify(value)}`,
    );
  }
  if (derived !== null && derived.join() !== value.join()) {
    throw new Error(
      `${source}: inputShape [${value.join(", ")}] differs from the preprocessing's [${derived.join(", ")}]`,
    );
  }
  return [...(value as number[])];
}

function checkFiles(files: unknown, source: string): ModelFiles {
  const fail = (): never => {
    throw new Error(`${source}: 'files' must be { weights: { file, bytes, sha256 }, optimizer?: { ... } }`);
  };
  if (!isRecord(files) || !isDigest(files.weights)) return fail();
  if (files.optimizer !== undefined && !isDigest(files.optimizer)) return fail();
  const digest = ({ file, bytes, sha256 }: FileDigest): FileDigest => ({ file, bytes, sha256 });
  return {
    weights: digest(files.weights as FileDigest),
    ...(files.optimizer === undefined ? {} : { optimizer: digest(files.optimizer as FileDigest) }),
  };
}

/** A digest names a plain file of the folder: no path, no hidden file, nothing odd. */
function isDigest(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.file === "string" &&
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(value.file) &&
    Number.isSafeInteger(value.bytes) &&
    (value.bytes as number) >= 0 &&
    typeof value.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(value.sha256)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
