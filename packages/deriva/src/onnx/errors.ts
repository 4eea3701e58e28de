/** The error every refusal of the ONNX reader and writer throws: one line saying what and where. */
export class OnnxError extends Error {
  constructor(message: string) {
    // names come from the file: whatever they hold, the message stays one line
    const line = escapeControls(message);
    super(line.startsWith("onnx: ") ? line : `onnx: ${line}`);
    this.name = "OnnxError";
  }
}

/** A name read from a file, quoted for a message. */
export function quote(name: string): string {
  return `'${clip(name)}'`;
}

/** A string read from a file, cut at 80 characters for a message. */
export function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Control characters and line separators written as \uXXXX. */
function escapeControls(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0)!;
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    out += control ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}
