import { describe, expect, it } from "vitest";
import { tensor } from "../../src/index.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.js";

/** A safetensors file from a header text and data bytes; `declared` overrides the header length. */
function craft(header: string, data: Uint8Array | number = 0, declared?: number | bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const body = typeof data === "number" ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

const entry = (dtype: string, shape: unknown, offsets: unknown) =>
  JSON.stringify({ dtype, shape, data_offsets: offsets });

describe("encodeSafetensors / decodeSafetensors", () => {
  it("round-trips float32, float64 and int32 tensors, scalars, empty tensors and metadata", () => {
    const tensors = {
      "0.weight": tensor([
        [1.5, -2],
        [3.25, 1e-30],
      ]),
      "0.bias": tensor([0.1, 0.2], { dtype: "float64" }),
      steps: tensor([7, -3, 2147483647], { dtype: "int32" }),
      scale: tensor(2.5),
      empty: tensor([], { shape: [0, 3] }),
    };
    const bytes = encodeSafetensors(tensors, { format: "pt", note: "héllo" });
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt", note: "héllo" });
    expect(Object.keys(back).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name]!.dtype).toBe(t.dtype);
      expect(back[name]!.shape).toEqual(t.shape);
      expect(back[name]!.data()).toEqual(t.data());
    }
  });

  it("writes the exact layout: u64 header length, space-padded JSON, little-endian data", () => {
    const bytes = encodeSafetensors({ a: tensor([1, 2]) });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(54);
    const view = new DataView(bytes.buffer);
    expect(view.getBigUint64(0, true)).toBe(56n);
    expect(new TextDecoder().decode(bytes.subarray(8, 64))).toBe(`${header}  `);
    expect(bytes.length).toBe(8 + 56 + 8);
    expect(view.getFloat32(64, true)).toBe(1);
    expect(view.getFloat32(68, true)).toBe(2);
  });

  it("writes byte for byte what the reference implementation writes (its own test vectors)", () => {
    // safetensors/src/tensor.rs: test_serialization_forced_alignement and test_empty
    const attn0 = encodeSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) });
    expect(Array.from(attn0)).toEqual([
      72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34,
      58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 44, 50, 44, 51, 93, 44,
      34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125,
      32, 32, 32, 32, 32, 32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
      160, 64,
    ]);
    expect(Array.from(encodeSafetensors({}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    expect(Array.from(encodeSafetensors({}, { framework: "pt" }))).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34,
      102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
  });

  it("orders tensors as the reference writer does: F64, F32, I32, then by name; metadata first", () => {
    const bytes = encodeSafetensors(
      {
        b: tensor([1]),
        i: tensor([1], { dtype: "int32" }),
        "10": tensor([1]),
        a: tensor([1]),
        "2": tensor([1]),
        d: tensor([1], { dtype: "float64" }),
      },
      { format: "pt" },
    );
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    const keys = [...text.matchAll(/"([^"]+)":\{/g)].map((m) => m[1]);
    expect(keys).toEqual(["__metadata__", "d", "10", "2", "a", "b", "i"]);
    const offsets = [...text.matchAll(/"data_offsets":\[(\d+),(\d+)\]/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(offsets).toEqual([
      [0, 8],
      [8, 12],
      [12, 16],
      [16, 20],
      [20, 24],
      [24, 28],
    ]);
  });

  it("reads files from other writers: unpadded header, tensors in any order", () => {
    const data = new Uint8Array(12);
    new DataView(data.buffer).setInt32(0, -5, true);
    new DataView(data.buffer).setFloat64(4, 0.1, true);
    const header = `{"y":${entry("F64", [], [4, 12])},"x":${entry("I32", [1], [0, 4])}}`;
    const { tensors, metadata } = decodeSafetensors(craft(header, data));
    expect(tensors.x!.toArray()).toEqual([-5]);
    expect(tensors.y!.item()).toBe(0.1);
    expect(metadata).toEqual({});
  });

  it("a tensor named __proto__ is an ordinary entry", () => {
    const { tensors } = decodeSafetensors(craft(`{"__proto__":${entry("F32", [1], [0, 4])}}`, 4));
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(["__proto__"]);
  });

  it("refuses names and metadata it cannot write", () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(/cannot name a tensor/);
    expect(() => encodeSafetensors({ "": tensor([1]) })).toThrow(/cannot name a tensor/);
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(
      "safetensors: metadata 'n' must be a string, got number",
    );
  });
});

describe("decodeSafetensors refuses hostile or broken files", () => {
  const ok = `{"w":${entry("F32", [2], [0, 8])}}`;
  const refusals: [string, () => Uint8Array, string | RegExp][] = [
    [
      "a file shorter than 8 bytes",
      () => new Uint8Array(5),
      "the file is 5 bytes long, too short for the 8-byte header length",
    ],
    [
      "a header length past the end",
      () => craft(ok, 8, 1000),
      /header length 1000 runs past the end of the file \(70 bytes\)/,
    ],
    [
      "a header length over the cap",
      () => craft(ok, 8, 2n ** 40n),
      /header length 1099511627776 exceeds the limit of 100000000 bytes/,
    ],
    ["a header length with high bits set", () => craft(ok, 8, 2n ** 63n), /exceeds the limit/],
    [
      "invalid UTF-8",
      () => craft('{"w":1}').fill(0xff, 10, 11),
      "safetensors: the header is not valid UTF-8",
    ],
    ["invalid JSON", () => craft('{"w": {', 0), /the header is not valid JSON/],
    [
      "a header that is not an object",
      () => craft("[1, 2]"),
      "safetensors: the header must be a JSON object",
    ],
    [
      "an entry that is not an object",
      () => craft('{"w": 3}'),
      "safetensors: tensor 'w': its header entry must be an object",
    ],
    [
      "an unknown dtype",
      () => craft(`{"w":${entry("F33", [2], [0, 8])}}`, 8),
      `safetensors: tensor 'w': unknown dtype "F33"`,
    ],
    [
      "an unsupported dtype",
      () => craft(`{"w":${entry("U16", [2], [0, 4])}}`, 4),
      "safetensors: tensor 'w': dtype U16 is not supported (deriva reads F32, F64, I32, F16, BF16 and I64)",
    ],
    [
      "a negative dim",
      () => craft(`{"w":${entry("F32", [-2], [0, 8])}}`, 8),
      /shape must be an array of non-negative integers, got \[-2\]/,
    ],
    [
      "a fractional dim",
      () => craft(`{"w":${entry("F32", [2.5], [0, 10])}}`, 10),
      /shape must be an array of non-negative integers/,
    ],
    [
      "a shape that is not an array",
      () => craft(`{"w":${entry("F32", "2", [0, 8])}}`, 8),
      /shape must be an array/,
    ],
    [
      "negative offsets",
      () => craft(`{"w":${entry("F32", [2], [-8, 0])}}`, 8),
      /data_offsets must be \[begin, end\] with 0 ≤ begin ≤ end, got \[-8,0\]/,
    ],
    [
      "begin after end",
      () => craft(`{"w":${entry("F32", [0], [8, 0])}}`, 8),
      /data_offsets must be \[begin, end\]/,
    ],
    [
      "offsets of the wrong arity",
      () => craft(`{"w":${entry("F32", [2], [0, 8, 9])}}`, 8),
      /data_offsets must be/,
    ],
    [
      "a shape whose size does not match the offsets",
      () => craft(`{"w":${entry("F32", [1000000000], [0, 8])}}`, 8),
      "safetensors: tensor 'w': shape [1000000000] of F32 needs 4000000000 bytes, but data_offsets [0, 8] hold 8",
    ],
    [
      "a shape whose size overflows",
      () => craft(`{"w":${entry("F64", [2 ** 30, 2 ** 30, 2 ** 30], [0, 8])}}`, 8),
      /shape \[1073741824, 1073741824, 1073741824\] is too large/,
    ],
    [
      "offsets out of range",
      () => craft(`{"w":${entry("F32", [2], [0, 8])}}`, 4),
      "safetensors: tensor 'w': data_offsets [0, 8] run past the end of the data (4 bytes): truncated or corrupt",
    ],
    [
      "overlapping tensors",
      () => craft(`{"a":${entry("F32", [2], [0, 8])},"b":${entry("F32", [1], [4, 8])}}`, 8),
      "safetensors: tensors 'a' and 'b' overlap in the data",
    ],
    [
      "a gap between tensors",
      () => craft(`{"a":${entry("F32", [1], [0, 4])},"b":${entry("F32", [1], [8, 12])}}`, 12),
      "safetensors: the data bytes [4, 8) belong to no tensor",
    ],
    [
      "data not covered at the end",
      () => craft(ok, 12),
      "safetensors: the data bytes [8, 12) belong to no tensor",
    ],
    [
      "metadata that is not strings",
      () => craft(`{"__metadata__":{"a":1},"w":${entry("F32", [2], [0, 8])}}`, 8),
      `safetensors: __metadata__ entry 'a' must be a string, got 1`,
    ],
    [
      "metadata that is not an object",
      () => craft(`{"__metadata__":"x","w":${entry("F32", [2], [0, 8])}}`, 8),
      "safetensors: __metadata__ must be an object of strings",
    ],
  ];
  for (const [what, bytes, message] of refusals) {
    it(what, () => {
      expect(() => decodeSafetensors(bytes())).toThrow(message);
    });
  }

  it("a truncated file, at every length", () => {
    const bytes = encodeSafetensors({ a: tensor([[1, 2, 3]]), b: tensor([4], { dtype: "int32" }) });
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeSafetensors(bytes.subarray(0, length))).toThrow(/^safetensors: /);
    }
    expect(decodeSafetensors(bytes).tensors.a!.toArray()).toEqual([[1, 2, 3]]);
  });

  it("caps the header and the data on request", () => {
    const bytes = encodeSafetensors({ a: tensor([1, 2, 3, 4]) });
    expect(() => decodeSafetensors(bytes, { maxHeaderBytes: 16 })).toThrow(/exceeds the limit of 16 bytes/);
    expect(() => decodeSafetensors(bytes, { maxBytes: 8 })).toThrow(
      "safetensors: the tensors hold 16 bytes, more than the limit of 8",
    );
  });
});
