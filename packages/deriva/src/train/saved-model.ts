/**
 * A trained model and its files, browser-safe: a module with what describes it (task, classes,
 * preprocessing, training record) and the optimizer state to resume with, turned into the bytes of
 * a model folder's files (model.json and safetensors) and back into a built, checked module. The
 * folder on disk, saved atomically and locked, is deriva/node's (saveModel, loadModel); a page
 * downloads and uploads the same files.
 */
import type { Preprocessing, Task } from "../data/dataset.js";
import { inputShapeOf } from "../data/preprocessing.js";
import {
  describeModelFile,
  type FileDigest,
  type ModelDescription,
  type ModelFile,
  modelJsonText,
  parseModelJson,
} from "../io/model-file.js";
import { decodeOptimizerState, encodeOptimizerState } from "../io/optimizer-file.js";
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from "../io/safetensors.js";
import { checkWeightsFit } from "../io/weights-fit.js";
import { buildChecked } from "../models/architecture.js";
import type { Module } from "../nn/module.js";
import type { OptimizerStateDict } from "../optim/index.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkTrainingRecord, type TrainingRecord } from "./run-record.js";

/** A trained model with everything needed to use it, save it and resume training it. */
export interface SavedModel {
  /** The trained network. */
  module: Module;
  /** "classification" (outputs are class scores) or "regression" (outputs are values). */
  task: Task;
  /** Class names (index i ↔ classes[i]) for classification; null for regression. */
  classes: readonly string[] | null;
  /** How raw inputs (table rows, images) become the module's inputs; null when the caller prepares them. */
  preprocessing: Preprocessing | null;
  /** The shape of one input sample (default: the preprocessing's). */
  inputShape?: readonly number[];
  /** How it was trained (epochs, loss, seed, ...): what a resumed run continues from. */
  training?: TrainingRecord;
  /** The optimizer's state, to resume training exactly (null: not kept). */
  optimizer: OptimizerStateDict | null;
}

/** A model loaded from its files: its module built and its weights loaded; every field known. */
export interface LoadedModel extends SavedModel {
  inputShape: readonly number[];
  training: TrainingRecord;
  /** The model.json as read. */
  file: ModelFile;
}

/** A model folder's files as bytes: model.json's text and the safetensors files it names. */
export interface ModelBytes {
  /** The text of model.json. */
  modelJson: string;
  /** The weights (safetensors), saved under model.json's `files.weights.file`. */
  weights: Uint8Array;
  /** The optimizer state (safetensors) under `files.optimizer.file`, when the model keeps one. */
  optimizer?: Uint8Array;
}

/** The names encodeModel gives the files in model.json. */
export interface ModelFileNames {
  /** Default "weights.safetensors". */
  weights?: string;
  /** Default "optimizer.safetensors". */
  optimizer?: string;
}

/** What model.json says of a saved model beside its weights. */
export function modelDescription(model: SavedModel): ModelDescription {
  const { module, task, classes, preprocessing, inputShape, training } = model;
  return {
    task,
    architecture: module.toConfig(),
    preprocessing,
    inputShape: inputShape ?? (preprocessing === null ? undefined : inputShapeOf(preprocessing)),
    classes,
    ...(training === undefined ? {} : { training }),
  };
}

/** The training record of a model.json, checked (with the defaults a hand-written one leaves out). */
export function trainingRecordOf(file: ModelFile, source: string): TrainingRecord {
  return checkTrainingRecord(file.training, file.task, file.classes, source);
}

/**
 * The files of a model folder for a trained model, as bytes: model.json (naming the weight files
 * with their sizes and SHA-256, and checked by its reader's own checks before it is returned) and
 * the safetensors files. What deriva/node's saveModel writes, and what a page offers for download.
 *
 * @example
 * const module = new nn.Linear(2, 1);
 * const model = { module, task: "regression" as const, classes: null, preprocessing: null, inputShape: [2], optimizer: null };
 * const { modelJson, weights } = await train.encodeModel(model); // the bytes of model.json and the weights file
 */
export async function encodeModel(model: SavedModel, names: ModelFileNames = {}): Promise<ModelBytes> {
  const weights = encodeSafetensors(model.module.stateDict(), { format: "pt" });
  const optimizer = model.optimizer === null ? undefined : encodeOptimizerState(model.optimizer);
  const digests = {
    weights: await digestOf(names.weights ?? "weights.safetensors", weights),
    ...(optimizer === undefined
      ? {}
      : { optimizer: await digestOf(names.optimizer ?? "optimizer.safetensors", optimizer) }),
  };
  const file = describeModelFile(modelDescription(model), digests);
  const modelJson = modelJsonText(file, "model.json", (read) => trainingRecordOf(read, "model.json"));
  return { modelJson, weights, ...(optimizer === undefined ? {} : { optimizer }) };
}

/**
 * A model back from its files' bytes, with every check a model folder's reader makes: model.json
 * (see parseModelJson), the files' sizes and SHA-256 against the ones model.json names, the
 * layers' sizes against the weights file's header before anything is built, the dtypes, and the
 * architecture against the weights. Every problem is one line naming the file.
 *
 * @example
 * const module = new nn.Linear(2, 1);
 * const model = { module, task: "regression" as const, classes: null, preprocessing: null, inputShape: [2], optimizer: null };
 * const copy = await train.decodeModel(await train.encodeModel(model));
 * copy.module.forward(ones([1, 2])).item() === module.forward(ones([1, 2])).item(); // true
 */
export async function decodeModel(files: ModelBytes): Promise<LoadedModel> {
  const file = parseModelJson(files.modelJson, "model.json");
  const training = trainingRecordOf(file, "model.json");
  const weightsName = file.files?.weights.file ?? "weights.safetensors";
  await checkDigest(files.weights, file.files?.weights, weightsName);
  const header = inFile(weightsName, () => readSafetensorsHeader(files.weights));
  checkWeightsFit(file.architecture, header.entries, "model.json", weightsName);
  const weights = inFile(weightsName, () => decodeSafetensors(files.weights)).tensors;
  const digest = file.files?.optimizer;
  let optimizer: OptimizerStateDict | null = null;
  if (digest !== undefined) {
    if (files.optimizer === undefined) throw new Error(`model.json names ${digest.file}, which is missing`);
    await checkDigest(files.optimizer, digest, digest.file);
    optimizer = decodeOptimizerState(files.optimizer, digest.file);
  }
  return assembleModel(file, training, weights, optimizer, { modelJson: "model.json", weights: weightsName });
}

/**
 * Builds a model.json's architecture, checks that it turns one input sample into the model's
 * outputs and that every weight has the dtype of its tensor (int32 weights are not cast to floats),
 * and loads the weights. `names` name the files in errors.
 */
export function assembleModel(
  file: ModelFile,
  training: TrainingRecord,
  weights: Record<string, Tensor>,
  optimizer: OptimizerStateDict | null,
  names: { modelJson: string; weights: string },
): LoadedModel {
  const module = buildChecked(file.architecture, file.inputShape, training.outputs, names.modelJson);
  const own = new Map([...module.namedParameters(), ...module.namedBuffers()]);
  for (const [name, tensor] of Object.entries(weights)) {
    const target = own.get(name);
    if (target !== undefined && (target.dtype === "int32") !== (tensor.dtype === "int32")) {
      throw new Error(
        `${names.weights}: '${name}' is ${tensor.dtype}, but the model's '${name}' is ${target.dtype} (it is not converted)`,
      );
    }
  }
  try {
    module.loadStateDict(weights);
  } catch (error) {
    throw new Error(
      `${names.weights} does not fit the architecture in ${names.modelJson}: ${(error as Error).message.replace(/^loadStateDict: /, "")}`,
    );
  }
  return {
    module,
    task: file.task,
    classes: file.classes,
    preprocessing: file.preprocessing,
    inputShape: file.inputShape,
    training,
    optimizer,
    file,
  };
}

/** SHA-256 of the bytes, lowercase hex (WebCrypto: in browsers, workers and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function digestOf(file: string, bytes: Uint8Array): Promise<FileDigest> {
  return { file, bytes: bytes.length, sha256: await sha256Hex(bytes) };
}

async function checkDigest(bytes: Uint8Array, digest: FileDigest | undefined, name: string): Promise<void> {
  if (digest === undefined) return;
  if (bytes.length !== digest.bytes || (await sha256Hex(bytes)) !== digest.sha256) {
    throw new Error(
      `${name} is not the file model.json was saved with (its size or SHA-256 differs): the file was changed or corrupted`,
    );
  }
}

/** Runs a safetensors read, naming the file in its error. */
function inFile<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message.replace(/^safetensors: /, "")}`);
  }
}
