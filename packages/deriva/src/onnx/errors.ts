/** The error every refusal of the ONNX reader and writer throws: one line saying what and where. */
export class OnnxError extends Error {
  constructor(message: string) {
    super(message.startsWith("onnx: ") ? message : `onnx: ${message}`);
    this.name = "OnnxError";
  }
}
