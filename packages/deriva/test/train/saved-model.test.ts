/**
 * A trained model as the bytes of its folder's files, without a file system (what a page downloads
 * and uploads): encodeModel then decodeModel gives back the same predictions, the optimizer state
 * and the record, and every check of the folder's reader holds on bytes too.
 */
import { describe, expect, it } from "vitest";
import { loss, manualSeed, nn, optim, rand, randint, train } from "../../src/index.js";

const record: train.TrainingRecord = {
  model: "mlp",
  loss: "cross-entropy",
  link: "softmax",
  outputs: 3,
  data: "blobs",
  epochs: 1,
  seed: 2,
  valSplit: 0,
  batchSize: 8,
  augment: "none",
  schedule: "none",
  results: { testAccuracy: 0.5 },
};

function trained(): train.SavedModel {
  manualSeed(2);
  const module = new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 3));
  const optimizer = new optim.Adam(module.parameters(), { lr: 0.01 });
  const x = rand([16, 4]);
  const y = randint(0, 3, [16], { dtype: "int32" });
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    loss.crossEntropy(module.forward(x), y).backward();
    optimizer.step();
  }
  return {
    module,
    task: "classification",
    classes: ["a", "b", "c"],
    preprocessing: null,
    inputShape: [4],
    training: record,
    optimizer: optimizer.stateDict(),
  };
}

describe("encodeModel / decodeModel", () => {
  it("round-trips the module, its record and the optimizer state; the same inputs give the same outputs", async () => {
    const model = trained();
    const bytes = await train.encodeModel(model);
    const file = JSON.parse(bytes.modelJson);
    expect(file.files.weights).toMatchObject({ file: "weights.safetensors", bytes: bytes.weights.length });
    expect(file.files.weights.sha256).toBe(await train.sha256Hex(bytes.weights));
    expect(file.files.optimizer.file).toBe("optimizer.safetensors");
    const back = await train.decodeModel(bytes);
    const x = rand([5, 4]);
    expect(back.module.forward(x).toArray()).toEqual(model.module.forward(x).toArray());
    expect(back.training).toEqual(record);
    expect(back.classes).toEqual(["a", "b", "c"]);
    expect(back.optimizer!.type).toBe("Adam");
    expect(back.optimizer!.steps).toEqual(model.optimizer!.steps);
  });

  it("names the files as asked, and leaves the optimizer out when there is none", async () => {
    const bytes = await train.encodeModel({ ...trained(), optimizer: null }, { weights: "w.safetensors" });
    expect(bytes.optimizer).toBeUndefined();
    expect(JSON.parse(bytes.modelJson).files).toEqual({
      weights: expect.objectContaining({ file: "w.safetensors" }),
    });
    expect((await train.decodeModel(bytes)).optimizer).toBeNull();
  });

  it("refuses weights that are not the ones model.json names, and an optimizer file it names but lacks", async () => {
    const bytes = await train.encodeModel(trained());
    const changed = bytes.weights.slice();
    changed[changed.length - 1]! ^= 1;
    await expect(train.decodeModel({ ...bytes, weights: changed })).rejects.toThrow(
      "weights.safetensors is not the file model.json was saved with (its size or SHA-256 differs)",
    );
    await expect(train.decodeModel({ modelJson: bytes.modelJson, weights: bytes.weights })).rejects.toThrow(
      "model.json names optimizer.safetensors, which is missing",
    );
  });

  it("checks the layers against the weights file before building anything", async () => {
    const small = await train.encodeModel({ ...trained(), optimizer: null });
    const file = JSON.parse(small.modelJson);
    file.architecture.layers[0].out = 20_000; // a layer far larger than its weights
    file.architecture.layers[2].in = 20_000;
    delete file.files;
    await expect(
      train.decodeModel({ modelJson: JSON.stringify(file), weights: small.weights }),
    ).rejects.toThrow(/^model\.json: .*weights\.safetensors/);
  });
});
