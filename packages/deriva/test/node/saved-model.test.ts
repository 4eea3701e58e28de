/** Trained models on disk: what is saved is what is loaded back, and predictions are identical. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset } from "../../src/data/dataset.js";
import { manualSeed, models, nn, rand, randint, train } from "../../src/index.js";
import { loadModel, saveModel } from "../../src/node/saved-model.js";

const record: train.TrainingRecord = {
  model: "cnn",
  loss: "cross-entropy",
  link: "softmax",
  outputs: 3,
  data: "pictures/",
  epochs: 2,
  seed: 4,
  valSplit: 0,
  batchSize: 8,
  augment: "shift",
  schedule: "none",
  results: {},
};
const preprocessing = { kind: "image", height: 8, width: 8, channels: 1, layout: "nchw" } as const;

async function trainedCnn() {
  manualSeed(4);
  const dataset = new Dataset({
    x: rand([24, 1, 8, 8]),
    y: randint(0, 3, [24], { dtype: "int32" }),
    classNames: ["a", "b", "c"],
    preprocessing,
  });
  const model = nn.fromConfig(models.cnn({ inputShape: [1, 8, 8], outputs: 3, hidden: [5] }));
  const history = await train.fit(model, dataset, { epochs: 2, batchSize: 8, augment: "shift", seed: 4 });
  return { dataset, model, history };
}

const folder = () => join(mkdtempSync(join(tmpdir(), "deriva-saved-")), "model");

describe("saveModel / loadModel", () => {
  it("save → load → predict gives identical outputs, and the optimizer state comes back", async () => {
    const { dataset, model, history } = await trainedCnn();
    const dir = folder();
    const saved = history.optimizer.stateDict();
    await saveModel(dir, {
      module: model,
      task: "classification",
      classes: dataset.classNames,
      preprocessing,
      training: record,
      optimizer: saved,
    });
    const loaded = await loadModel(dir);
    expect(loaded.training).toEqual(record);
    expect(loaded.classes).toEqual(["a", "b", "c"]);
    expect(loaded.preprocessing).toEqual(preprocessing);
    expect(loaded.inputShape).toEqual([1, 8, 8]);
    expect(loaded.module.toConfig()).toEqual(model.toConfig());
    const before = train.predict(model, dataset.x).data();
    expect(Array.from(train.predict(loaded.module, dataset.x).data())).toEqual(Array.from(before));
    expect(loaded.optimizer!.type).toBe("Adam");
    expect(loaded.optimizer!.steps).toEqual(saved.steps);
    expect(loaded.optimizer!.options).toEqual(saved.options);
    for (const [name, t] of Object.entries(saved.state)) {
      expect(Array.from(loaded.optimizer!.state[name]!.data()), name).toEqual(Array.from(t.data()));
    }
  });

  it("reads a model.json without a training record, with defaults, and names what is wrong", async () => {
    const { model } = await trainedCnn();
    const dir = folder();
    await saveModel(dir, {
      module: model,
      task: "classification",
      classes: ["a", "b", "c"],
      preprocessing,
      training: record,
      optimizer: null,
    });
    const path = join(dir, "model.json");
    const json = JSON.parse(readFileSync(path, "utf8"));
    delete json.training;
    writeFileSync(path, JSON.stringify(json));
    const loaded = await loadModel(dir);
    expect(loaded.optimizer).toBeNull();
    expect(loaded.training).toMatchObject({
      model: "custom",
      loss: "cross-entropy",
      link: "softmax",
      outputs: 3,
      epochs: 0,
    });
    json.training = { loss: "huber" };
    writeFileSync(path, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(
      `${path}: training.loss: loss 'huber' does not fit a classification task (use cross-entropy, mse, quadratic, bce)`,
    );
    json.training = {};
    json.preprocessing = { ...preprocessing, channels: 2 };
    writeFileSync(path, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(
      `${path}: the preprocessing is corrupt: channels must be 1 or 3, got 2`,
    );
    json.preprocessing = { ...preprocessing, height: 12 };
    delete json.inputShape;
    writeFileSync(path, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(
      `${path}: the architecture does not take inputs of shape [1, 1, 12, 8]`,
    );
  });
});
