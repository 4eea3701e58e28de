/**
 * deriva/node: the parts that need Node's file system — loading CSV files and image folders, and
 * saving and reading model folders. (The built-in datasets ship with the command line:
 * `import { loadMnist } from "@deriva/cli/datasets"`.)
 * `import { loadCsv, loadImageFolder, saveModelFiles, readModelFiles } from "deriva/node"`
 */
export { writeFileAtomic } from "./atomic-write.js";
export { loadCsv, loadCsvFeatures } from "./csv-file.js";
export { decodeImage } from "./image-decode.js";
export { type ImageFolderOptions, loadImageFolder, loadImages } from "./image-folder.js";
export {
  MODEL_JSON,
  OPTIMIZER_FILE,
  type OptimizerState,
  type ReadModelOptions,
  readModelFiles,
  type SavedModel,
  type SaveModelOptions,
  saveModelFiles,
  WEIGHTS_FILE,
} from "./model-files.js";
