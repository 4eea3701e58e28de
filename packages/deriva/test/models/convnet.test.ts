import { describe, expect, it } from "vitest";
import { models, nn, randn } from "../../src/index.js";

describe("models.convnet", () => {
  it("stacks conv + batch norm + ReLU + max-pool blocks of 32, 64, 128 channels, then dropout and a linear layer", () => {
    const config = models.convnet({ inputShape: [3, 32, 32], outputs: 2 });
    const types = config.layers.map((layer) => layer.type);
    const block = ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"];
    expect(types).toEqual([...block, ...block, ...block, "Flatten", "Dropout", "Linear"]);
    expect(config.layers[0]).toEqual({
      type: "Conv2d",
      in: 3,
      out: 32,
      kernel: 3,
      stride: 1,
      padding: 1,
      bias: true,
    });
    expect(config.layers[8]).toMatchObject({ type: "Conv2d", in: 64, out: 128 });
    expect(config.layers.at(-2)).toEqual({ type: "Dropout", p: 0.3 });
    expect(config.layers.at(-1)).toEqual({ type: "Linear", in: 128 * 4 * 4, out: 2, bias: true });
    const model = nn.fromConfig(config);
    expect(model.forward(randn([5, 3, 32, 32])).shape).toEqual([5, 2]);
  });

  it("takes other channels, hidden layers, dropout and image sizes", () => {
    const config = models.convnet({
      inputShape: [1, 20, 12],
      outputs: 10,
      channels: [8, 16],
      hidden: [32],
      dropout: 0,
    });
    expect(config.layers.slice(-4)).toEqual([
      { type: "Flatten", startAxis: 1 },
      { type: "Linear", in: 16 * 5 * 3, out: 32, bias: true },
      { type: "ReLU" },
      { type: "Linear", in: 32, out: 10, bias: true },
    ]);
    expect(models.preset("convnet", { inputShape: [3, 16, 16], outputs: 3 }).layers).toHaveLength(15);
  });

  it("refuses inputs it cannot pool three times, tables, and bad options", () => {
    expect(() => models.convnet({ inputShape: [3, 7, 32], outputs: 2 })).toThrow(
      "convnet: 3 blocks need images of at least 8×8, got 7×32",
    );
    expect(() => models.convnet({ inputShape: [4], outputs: 2 })).toThrow(/needs image inputs/);
    expect(() => models.convnet({ inputShape: [3, 32, 32], outputs: 2, dropout: 1 })).toThrow(/dropout/);
    expect(() => models.convnet({ inputShape: [3, 32, 32], outputs: 2, channels: [] })).toThrow(/channels/);
  });

  it("is the default for small color images, mlp otherwise", () => {
    expect(models.defaultPreset([3, 32, 32])).toBe("convnet");
    expect(models.defaultPreset([3, 64, 48])).toBe("convnet");
    expect(models.defaultPreset([3, 96, 96])).toBe("mlp"); // too large for this small network's features
    expect(models.defaultPreset([3, 4, 4])).toBe("mlp");
    expect(models.defaultPreset([1, 28, 28])).toBe("mlp");
    expect(models.defaultPreset([3072])).toBe("mlp");
  });
});
