/**
 * deriva → ONNX → ONNX Runtime, on real data: the MNIST MLP and CNN, the cats-vs-dogs convnet
 * (standardized photos) and a CSV model, each trained briefly, exported by toOnnx with their
 * preprocessing in the graph, then run by onnxruntime-web (WebAssembly, in Node) on held-out raw
 * inputs (pixel values 0–255, the CSV's own numbers): the same outputs as deriva to 1e-5.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadCatsVsDogs, loadMnist } from "@deriva/cli/datasets";
import { data, manualSeed, models, nn, noGrad, type Tensor, tensor, train } from "deriva";
import { loadCsv } from "deriva/node";
import { toOnnx } from "deriva/onnx";
import { describe, expect, it } from "vitest";
import { expectOrtMatches } from "../../packages/deriva/test/helpers/onnx-runtime.js";

const ROOT = join(import.meta.dirname, "../..");

/** A model of `config` trained for one epoch on the first `n` samples of `dataset`. */
function trainBriefly(config: nn.LayerConfig, dataset: data.Dataset, n: number): nn.Module {
  manualSeed(0);
  const model = nn.fromConfig(config);
  const subset = new data.Dataset({
    x: dataset.x.slice([0], [n]),
    y: dataset.y.slice([0], [n]),
    task: dataset.task,
    classNames: dataset.classNames,
    preprocessing: dataset.preprocessing,
  });
  train.fit(model, subset, { epochs: 1, batchSize: 32, seed: 0 });
  return model.eval();
}

/** The first `n` samples of x and deriva's outputs for them. */
function heldOut(model: nn.Module, x: Tensor, n: number): { x: Tensor; y: Tensor } {
  const inputs = x.slice([0], [n]);
  return { x: inputs, y: noGrad(() => model.forward(inputs)) };
}

describe("ONNX Runtime computes what deriva computes, on real inputs", () => {
  for (const preset of ["mlp", "cnn"] as const) {
    it(`the MNIST ${preset}: 200 held-out digits as pixel values 0–255`, async () => {
      const { train: digits, test } = await loadMnist();
      const config = models.preset(preset, { inputShape: [1, 28, 28], outputs: 10 });
      const model = trainBriefly(config, digits, preset === "mlp" ? 2000 : 500);
      const prep = digits.preprocessing!;
      const { x, y } = heldOut(model, test.x, 200);
      const bytes = toOnnx(model, { inputShape: [1, 28, 28], preprocessing: prep });
      await expectOrtMatches(bytes, x.mul(255), y);
    });
  }

  it("the cats-vs-dogs convnet: 100 held-out photos, standardized per channel by the graph", async () => {
    const { train: photos, test } = await loadCatsVsDogs();
    const standardized = data.standardizeImages(photos);
    const prep = standardized.preprocessing as data.ImagePreprocessing;
    const config = models.convnet({ inputShape: [3, 32, 32], outputs: 2 });
    const model = trainBriefly(config, standardized, 128);
    const raw = test.x.slice([0], [100]);
    const inputs = data.standardizeImages(
      new data.Dataset({ x: raw, y: test.y.slice([0], [100]), preprocessing: test.preprocessing }),
      { mean: prep.mean!, std: prep.std! },
    ).x;
    const y = noGrad(() => model.forward(inputs));
    const bytes = toOnnx(model, { inputShape: [3, 32, 32], preprocessing: prep });
    await expectOrtMatches(bytes, raw.mul(255), y);
  });

  it("a CSV model (iris): the file's own numbers, standardized by the graph", async () => {
    const path = join(ROOT, "examples/data/iris.csv");
    const rows = await loadCsv(path);
    const prep = rows.preprocessing as data.TabularPreprocessing;
    const config = models.mlp({ inputShape: [prep.featureNames.length], outputs: 3 });
    const model = trainBriefly(config, rows, 150);
    // the file's own numbers (iris.csv is plain: no quoting, no empty cells)
    const [header, ...lines] = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const columns = prep.featureNames.map((name) => header!.indexOf(name));
    expect(columns.every((c) => c >= 0)).toBe(true);
    const raw = tensor(lines.map((cells) => columns.map((c) => Number(cells[c]))));
    const y = noGrad(() => model.forward(rows.x));
    await expectOrtMatches(toOnnx(model, { inputShape: [4], preprocessing: prep }), raw, y);
  });
});
