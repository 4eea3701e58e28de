/**
 * Model files, browser-safe: the safetensors format, model.json (its checks, and what a saved
 * architecture must find in the weights file). The folder on disk is deriva/node's.
 */
export {
  describeModelFile,
  type FileDigest,
  type JsonObject,
  type JsonValue,
  MODEL_FORMAT,
  type ModelDescription,
  type ModelFile,
  type ModelFiles,
  modelJsonText,
  parseModelJson,
} from "./model-file.js";
export { decodeOptimizerState, encodeOptimizerState } from "./optimizer-file.js";
export {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  readSafetensorsHeader,
  type SafetensorsContent,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from "./safetensors.js";
export { checkWeightsFit } from "./weights-fit.js";
