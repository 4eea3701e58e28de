/**
 * ONNX's protobuf messages, through ONNX's own onnx.proto as compiled by `onnx-buf` onto
 * `@bufbuild/protobuf`: building the messages deriva writes, and decoding a file without trusting it.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from "onnx-buf";
import { OnnxError } from "./errors.js";

export type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from "onnx-buf";
export {
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProtoSchema,
} from "onnx-buf";
export { create };

/** The bytes of a model. */
export function encodeModel(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

/**
 * Decodes a model. Every length in the file is checked against the bytes that are really there
 * and bytes fields are views of `bytes`, so a lying file cannot make this allocate more than a small
 * multiple of its own size; nesting deeper than 100 messages is refused. Unknown fields are dropped.
 */
export function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  try {
    return fromBinary(ModelProtoSchema, bytes, { readUnknownFields: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OnnxError(`${source} is not an ONNX model (it does not decode as one: ${oneLine(reason)})`);
  }
}

/** A float32 initializer or constant named `name` holding `values` with `dims`. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  const raw = new Uint8Array(values.byteLength);
  raw.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    rawData: raw,
  });
}

/** An int64 initializer (shapes for Reshape). */
export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  for (const [i, v] of values.entries()) view.setBigInt64(8 * i, BigInt(v), true);
  return create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    rawData: raw,
  });
}

/** A float32 tensor's name and shape; a string dim is symbolic (the batch axis "N"). */
export function floatValueInfo(name: string, dims: readonly (number | string)[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: "tensorType",
        value: {
          elemType: TensorProto_DataType.FLOAT,
          shape: {
            dim: dims.map((d) => ({
              value:
                typeof d === "string"
                  ? { case: "dimParam" as const, value: d }
                  : { case: "dimValue" as const, value: BigInt(d) },
            })),
          },
        },
      },
    },
  });
}

/** An attribute's value as written: a number is an int unless `float` says otherwise. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { string: string };

/** An AttributeProto named `name`. */
export function attribute(name: string, value: AttributeValue): AttributeProto {
  const Type = AttributeProto_AttributeType;
  if ("int" in value) return create(AttributeProtoSchema, { name, type: Type.INT, i: BigInt(value.int) });
  if ("float" in value) return create(AttributeProtoSchema, { name, type: Type.FLOAT, f: value.float });
  if ("ints" in value)
    return create(AttributeProtoSchema, { name, type: Type.INTS, ints: value.ints.map(BigInt) });
  return create(AttributeProtoSchema, { name, type: Type.STRING, s: new TextEncoder().encode(value.string) });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
