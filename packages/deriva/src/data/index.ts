/**
 * Data: in-memory data sets, mini-batch loaders, CSV tables and image preprocessing (browser-safe;
 * the loaders that read files live in `deriva/node`).
 */
export { type CsvColumn, type CsvReadOptions, type CsvTable, MAX_DISTINCT, readCsvTable } from "./csv.js";
export { type CsvOptions, parseCsv, parseCsvFeatures, tableDataset, tableFeatures } from "./csv-dataset.js";
export { Dataset, type DatasetInit, type Preprocessing, type Task } from "./dataset.js";
export { gatherRows } from "./gather.js";
export {
  centerCrop,
  type ImagePreprocessing,
  type ImageToInputOptions,
  imageToInput,
  isGray,
  type RgbaImage,
  resizeToRgb,
  standardizeInPlace,
  toChannels,
} from "./image.js";
export { type ChannelStats, fitChannelStats, standardizeImages } from "./image-standardization.js";
export { type Batch, DataLoader, type DataLoaderOptions, type Samples } from "./loader.js";
export { checkPreprocessing, encodedNames, inputShapeOf } from "./preprocessing.js";
export { mulberry32, permutation } from "./seeded-shuffle.js";
export {
  type CategoricalColumn,
  encodeFeatures,
  encodeTargets,
  type FeatureColumn,
  fitTabular,
  type NumericColumn,
  type TabularApplyOptions,
  type TabularFitOptions,
  type TabularPreprocessing,
  type TabularTarget,
} from "./tabular.js";
