import { describe, expect, it } from "vitest";
import { data, tensor, train } from "../../src/index.js";

/** Small color images (values uniform in [0.4, 0.6]) with two classes. */
function photos(n: number, seed: number): data.Dataset {
  const random = data.mulberry32(seed);
  const x = tensor(
    Float32Array.from({ length: n * 3 * 64 }, () => 0.5 + 0.2 * (random() - 0.5)),
    {
      shape: [n, 3, 8, 8],
    },
  );
  return new data.Dataset({
    x,
    y: tensor(
      Array.from({ length: n }, (_, i) => i % 2),
      { dtype: "int32" },
    ),
    classNames: ["cats", "dogs"],
    preprocessing: { kind: "image", height: 8, width: 8, channels: 3, layout: "nchw" },
  });
}

describe("a run's defaults for small color images", () => {
  it("train the convnet with its own training: standardized inputs, flip-crop, Adam with weight decay, cosine, 40 epochs", () => {
    const run = train.prepareRun(photos(40, 1), { test: photos(10, 2) });
    expect(run.settings).toMatchObject({
      modelName: "convnet",
      augment: "flip-crop",
      schedule: "cosine",
      epochs: 40,
    });
    expect(run.optimizer.type).toBe("Adam");
    expect(run.optimizer.options).toMatchObject({ weightDecay: 5e-4, lr: 1e-3 });
    const prep = run.data.preprocessing as data.ImagePreprocessing;
    expect(prep.mean).toHaveLength(3);
    expect(prep.mean![0]).toBeCloseTo(0.5, 1);
    expect(prep.std![0]).toBeCloseTo(0.2 / Math.sqrt(12), 2); // uniform over a width of 0.2
    // the training images now have mean 0 and std 1 per channel; the test images use the same statistics
    const again = data.fitChannelStats(run.data.x, prep);
    expect(again.mean[0]).toBeCloseTo(0, 5);
    expect(again.std[0]).toBeCloseTo(1, 5);
    expect(run.test!.preprocessing).toEqual(prep);
  });

  it("leave the choices asked for, and other data sets' defaults, as they were", () => {
    const run = train.prepareRun(photos(40, 1), { model: "mlp", augment: "none" });
    expect(run.settings).toMatchObject({ modelName: "mlp", augment: "none", schedule: "none" });
    expect(run.data.preprocessing).toEqual(photos(1, 1).preprocessing); // not standardized
    expect(train.presetTraining("mlp")).toEqual({});
    expect(train.presetTraining("cnn")).toEqual({ schedule: "cosine" });
    const convnet = train.prepareRun(photos(40, 1), { model: "convnet", optimizer: "sgd", epochs: 2 });
    expect(convnet.optimizer.type).toBe("SGD");
    expect(convnet.settings.epochs).toBe(2);
  });
});
