/**
 * 16-bit floats as PyTorch and ONNX store them, widened to ordinary numbers: IEEE 754 half
 * precision (float16: 1 sign, 5 exponent, 10 fraction bits) and bfloat16 (the top half of a
 * float32: 1 sign, 8 exponent, 7 fraction bits). Every 16-bit value has an exact float32 form.
 */

/** The value of the float16 whose bits are `bits` (0 … 0xffff). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The value of the bfloat16 whose bits are `bits` (0 … 0xffff). */
export function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, (bits << 16) >>> 0);
  return scratch.getFloat32(0);
}

const scratch = new DataView(new ArrayBuffer(4));

/**
 * Little-endian 16-bit floats (`bytes.length` even) widened to a Float32Array, one value per two
 * bytes.
 */
export function widenHalfFloats(bytes: Uint8Array, kind: "float16" | "bfloat16"): Float32Array {
  const out = new Float32Array(bytes.length / 2);
  if (kind === "bfloat16") {
    // a bfloat16 is the high half of a float32: place its two bytes there
    const wide = new Uint8Array(out.buffer);
    for (let i = 0; i < out.length; i++) {
      wide[4 * i + 2] = bytes[2 * i]!;
      wide[4 * i + 3] = bytes[2 * i + 1]!;
    }
    return out;
  }
  for (let i = 0; i < out.length; i++) out[i] = float16ToNumber(bytes[2 * i]! | (bytes[2 * i + 1]! << 8));
  return out;
}
