/** Which versions of the ONNX operator set deriva writes and reads. */

/** The opset toOnnx writes unless asked: 17, the newest that PyTorch 1.13 writes and every ONNX Runtime since 1.13 reads. */
export const DEFAULT_OPSET = 17;

/** toOnnx writes opsets 13 (Softmax along any axis) to 22. */
export const EXPORT_OPSETS = {
  /** The oldest opset accepted. */
  min: 13,
  /** The newest opset accepted. */
  max: 22,
} as const;

/** fromOnnx reads opsets 9 (BatchNormalization without `spatial`) to 22. */
export const IMPORT_OPSETS = {
  /** The oldest opset accepted. */
  min: 9,
  /** The newest opset accepted. */
  max: 22,
} as const;

/** The first opset with a Gelu operator; below it GELU is written with Erf. */
export const GELU_OPSET = 20;

/** The IR version that goes with an opset of the default domain (from ONNX's versioning table). */
export function irVersionFor(opset: number): number {
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  return 7;
}
