/**
 * fromOnnx: deriva's own files come back as the same network (every layer, Gelu and the Erf form),
 * hand-made files with the shapes other exporters write are read, and every kind of bad file is
 * refused with one line that names what is wrong.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  ModelProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  TensorProtoSchema,
} from "onnx-buf";
import { describe, expect, it } from "vitest";
import { manualSeed, nn, noGrad, randn, tensor } from "../../src/index.js";
import { fromOnnx, readOnnx, toOnnx } from "../../src/onnx/index.js";
import {
  EVERY_LAYER,
  floatAttr,
  floats,
  gemmRelu,
  int64s,
  intAttr,
  onnxFile,
  trainedLooking,
} from "./onnx-files.js";

function expectSameOutputs(a: nn.Module, b: nn.Module, x: ReturnType<typeof randn>): void {
  const [ya, yb] = noGrad(() => [a.forward(x), b.forward(x)]);
  expect(yb.shape).toEqual(ya.shape);
  const want = ya.data();
  const got = yb.data();
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
}

describe("fromOnnx reads what toOnnx writes", () => {
  for (const opset of [13, 19, 20]) {
    it(`every layer at opset ${opset}: the same outputs, the same configs (Dropout left out)`, () => {
      const model = trainedLooking(EVERY_LAYER, [2, 8, 10]);
      const back = readOnnx(toOnnx(model, { inputShape: [2, 8, 10], opset }));
      expect(back.inputShape).toEqual([2, 8, 10]);
      expect(back.outputShape).toEqual([3]);
      expect(back.producer).toBe("deriva 0.1.0");
      const expected = EVERY_LAYER.filter((l) => l.type !== "Dropout");
      const configs = back.model.layers.map((l) => l.toConfig());
      expect(configs.map((c) => c.type)).toEqual(expected.map((c) => c.type));
      expect(configs[1]).toMatchObject({ eps: expect.closeTo(1e-3, 9), momentum: expect.closeTo(0.2, 6) });
      expectSameOutputs(model, back.model, randn([3, 2, 8, 10]));
    });
  }

  it("Linear on [N, L, features] (MatMul + Add) and Flatten from axis 2 (a Reshape)", () => {
    manualSeed(12);
    const model = new nn.Sequential(
      new nn.Flatten(2),
      new nn.Linear(20, 3),
      new nn.Linear(3, 2, { bias: false }),
    );
    const back = fromOnnx(toOnnx(model, { inputShape: [3, 4, 5] }));
    expect(back.layers.map((l) => l.describe())).toEqual([
      "Flatten(startAxis=2)",
      "Linear(in=20, out=3, bias=true)",
      "Linear(in=3, out=2, bias=false)",
    ]);
    expectSameOutputs(model, back, randn([2, 3, 4, 5]));
  });

  it("leaves out the preprocessing nodes toOnnx put at the front (the preprocessing is in the metadata)", () => {
    manualSeed(13);
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 2));
    const prep = {
      kind: "image",
      height: 4,
      width: 3,
      channels: 1,
      layout: "nchw",
      mean: [0.5],
      std: [0.25],
    } as const;
    const back = readOnnx(
      toOnnx(model, { inputShape: [1, 4, 3], preprocessing: { ...prep, mean: [0.5], std: [0.25] } }),
    );
    expect(back.model.layers.map((l) => l.describe())).toEqual([
      "Flatten(startAxis=1)",
      "Linear(in=12, out=2, bias=true)",
    ]);
    expect(JSON.parse(back.metadata["deriva.preprocessing"]!)).toEqual(prep);
    expectSameOutputs(model, back.model, randn([2, 1, 4, 3]));
  });

  it("keeps metadata_props", () => {
    const model = new nn.Sequential(new nn.Linear(2, 2));
    const back = readOnnx(toOnnx(model, { inputShape: [2], metadata: { "deriva.classes": '["a","b"]' } }));
    expect(back.metadata).toEqual({ "deriva.classes": '["a","b"]' });
  });
});

describe("fromOnnx reads other exporters' forms", () => {
  it("Gemm without transB, with alpha and beta; MatMul then Add; Reshape [-1, k]; Identity; Dropout", () => {
    const w = [1, 2, 3, 4, 5, 6]; // [in 3, out 2]
    const file = onnxFile({
      sample: [1, 3],
      nodes: [
        { op: "Reshape", inputs: ["x", "shape"], output: "r" },
        { op: "Identity", inputs: ["r"], output: "i" },
        { op: "Dropout", inputs: ["i"], output: "d" },
        {
          op: "Gemm",
          inputs: ["d", "w", "b"],
          output: "g",
          attributes: [floatAttr("alpha", 2), floatAttr("beta", 0.5)],
        },
        { op: "MatMul", inputs: ["g", "m"], output: "p" },
        { op: "Add", inputs: ["p", "c"], output: "y" },
      ],
      initializers: [
        int64s("shape", [-1, 3]),
        floats("w", [3, 2], w),
        floats("b", [2], [10, 20]),
        floats("m", [2, 1], [1, -1]),
        floats("c", [1], [0.5]),
      ],
    });
    const model = fromOnnx(file);
    expect(model.layers.map((l) => l.describe())).toEqual([
      "Flatten(startAxis=1)",
      "Linear(in=3, out=2, bias=true)",
      "Linear(in=2, out=1, bias=true)",
    ]);
    // x = [1, 1, 1]: Gemm 2·(x·W) + 0.5·b = 2·[9, 12] + [5, 10] = [23, 34]; then 23 − 34 + 0.5
    expect(noGrad(() => model.forward(tensor([[[1, 1, 1]]]))).toArray()).toEqual([[-10.5]]);
  });
});

describe("fromOnnx refuses, in one line", () => {
  const refuse = (bytes: Uint8Array, message: RegExp | string) => {
    let error: unknown = null;
    try {
      fromOnnx(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).not.toContain("\n");
    expect(text.startsWith("onnx: ")).toBe(true);
    if (typeof message === "string") expect(text).toBe(message);
    else expect(text).toMatch(message);
  };

  it("a truncated file, and files that are not ONNX", () => {
    const good = gemmRelu();
    refuse(good.subarray(0, good.length - 9), /is not an ONNX model \(it does not decode as one: .*\)/);
    refuse(new TextEncoder().encode("just some text, not a model"), /is not an ONNX model/);
    refuse(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /is not an ONNX model/);
    refuse(new Uint8Array(0), "onnx: the file is empty, not an ONNX model");
  });

  it("an initializer kept in an external file", () => {
    const external = create(TensorProtoSchema, {
      name: "w",
      dims: [3n, 4n],
      dataType: TensorProto_DataType.FLOAT,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [{ key: "location", value: "weights.bin" }],
    });
    const file = onnxFile({
      sample: [4],
      nodes: [{ op: "Gemm", inputs: ["x", "w"], output: "y", attributes: [intAttr("transB", 1)] }],
      initializers: [external],
    });
    refuse(
      file,
      "onnx: node 'y' (Gemm): tensor 'w': its data is in an external file ('weights.bin'); deriva reads self-contained files (save the model with its tensors inside: onnx.save(model, path, save_as_external_data=False))",
    );
  });

  it("a graph with branches (a residual connection)", () => {
    const file = onnxFile({
      sample: [4],
      nodes: [
        { op: "Relu", inputs: ["x"], output: "r" },
        { op: "Add", inputs: ["x", "r"], output: "y" },
      ],
    });
    refuse(
      file,
      "onnx: the graph branches: 'x' feeds node 'r' (Relu) and node 'y' (Add); deriva reads graphs that are one chain of layers",
    );
  });

  it("a node off the chain, and a second output", () => {
    const stray = onnxFile({
      sample: [4],
      nodes: [
        { op: "Relu", inputs: ["x"], output: "y" },
        { op: "Sigmoid", inputs: ["z"], output: "w" },
      ],
    });
    refuse(stray, /node 'w' \(Sigmoid\) is not on the chain from 'x' to 'y'/);
    const two = onnxFile({
      sample: [4],
      nodes: [{ op: "Relu", inputs: ["x"], output: "y" }],
      outputs: ["y", "x"],
    });
    refuse(two, "onnx: the graph has 2 outputs; deriva reads models with one");
  });

  it("an unsupported op, naming the first one and its node", () => {
    const file = onnxFile({
      sample: [4],
      nodes: [
        { op: "Relu", inputs: ["x"], output: "a" },
        { op: "Sin", inputs: ["a"], output: "b", name: "the_sine" },
        { op: "Cos", inputs: ["b"], output: "y" },
      ],
    });
    refuse(
      file,
      /^onnx: node 'the_sine' \(Sin\): the op Sin is not supported \(deriva reads Gemm, MatMul, Conv, /,
    );
  });

  it("an unsupported attribute", () => {
    const file = onnxFile({
      sample: [2, 6, 6],
      nodes: [{ op: "Conv", inputs: ["x", "w"], output: "y", attributes: [intAttr("group", 2)] }],
      initializers: [floats("w", [4, 1, 3, 3])],
    });
    refuse(file, "onnx: node 'y' (Conv): group 2 is not supported (deriva's Conv2d has one group)");
  });

  it("float attributes out of range (found by the fuzz test: a byte overwritten in an epsilon)", () => {
    const batchNorm = (epsilon: number) =>
      onnxFile({
        sample: [2],
        nodes: [
          {
            op: "BatchNormalization",
            inputs: ["x", "s", "b", "m", "v"],
            output: "y",
            attributes: [floatAttr("epsilon", epsilon)],
          },
        ],
        initializers: ["s", "b", "m", "v"].map((name) => floats(name, [2])),
      });
    refuse(batchNorm(-0.5), "onnx: node 'y' (BatchNormalization): epsilon must be at least 0, got -0.5");
    refuse(
      batchNorm(Number.NaN),
      "onnx: node 'y' (BatchNormalization): attribute epsilon must be finite, got NaN",
    );
    const leaky = onnxFile({
      sample: [2],
      nodes: [{ op: "LeakyRelu", inputs: ["x"], output: "y", attributes: [floatAttr("alpha", Infinity)] }],
    });
    refuse(leaky, "onnx: node 'y' (LeakyRelu): attribute alpha must be finite, got Infinity");
  });

  it("initializers whose shapes do not fit what the layer receives", () => {
    const file = onnxFile({
      sample: [5],
      nodes: [{ op: "Gemm", inputs: ["x", "w", "b"], output: "y", attributes: [intAttr("transB", 1)] }],
      initializers: [floats("w", [3, 4]), floats("b", [3])],
    });
    refuse(file, "onnx: node 'y' (Gemm): the weight has shape [3, 4] where [3, 5] fits its input");
    const bias = onnxFile({
      sample: [4],
      nodes: [{ op: "Gemm", inputs: ["x", "w", "b"], output: "y", attributes: [intAttr("transB", 1)] }],
      initializers: [floats("w", [3, 4]), floats("b", [7])],
    });
    refuse(bias, "onnx: node 'y' (Gemm): the bias has shape [7] where [3] fits");
  });

  it("an enormous declared tensor, before allocating it", () => {
    const huge = create(TensorProtoSchema, {
      name: "w",
      dims: [1_000_000n, 1_000_000n],
      dataType: TensorProto_DataType.FLOAT,
      rawData: new Uint8Array(16),
    });
    const file = onnxFile({
      sample: [1_000_000],
      nodes: [{ op: "Gemm", inputs: ["x", "w"], output: "y", attributes: [intAttr("transB", 1)] }],
      initializers: [huge],
    });
    refuse(
      file,
      "onnx: node 'y' (Gemm): tensor 'w': its dims need 4000000000000 bytes of data but the file holds 16: truncated or corrupt",
    );
    const overflow = create(TensorProtoSchema, { ...huge, dims: [2n ** 40n, 2n ** 40n] });
    refuse(
      onnxFile({
        sample: [4],
        nodes: [{ op: "Gemm", inputs: ["x", "w"], output: "y" }],
        initializers: [overflow],
      }),
      /tensor 'w': declares dims \[1099511627776, 1099511627776\], far more values than any file holds/,
    );
  });

  it("opsets outside 9–22", () => {
    const at = (opset: number) =>
      onnxFile({ sample: [4], nodes: [{ op: "Relu", inputs: ["x"], output: "y" }], opset });
    refuse(at(8), "onnx: the file uses opset 8; deriva reads opsets 9 to 22");
    refuse(at(23), "onnx: the file uses opset 23; deriva reads opsets 9 to 22");
    expect(fromOnnx(at(9)).layers.map((l) => l.describe())).toEqual(["ReLU()"]);
  });

  it("a symbolic axis other than the batch", () => {
    const file = toBinary(
      ModelProtoSchema,
      create(ModelProtoSchema, {
        irVersion: 8n,
        opsetImport: [{ domain: "", version: 17n }],
        graph: {
          node: [{ opType: "Relu", input: ["x"], output: ["y"], name: "r" }],
          input: [
            {
              name: "x",
              type: {
                value: {
                  case: "tensorType",
                  value: {
                    elemType: 1,
                    shape: {
                      dim: [
                        { value: { case: "dimParam", value: "N" } },
                        { value: { case: "dimParam", value: "L" } },
                      ],
                    },
                  },
                },
              },
            },
          ],
          output: [{ name: "y" }],
        },
      }),
    );
    refuse(file, "onnx: the file: axis 1 of the input 'x' must have a fixed size, got a symbolic one");
  });
});
