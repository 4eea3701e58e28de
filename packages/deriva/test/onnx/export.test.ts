/**
 * toOnnx: every layer deriva has, written at several opsets, gives deriva's outputs in ONNX
 * Runtime (onnxruntime-web, WebAssembly); the bytes decode with ONNX's own schema into the graph
 * described; preprocessing goes into the graph or the metadata; bad requests are refused.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { ModelProtoSchema } from "onnx-buf";
import { describe, expect, it } from "vitest";
import { type data, manualSeed, nn, noGrad, rand, randn, type Tensor, tensor } from "../../src/index.js";
import { toOnnx } from "../../src/onnx/index.js";
import { expectOrtMatches } from "../helpers/onnx-runtime.js";
import { EVERY_LAYER, trainedLooking } from "./onnx-files.js";

describe("toOnnx → ONNX Runtime", () => {
  for (const opset of [13, 17, 20, 22]) {
    it(`every layer at opset ${opset}, for batches of 1 and 5 from one file`, async () => {
      const model = trainedLooking(EVERY_LAYER, [2, 8, 10]);
      const bytes = toOnnx(model, { inputShape: [2, 8, 10], opset });
      for (const batch of [1, 5]) {
        const x = randn([batch, 2, 8, 10]);
        await expectOrtMatches(
          bytes,
          x,
          noGrad(() => model.forward(x)),
        );
      }
    });
  }

  it("Linear on [N, L, features] as MatMul + Add, BatchNorm1d on [N, C, L], Flatten from axis 2, Softmax over axis 1", async () => {
    const layers: nn.LayerConfig[] = [
      { type: "BatchNorm1d", features: 4, affine: false },
      { type: "Linear", in: 6, out: 3 },
      { type: "Linear", in: 3, out: 2, bias: false },
      { type: "Softmax", axis: 1 },
    ];
    const model = trainedLooking(layers, [4, 6]);
    const x = randn([3, 4, 6]);
    await expectOrtMatches(
      toOnnx(model, { inputShape: [4, 6] }),
      x,
      noGrad(() => model.forward(x)),
    );
    const flat = trainedLooking(
      [
        { type: "Flatten", startAxis: 2 },
        { type: "Linear", in: 20, out: 2 },
      ],
      [3, 4, 5],
    );
    const y = randn([2, 3, 4, 5]);
    await expectOrtMatches(
      toOnnx(flat, { inputShape: [3, 4, 5] }),
      y,
      noGrad(() => flat.forward(y)),
    );
  });

  it("a model of Dropout alone is the identity", async () => {
    const model = new nn.Sequential(new nn.Dropout(0.5)).eval();
    const x = randn([2, 3]);
    await expectOrtMatches(toOnnx(model, { inputShape: [3] }), x, x);
  });
});

describe("what toOnnx writes", () => {
  it("decodes with ONNX's schema: IR version, opset, a batch axis N, weights named as the stateDict, no Dropout node", () => {
    const model = trainedLooking(
      [
        { type: "Flatten" },
        { type: "Linear", in: 12, out: 8 },
        { type: "Dropout" },
        { type: "ReLU" },
        { type: "Linear", in: 8, out: 3 },
      ],
      [3, 4],
    );
    const proto = fromBinary(
      ModelProtoSchema,
      toOnnx(model, { inputShape: [3, 4], metadata: { "deriva.classes": "[]" } }),
    );
    expect(proto.irVersion).toBe(8n);
    expect(proto.producerName).toBe("deriva");
    expect(proto.opsetImport.map((o) => [o.domain, o.version])).toEqual([["", 17n]]);
    const graph = proto.graph!;
    expect(graph.node.map((n) => n.opType)).toEqual(["Flatten", "Gemm", "Relu", "Gemm"]);
    expect(graph.initializer.map((t) => t.name)).toEqual(["1.weight", "1.bias", "4.weight", "4.bias"]);
    const weight = graph.initializer[0]!;
    expect(weight.dims).toEqual([8n, 12n]);
    expect(new Float32Array(weight.rawData.slice().buffer)).toEqual(model.stateDict()["1.weight"]!.data());
    const dims = (v: (typeof graph.input)[number]) =>
      v.type?.value.case === "tensorType" ? v.type.value.value.shape?.dim.map((d) => d.value.value) : null;
    expect(graph.input.map((v) => [v.name, dims(v)])).toEqual([["input", ["N", 3n, 4n]]]);
    expect(graph.output.map((v) => [v.name, dims(v)])).toEqual([["output", ["N", 3n]]]);
    expect(graph.node.at(-1)!.output).toEqual(["output"]);
    expect(proto.metadataProps.map((e) => [e.key, e.value])).toEqual([["deriva.classes", "[]"]]);
  });

  it("GELU is Gelu from opset 20 and PyTorch's Div, Erf, Add, Mul, Mul below", () => {
    const model = new nn.Sequential(new nn.GELU());
    const ops = (opset: number) =>
      fromBinary(ModelProtoSchema, toOnnx(model, { inputShape: [2], opset })).graph!.node.map(
        (n) => n.opType,
      );
    expect(ops(20)).toEqual(["Gelu"]);
    expect(ops(19)).toEqual(["Div", "Erf", "Add", "Mul", "Mul"]);
  });
});

describe("preprocessing", () => {
  const table: data.TabularPreprocessing = {
    kind: "tabular",
    columns: [
      { name: "a", kind: "numeric", mean: 3, std: 2 },
      { name: "color", kind: "categorical", categories: ["blue", "red"] },
      { name: "b", kind: "numeric", mean: -1, std: 0.5 },
    ],
    target: { column: "y", task: "classification", classes: ["no", "yes"] },
    featureNames: ["a", "color=blue", "color=red", "b"],
  };
  const image: data.ImagePreprocessing = { kind: "image", height: 4, width: 3, channels: 1, layout: "nchw" };

  it("in the graph, a table's raw values are standardized by the file itself", async () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(4, 2)).eval();
    const raw = tensor([
      [4, 1, 0, -2],
      [0.5, 0, 1, 3],
    ]);
    const standardized = raw.sub(tensor([3, 0, 0, -1])).div(tensor([2, 1, 1, 0.5]));
    const bytes = toOnnx(model, { inputShape: [4], preprocessing: table });
    await expectOrtMatches(
      bytes,
      raw,
      noGrad(() => model.forward(standardized)),
    );
    const meta = metadataOf(bytes);
    expect(JSON.parse(meta["deriva.preprocessing"]!)).toEqual(table);
    expect(meta["deriva.preprocessing_placement"]).toBe("graph");
    expect(meta["deriva.input"]).toContain("a, color=blue, color=red, b");
  });

  it("in the graph, images take pixel values 0–255", async () => {
    manualSeed(6);
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 2)).eval();
    const pixels = rand([2, 1, 4, 3]).mul(255);
    const bytes = toOnnx(model, { inputShape: [1, 4, 3], preprocessing: image });
    await expectOrtMatches(
      bytes,
      pixels,
      noGrad(() => model.forward(pixels.div(255))),
    );
    expect(metadataOf(bytes)["deriva.input"]).toContain("pixel values 0–255");
  });

  it("in the graph, per-channel standardization follows the scaling (NCHW and flat layouts)", async () => {
    manualSeed(8);
    const stats = { mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };
    const mean = tensor(stats.mean).reshape([3, 1, 1]);
    const std = tensor(stats.std).reshape([3, 1, 1]);
    const pixels = rand([2, 3, 4, 3]).mul(255);
    const standardized = pixels.div(255).sub(mean).div(std);
    const nchw = new nn.Sequential(new nn.Flatten(), new nn.Linear(36, 2)).eval();
    const prep: data.ImagePreprocessing = { ...image, channels: 3, ...stats };
    await expectOrtMatches(
      toOnnx(nchw, { inputShape: [3, 4, 3], preprocessing: prep }),
      pixels,
      noGrad(() => nchw.forward(standardized)),
    );
    const flat = new nn.Sequential(new nn.Linear(36, 2)).eval();
    await expectOrtMatches(
      toOnnx(flat, { inputShape: [36], preprocessing: { ...prep, layout: "flat" } }),
      pixels.reshape([2, 36]),
      noGrad(() => flat.forward(standardized.reshape([2, 36]))),
    );
  });

  it("in the metadata only, the file takes what the network takes", async () => {
    manualSeed(7);
    const model = new nn.Sequential(new nn.Linear(4, 2)).eval();
    const x = randn([3, 4]);
    const bytes = toOnnx(model, { inputShape: [4], preprocessing: table, placement: "metadata" });
    await expectOrtMatches(
      bytes,
      x,
      noGrad(() => model.forward(x)),
    );
    const proto = fromBinary(ModelProtoSchema, bytes);
    expect(proto.graph!.node.map((n) => n.opType)).toEqual(["Gemm"]);
    expect(metadataOf(bytes)["deriva.preprocessing_placement"]).toBe("metadata");
  });
});

describe("toOnnx refuses", () => {
  const model = new nn.Sequential(new nn.Linear(3, 2));

  it("opsets outside 13–22 and input shapes that are not one sample's", () => {
    expect(() => toOnnx(model, { inputShape: [3], opset: 12 })).toThrow(
      /opset must be an integer from 13 to 22, got 12/,
    );
    expect(() => toOnnx(model, { inputShape: [0] })).toThrow(/inputShape must be one sample's shape/);
    expect(() => toOnnx(model, { inputShape: [4] })).toThrow(
      /layer 0 does not take the shape it receives from inputShape \[4\]: Linear\(3 → 2\)/,
    );
  });

  it("a custom module, naming it", () => {
    class Doubler extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2);
      }
    }
    expect(() => toOnnx(new nn.Sequential(new nn.ReLU(), new Doubler()), { inputShape: [3] })).toThrow(
      "onnx: toOnnx: layer 1 (Doubler) has no ONNX form (deriva writes its built-in layers)",
    );
  });

  it("leaves the model's training mode as it was", () => {
    const m = new nn.Sequential(new nn.Dropout(0.5), new nn.Linear(3, 2));
    toOnnx(m, { inputShape: [3] });
    expect(m.training && m.at(0).training).toBe(true);
  });
});

function metadataOf(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(fromBinary(ModelProtoSchema, bytes).metadataProps.map((e) => [e.key, e.value]));
}
