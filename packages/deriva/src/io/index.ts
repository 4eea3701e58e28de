/** Model files, browser-safe: the safetensors format and the model.json envelope. */
export {
  type FileDigest,
  type JsonValue,
  MODEL_FORMAT,
  type ModelDescription,
  type ModelFile,
  parseModelJson,
} from "./model-file.js";
export {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsContent,
} from "./safetensors.js";
