/**
 * deriva/node: the parts that need Node's file system — loading CSV files, image folders and the
 * built-in MNIST, and saving and reading model folders.
 * `import { loadCsv, loadImageFolder, loadMnist, saveModelFiles, readModelFiles } from "deriva/node"`
 */
export { writeFileAtomic } from "./atomic-write.js";
export { loadCsv, loadCsvFeatures } from "./csv-file.js";
export { decodeImage } from "./image-decode.js";
export { type ImageFolderOptions, loadImageFolder, loadImages } from "./image-folder.js";
export { loadMnist, type MnistOptions, type MnistSplit } from "./mnist.js";
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
