/**
 * deriva/onnx: models out to ONNX (the format serving runtimes read) and back.
 * `import { toOnnx, fromOnnx } from "deriva/onnx"`.
 *
 * It encodes with ONNX's own onnx.proto (the `onnx-buf` package on `@bufbuild/protobuf`), which
 * are optional peer dependencies of deriva, kept out of the core: install them to use this
 * subpath (`npm install onnx-buf @bufbuild/protobuf`). The `deriva` command line has them.
 */
export { OnnxError } from "./errors.js";
export { BATCH_AXIS, INPUT_NAME, OUTPUT_NAME, type ToOnnxOptions, toOnnx } from "./export.js";
export {
  INPUT_KEY,
  PLACEMENT_KEY,
  PREPROCESSING_KEY,
  type PreprocessingPlacement,
} from "./export-preprocessing.js";
export { fromOnnx, type OnnxImport, readOnnx } from "./import.js";
export { SUPPORTED_OPS } from "./import-layers.js";
export { DEFAULT_OPSET, EXPORT_OPSETS, IMPORT_OPSETS } from "./opsets.js";
