/** Hand-made ONNX files for the reader's tests: a chain of nodes over float32 initializers. */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type AttributeProto,
  AttributeProtoSchema,
  AttributeProto_AttributeType as AttributeType,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  ValueInfoProtoSchema,
} from "onnx-buf";

export interface NodeSpec {
  op: string;
  inputs: string[];
  output: string;
  attributes?: AttributeProto[];
  name?: string;
}

/** A float32 initializer with raw little-endian data. */
export function floats(name: string, dims: number[], values?: number[]): TensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = Float32Array.from(values ?? Array.from({ length: size }, (_, i) => ((i % 7) - 3) / 10));
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    rawData: new Uint8Array(data.buffer),
  });
}

export function intAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.INT, i: BigInt(value) });
}

export function floatAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: value });
}

/** An int64 vector initializer (a Reshape's shape), in int64_data. */
export function int64s(name: string, values: number[]): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: values.map(BigInt),
  });
}

export function node(spec: NodeSpec): NodeProto {
  return create(NodeProtoSchema, {
    name: spec.name ?? spec.output,
    opType: spec.op,
    input: spec.inputs,
    output: [spec.output],
    attribute: spec.attributes ?? [],
  });
}

function valueInfo(name: string, dims: (number | string)[]) {
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

/** A model reading `x` [N, ...sample] and returning `y`. */
export function onnxFile(opts: {
  sample: number[];
  nodes: NodeSpec[];
  initializers?: TensorProto[];
  opset?: number;
  outputs?: string[];
}): Uint8Array {
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: "test",
      opsetImport: [{ domain: "", version: BigInt(opts.opset ?? 17) }],
      graph: {
        name: "g",
        node: opts.nodes.map(node),
        initializer: opts.initializers ?? [],
        input: [valueInfo("x", ["N", ...opts.sample])],
        output: (opts.outputs ?? ["y"]).map((name) => valueInfo(name, ["N"])),
      },
    }),
  );
}

/** Linear(4 → 3) as Gemm with transB, then Relu: a valid file to start from. */
export function gemmRelu(): Uint8Array {
  return onnxFile({
    sample: [4],
    nodes: [
      { op: "Gemm", inputs: ["x", "w", "b"], output: "h", attributes: [intAttr("transB", 1)] },
      { op: "Relu", inputs: ["h"], output: "y" },
    ],
    initializers: [floats("w", [3, 4]), floats("b", [3])],
  });
}
