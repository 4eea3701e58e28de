/**
 * deriva/node: the parts that need Node's file system — loading CSV files and image folders,
 * model folders (saved atomically, locked while written, read by what model.json names), and
 * training runs saved into them. (The built-in datasets ship with the command line:
 * `import { loadMnist } from "@deriva/cli/datasets"`.)
 * `import { loadCsv, loadImageFolder, saveModel, loadModel, trainModelFolder } from "deriva/node"`
 */
export {
  checkFileDestination,
  checkFolderDestination,
  type WriteOptions,
  writeFileAtomic,
} from "./atomic-write.js";
export { type CsvFileOptions, type CsvProgress, loadCsv, loadCsvFeatures, readCsvFile } from "./csv-file.js";
export { type FolderLock, LOCK_FILE, lockFolder } from "./folder-lock.js";
export { type DecodeImageOptions, decodeImage } from "./image-decode.js";
export { type ImageFolderOptions, loadImageFolder, loadImages } from "./image-folder.js";
export { memoryLimit, RAISE_LIMIT } from "./memory-limit.js";
export {
  DEFAULT_WEIGHTS_FILE,
  MODEL_JSON,
  type ModelFolder,
  type ReadFolderOptions,
  readModelFolder,
  type SaveFolderOptions,
  saveModelFolder,
} from "./model-folder.js";
export {
  type LoadedModel,
  loadModel,
  type SavedModel,
  type SaveModelOptions,
  saveModel,
} from "./saved-model.js";
export {
  type FolderRunOptions,
  HISTORY_FILE,
  readHistory,
  type SaveRunOptions,
  saveRun,
  trainModelFolder,
} from "./training-run.js";
