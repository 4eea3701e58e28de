/**
 * The envelope of a saved model's `model.json`: what says it is a deriva model, of which version,
 * for which task, and which weight files belong to it. What the architecture and preprocessing
 * hold is up to the code that builds models; here they are plain JSON.
 */
import type { Task } from "../data/dataset.js";
import { VERSION } from "../version.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const MODEL_FORMAT = "deriva-model";

/** A file of the model folder as the save wrote it: a reader refuses a file that differs. */
export interface FileDigest {
  /** File name inside the model folder. */
  file: string;
  bytes: number;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
}

/** What the model code provides to save: everything in model.json but the envelope. */
export interface ModelDescription {
  task: Task;
  architecture: JsonValue;
  preprocessing: JsonValue;
  /** Class names (index i ↔ classes[i]) for classification; null for regression. */
  classes: readonly string[] | null;
  extra?: JsonValue;
}

/** The content of model.json. */
export interface ModelFile extends ModelDescription {
  format: typeof MODEL_FORMAT;
  /** The deriva version that saved it; a reader refuses another major version. */
  derivaVersion: string;
  /** The weight files written with it (absent in a hand-written model.json: nothing to check then). */
  files?: { weights: FileDigest; optimizer?: FileDigest };
}

/**
 * Parses and validates model.json: valid JSON, the deriva-model format, a derivaVersion of this
 * major version, a known task, the required fields, and class names that fit the task.
 * `source` names the file in error messages.
 */
export function parseModelJson(text: string, source = "model.json"): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is corrupt: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new Error(`${source} is corrupt: it must hold a JSON object`);
  if (value.format !== MODEL_FORMAT) {
    throw new Error(
      `${source} is not a deriva model: its format is ${JSON.stringify(value.format)}, not "${MODEL_FORMAT}"`,
    );
  }
  for (const field of ["derivaVersion", "task", "architecture", "preprocessing", "classes"]) {
    if (!(field in value)) throw new Error(`${source} is incomplete: the field '${field}' is missing`);
  }
  checkVersion(value.derivaVersion, source);
  const { task, classes } = value;
  if (task !== "classification" && task !== "regression") {
    throw new Error(`${source}: task must be "classification" or "regression", got ${JSON.stringify(task)}`);
  }
  if (task === "classification") {
    if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === "string")) {
      throw new Error(`${source}: a classification model needs 'classes', a non-empty array of class names`);
    }
  } else if (classes !== null) {
    throw new Error(`${source}: a regression model has 'classes': null, got ${JSON.stringify(classes)}`);
  }
  if (value.files !== undefined) checkFiles(value.files, source);
  return value as unknown as ModelFile;
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

function checkFiles(files: unknown, source: string): void {
  const ok =
    isObject(files) &&
    isDigest(files.weights) &&
    (files.optimizer === undefined || isDigest(files.optimizer));
  if (!ok) {
    throw new Error(`${source}: 'files' must be { weights: { file, bytes, sha256 }, optimizer?: { ... } }`);
  }
}

function isDigest(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.file === "string" &&
    /^[^/\\]+$/.test(value.file) &&
    value.file !== "." &&
    value.file !== ".." &&
    Number.isSafeInteger(value.bytes) &&
    typeof value.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(value.sha256)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
