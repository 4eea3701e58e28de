/**
 * The dtypes PyTorch users save beside float32: F16 and BF16 become float32 (every value exact,
 * subnormals, infinities and NaN included), I64 becomes int32 (values outside it refused).
 */
import { describe, expect, it } from "vitest";
import { bfloat16ToNumber, float16ToNumber } from "../../src/io/half-float.js";
import { decodeSafetensors } from "../../src/io/safetensors.js";

/** A safetensors file holding one tensor `w` of `dtype` with these raw bytes. */
function file(dtype: string, shape: number[], data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(
    JSON.stringify({ w: { dtype, shape, data_offsets: [0, data.length] } }),
  );
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function uint16s(values: number[]): Uint8Array {
  return new Uint8Array(Uint16Array.from(values).buffer);
}

describe("safetensors F16, BF16 and I64", () => {
  it("F16 → float32: normal, subnormal, signed zero, infinities and NaN", () => {
    // 1, −2, 65504 (the largest), 2⁻¹⁴ (smallest normal), 2⁻²⁴ (smallest subnormal), −0, +∞, −∞, NaN, 0.1 rounded
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x2e66];
    const { tensors } = decodeSafetensors(file("F16", [2, 5], uint16s(bits)));
    const w = tensors.w!;
    expect(w.dtype).toBe("float32");
    expect(w.shape).toEqual([2, 5]);
    const values = Array.from(w.data());
    expect(values.slice(0, 8)).toEqual([1, -2, 65504, 2 ** -14, 2 ** -24, -0, Infinity, -Infinity]);
    expect(Object.is(values[5], -0)).toBe(true);
    expect(values[8]).toBeNaN();
    expect(values[9]).toBe(0.0999755859375);
  });

  it("float16ToNumber agrees with the bit layout for every exponent", () => {
    for (let exponent = 1; exponent < 31; exponent++) {
      expect(float16ToNumber((exponent << 10) | 0x200)).toBe(1.5 * 2 ** (exponent - 15));
    }
  });

  it("BF16 → float32: the top half of a float32", () => {
    const f32 = Float32Array.from([1, -2.5, 3.140625, 1e-40, Infinity]);
    const high = Array.from(new Uint32Array(f32.buffer), (b) => b >>> 16);
    const { tensors } = decodeSafetensors(file("BF16", [5], uint16s(high)));
    expect(tensors.w!.dtype).toBe("float32");
    const expected = high.map(bfloat16ToNumber);
    expect(Array.from(tensors.w!.data())).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual([1, -2.5, 3.140625]);
  });

  it("I64 → int32, and a value beyond int32 refused", () => {
    const ok = new Uint8Array(new BigInt64Array([0n, 7n, -3n, 2147483647n]).buffer);
    const { tensors } = decodeSafetensors(file("I64", [4], ok));
    expect(tensors.w!.dtype).toBe("int32");
    expect(Array.from(tensors.w!.data())).toEqual([0, 7, -3, 2147483647]);
    const big = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
    expect(() => decodeSafetensors(file("I64", [1], big))).toThrow(
      "safetensors: tensor 'w': the I64 value 1099511627776 does not fit deriva's int32",
    );
  });

  it("sizes are checked with the stored width: an F16 tensor of 3 values needs 6 bytes", () => {
    expect(() => decodeSafetensors(file("F16", [3], new Uint8Array(12)))).toThrow(
      "safetensors: tensor 'w': shape [3] of F16 needs 6 bytes, but data_offsets [0, 12] hold 12",
    );
  });
});
