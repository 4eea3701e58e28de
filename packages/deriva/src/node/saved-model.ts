/**
 * Trained models on disk, typed: a module with what describes it (task, classes, preprocessing,
 * training record) and the optimizer state to resume with, saved as a model folder and loaded
 * back as a built, checked module. (The folder itself, its atomic save and its checks: model-folder.ts.)
 */
import { join } from "node:path";
import type { Preprocessing, Task } from "../data/dataset.js";
import { inputShapeOf } from "../data/preprocessing.js";
import type { ModelFile } from "../io/model-file.js";
import { buildChecked } from "../models/architecture.js";
import type { Module } from "../nn/module.js";
import type { OptimizerStateDict } from "../optim/index.js";
import type { TrainingRecord } from "../train/run-record.js";
import type { FolderLock } from "./folder-lock.js";
import { MODEL_JSON, type ReadFolderOptions, readModelFolder, saveModelFolder } from "./model-folder.js";

/** A trained model with everything needed to use it, save it and resume training it. */
export interface SavedModel {
  module: Module;
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

/** A model loaded from a folder: its module built and its weights loaded; every field known. */
export interface LoadedModel extends SavedModel {
  inputShape: readonly number[];
  training: TrainingRecord;
  /** The folder's model.json as read. */
  file: ModelFile;
}

/** Options of saveModel. */
export interface SaveModelOptions {
  /** The folder's lock when the caller holds it already. */
  lock?: FolderLock;
  /** Called before each change on disk (see saveModelFolder). */
  onStep?: (step: string) => void;
}

/**
 * Saves a trained model as a model folder, atomically as a whole (see saveModelFolder): the
 * architecture from module.toConfig(), the weights from module.stateDict().
 * @example await saveModel("iris-model", { module, task: "classification", classes, preprocessing, optimizer: null });
 */
export async function saveModel(
  dir: string,
  model: SavedModel,
  opts: SaveModelOptions = {},
): Promise<ModelFile> {
  const { module, task, classes, preprocessing, inputShape, training, optimizer } = model;
  return await saveModelFolder(
    dir,
    {
      task,
      architecture: module.toConfig(),
      preprocessing,
      inputShape: inputShape ?? (preprocessing === null ? undefined : inputShapeOf(preprocessing)),
      classes,
      ...(training === undefined ? {} : { training }),
    },
    module.stateDict(),
    { ...(optimizer === null ? {} : { optimizer }), ...opts },
  );
}

/**
 * Loads a model folder: checks its files (see readModelFolder), builds the architecture, checks
 * that it turns one input sample into the model's outputs, that every weight has the dtype of its
 * tensor (no int32 weights cast silently to floats), and loads the weights. Every problem is one
 * line naming the file.
 * @example const { module, preprocessing, classes } = await loadModel("iris-model");
 */
export async function loadModel(dir: string, opts: ReadFolderOptions = {}): Promise<LoadedModel> {
  const folder = await readModelFolder(dir, opts);
  const file = folder.model;
  const jsonPath = join(dir, MODEL_JSON);
  const module = buildChecked(file.architecture, file.inputShape, folder.training.outputs, jsonPath);
  const weightsPath = join(dir, file.files?.weights.file ?? "weights.safetensors");
  const own = new Map([...module.namedParameters(), ...module.namedBuffers()]);
  for (const [name, tensor] of Object.entries(folder.weights)) {
    const target = own.get(name);
    if (target !== undefined && (target.dtype === "int32") !== (tensor.dtype === "int32")) {
      throw new Error(
        `${weightsPath}: '${name}' is ${tensor.dtype}, but the model's '${name}' is ${target.dtype} (it is not converted)`,
      );
    }
  }
  try {
    module.loadStateDict(folder.weights);
  } catch (error) {
    throw new Error(
      `${weightsPath} does not fit the architecture in ${MODEL_JSON}: ${(error as Error).message.replace(/^loadStateDict: /, "")}`,
    );
  }
  return {
    module,
    task: file.task,
    classes: file.classes,
    preprocessing: file.preprocessing,
    inputShape: file.inputShape,
    training: folder.training,
    optimizer: folder.optimizer,
    file,
  };
}
