/**
 * For the ONNX tests: hand-made files (a chain of nodes over float32 initializers) and models with
 * every layer deriva has.
 */
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
} from "onnx-buf";
import { manualSeed, nn, noGrad, randn } from "../../src/index.js";
import { floatValueInfo } from "../../src/onnx/protobuf.js";

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
        input: [floatValueInfo("x", ["N", ...opts.sample])],
        output: (opts.outputs ?? ["y"]).map((name) => floatValueInfo(name, ["N"])),
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

/** Every layer deriva has, for [2, 8, 10] samples (its output: 3 values). */
export const EVERY_LAYER: nn.LayerConfig[] = [
  { type: "Conv2d", in: 2, out: 4, kernel: 3, padding: 1 },
  { type: "BatchNorm2d", features: 4, eps: 1e-3, momentum: 0.2 },
  { type: "GELU" },
  { type: "MaxPool2d", kernel: 2 },
  { type: "Conv2d", in: 4, out: 6, kernel: [3, 2], stride: [1, 2], padding: [1, 0], bias: false },
  { type: "LeakyReLU", slope: 0.2 },
  { type: "AvgPool2d", kernel: 2, stride: 1 },
  { type: "Flatten", startAxis: 1 },
  { type: "Dropout", p: 0.3 },
  { type: "Linear", in: 18, out: 5 },
  { type: "BatchNorm1d", features: 5 },
  { type: "Sigmoid" },
  { type: "Linear", in: 5, out: 4, bias: false },
  { type: "ReLU" },
  { type: "Linear", in: 4, out: 3 },
  { type: "Tanh" },
  { type: "Softmax", axis: -1 },
];

/** A model of `layers` whose BatchNorm statistics have moved (three training passes), in eval mode. */
export function trainedLooking(layers: nn.LayerConfig[], sampleShape: number[]): nn.Module {
  manualSeed(3);
  const model = nn.fromConfig({ type: "Sequential", layers });
  noGrad(() => {
    for (let i = 0; i < 3; i++) model.forward(randn([4, ...sampleShape]));
  });
  return model.eval();
}
