/** The CLI's model folders: what is saved is what is read back, and predictions are identical. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { data, manualSeed, models, nn, rand, randint, train } from "deriva";
import { describe, expect, it } from "vitest";
import { readTrained, saveTrained, type TrainingRecord } from "../../src/model-folder.js";

const record: TrainingRecord = {
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

function trainedCnn() {
  manualSeed(4);
  const dataset = new data.Dataset({
    x: rand([24, 1, 8, 8]),
    y: randint(0, 3, [24], { dtype: "int32" }),
    classNames: ["a", "b", "c"],
    preprocessing: { kind: "image", height: 8, width: 8, channels: 1, layout: "nchw" },
  });
  const model = nn.fromConfig(models.cnn({ inputShape: [1, 8, 8], outputs: 3, hidden: [5] }));
  const history = train.fit(model, dataset, { epochs: 2, batchSize: 8, augment: "shift", seed: 4 });
  return { dataset, model, history };
}

describe("model folders", () => {
  it("save → load → predict gives identical outputs, and the optimizer state comes back", async () => {
    const { dataset, model, history } = trainedCnn();
    const dir = join(mkdtempSync(join(tmpdir(), "deriva-folder-")), "model");
    await saveTrained(dir, {
      module: model,
      task: "classification",
      classes: dataset.classNames,
      preprocessing: dataset.preprocessing!,
      record,
      optimizer: history.optimizer.stateDict(),
    });
    const loaded = await readTrained(dir);
    expect(loaded.record).toEqual(record);
    expect(loaded.classes).toEqual(["a", "b", "c"]);
    expect(loaded.preprocessing).toEqual(dataset.preprocessing);
    expect(loaded.module.toConfig()).toEqual(model.toConfig());
    const before = train.predict(model, dataset.x).data();
    const after = train.predict(loaded.module, dataset.x).data();
    expect(Array.from(after)).toEqual(Array.from(before));
    const saved = history.optimizer.stateDict();
    expect(loaded.optimizer!.type).toBe("Adam");
    expect(loaded.optimizer!.steps).toEqual(saved.steps);
    expect(loaded.optimizer!.options).toEqual(saved.options);
    for (const [name, t] of Object.entries(saved.state)) {
      expect(Array.from(loaded.optimizer!.state[name]!.data()), name).toEqual(Array.from(t.data()));
    }
  });

  it("reads a hand-written model.json without a training record, with defaults", async () => {
    const { model } = trainedCnn();
    const dir = join(mkdtempSync(join(tmpdir(), "deriva-folder-")), "model");
    await saveTrained(dir, {
      module: model,
      task: "classification",
      classes: ["a", "b", "c"],
      preprocessing: { kind: "image", height: 8, width: 8, channels: 1, layout: "nchw" },
      record,
      optimizer: null,
    });
    const path = join(dir, "model.json");
    const json = JSON.parse(readFileSync(path, "utf8"));
    delete json.extra;
    writeFileSync(path, JSON.stringify(json));
    const loaded = await readTrained(dir);
    expect(loaded.optimizer).toBeNull();
    expect(loaded.record).toMatchObject({
      model: "custom",
      loss: "cross-entropy",
      link: "softmax",
      outputs: 3,
      epochs: 0,
    });
    json.extra = { loss: "huber" };
    writeFileSync(path, JSON.stringify(json));
    await expect(readTrained(dir)).rejects.toThrow(
      `${path}: extra.loss: loss 'huber' does not fit a classification task (use cross-entropy, mse, quadratic, bce)`,
    );
    json.extra = {};
    json.preprocessing = { kind: "image", height: 8, width: 8, channels: 2, layout: "nchw" };
    writeFileSync(path, JSON.stringify(json));
    await expect(readTrained(dir)).rejects.toThrow(
      `${path}: the preprocessing is corrupt: channels must be 1 or 3`,
    );
    json.preprocessing = { kind: "image", height: 12, width: 8, channels: 1, layout: "nchw" };
    writeFileSync(path, JSON.stringify(json));
    await expect(readTrained(dir)).rejects.toThrow(
      `${path}: the architecture does not take inputs of shape [1, 1, 12, 8]`,
    );
  });
});
