/**
 * Trained models on disk, typed: a module with what describes it (task, classes, preprocessing,
 * training record) and the optimizer state to resume with (train.SavedModel), saved as a model
 * folder and loaded back as a built, checked module. (The folder itself, its atomic save and its
 * checks: model-folder.ts; the same files as bytes, for browsers: train.encodeModel/decodeModel.)
 */
import { join } from "node:path";
import type { ModelFile } from "../io/model-file.js";
import { assembleModel, type LoadedModel, modelDescription, type SavedModel } from "../train/saved-model.js";
import type { FolderLock } from "./folder-lock.js";
import {
  DEFAULT_WEIGHTS_FILE,
  MODEL_JSON,
  type ReadFolderOptions,
  readModelFolder,
  saveModelFolder,
} from "./model-folder.js";

export type { LoadedModel, SavedModel };

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
 * @example
 * import { nn } from "deriva";
 * import { saveModel } from "deriva/node";
 * const module = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * await saveModel("my-model", { module, task: "regression", classes: null, preprocessing: null, inputShape: [2], optimizer: null });
 */
export async function saveModel(
  dir: string,
  model: SavedModel,
  opts: SaveModelOptions = {},
): Promise<ModelFile> {
  const optimizer = model.optimizer;
  return await saveModelFolder(dir, modelDescription(model), model.module.stateDict(), {
    ...(optimizer === null ? {} : { optimizer }),
    ...opts,
  });
}

/**
 * Loads a model folder: checks its files (see readModelFolder), builds the architecture, checks
 * that it turns one input sample into the model's outputs, that every weight has the dtype of its
 * tensor (no int32 weights cast silently to floats), and loads the weights. Every problem is one
 * line naming the file.
 * @example
 * import { nn, tensor } from "deriva";
 * import { loadModel, saveModel } from "deriva/node";
 * const module = new nn.Linear(2, 1);
 * await saveModel("my-model", { module, task: "regression", classes: null, preprocessing: null, inputShape: [2], optimizer: null });
 * const loaded = await loadModel("my-model");
 * const x = tensor([[1, 2]]);
 * loaded.module.forward(x).item() === module.forward(x).item(); // true
 */
export async function loadModel(dir: string, opts: ReadFolderOptions = {}): Promise<LoadedModel> {
  const folder = await readModelFolder(dir, opts);
  const file = folder.model;
  return assembleModel(file, folder.training, folder.weights, folder.optimizer, {
    modelJson: join(dir, MODEL_JSON),
    weights: join(dir, file.files?.weights.file ?? DEFAULT_WEIGHTS_FILE),
  });
}
