import { describe, expect, it } from "vitest";
import { manualSeed, models, nn, zeros } from "../../src/index.js";

function names(config: nn.LayerConfig): string[] {
  return nn
    .fromConfig(config)
    .namedParameters()
    .map(([name, p]) => `${name} [${p.shape.join(", ")}]`);
}

describe("model presets", () => {
  it("mlp flattens images and stacks Linear + activation layers with PyTorch names", () => {
    const config = models.mlp({ inputShape: [1, 28, 28], outputs: 10 });
    expect(config.layers.map((l) => l.type)).toEqual(["Flatten", "Linear", "ReLU", "Linear"]);
    expect(names(config)).toEqual([
      "1.weight [256, 784]",
      "1.bias [256]",
      "3.weight [10, 256]",
      "3.bias [10]",
    ]);
    const table = models.mlp({ inputShape: [4], outputs: 3, hidden: [8, 6], activation: "tanh" });
    expect(table.layers.map((l) => l.type)).toEqual(["Linear", "Tanh", "Linear", "Tanh", "Linear"]);
    expect(nn.fromConfig(table).forward(zeros([5, 4])).shape).toEqual([5, 3]);
  });

  it("cnn has two conv blocks and sizes its first Linear layer from the image", () => {
    const config = models.cnn({ inputShape: [3, 30, 22], outputs: 2, hidden: [64], activation: "sigmoid" });
    expect(config.layers.map((l) => l.type)).toEqual([
      "Conv2d",
      "Sigmoid",
      "MaxPool2d",
      "Conv2d",
      "Sigmoid",
      "MaxPool2d",
      "Flatten",
      "Linear",
      "Sigmoid",
      "Linear",
    ]);
    // 30 → 15 → 7 rows, 22 → 11 → 5 columns, 32 channels
    expect(config.layers[7]).toEqual({ type: "Linear", in: 32 * 7 * 5, out: 64, bias: true });
    manualSeed(0);
    expect(nn.fromConfig(config).forward(zeros([2, 3, 30, 22])).shape).toEqual([2, 2]);
    expect(() => models.cnn({ inputShape: [4], outputs: 2 })).toThrow(
      "cnn: needs image inputs [channels, height, width]",
    );
    expect(() => models.cnn({ inputShape: [1, 3, 3], outputs: 2 })).toThrow("images must be at least 4×4");
  });

  it("logistic is one Linear layer (after Flatten for images)", () => {
    expect(names(models.logistic({ inputShape: [1, 8, 8], outputs: 10 }))).toEqual([
      "1.weight [10, 64]",
      "1.bias [10]",
    ]);
    expect(() => models.logistic({ inputShape: [4], outputs: 3, hidden: [5] })).toThrow(
      "logistic: has no hidden layers",
    );
  });

  it("preset() picks by name and every preset refuses bad sizes", () => {
    expect(models.preset("mlp", { inputShape: [2], outputs: 1 })).toEqual(
      models.mlp({ inputShape: [2], outputs: 1 }),
    );
    expect(() => models.preset("rnn" as "mlp", { inputShape: [2], outputs: 1 })).toThrow(
      'unknown model "rnn"',
    );
    expect(() => models.mlp({ inputShape: [0], outputs: 1 })).toThrow("inputShape must be a non-empty list");
    expect(() => models.mlp({ inputShape: [2], outputs: 1.5 })).toThrow("outputs must be a positive integer");
    expect(() => models.mlp({ inputShape: [2], outputs: 1, hidden: [-3] })).toThrow("hidden layer widths");
    expect(() => models.mlp({ inputShape: [2], outputs: 1, activation: "swish" as "relu" })).toThrow(
      'unknown activation "swish" (known: relu, sigmoid, tanh)',
    );
  });
});

describe("user architectures", () => {
  const config = { type: "Sequential", layers: [{ type: "Flatten" }, { type: "Linear", in: 16, out: 3 }] };

  it("read a layer config, or a saved model.json's architecture", () => {
    expect(models.architectureFrom(config, "arch.json")).toBe(config);
    expect(models.architectureFrom({ format: "deriva-model", architecture: config }, "model.json")).toBe(
      config,
    );
    expect(() => models.architectureFrom([1, 2], "arch.json")).toThrow(
      "arch.json: an architecture is a JSON object",
    );
    expect(() => models.architectureFrom({ layers: [] }, "arch.json")).toThrow(
      "arch.json: holds neither a layer config",
    );
  });

  it("are built and checked against the input shape and the outputs", () => {
    const model = models.buildChecked(models.architectureFrom(config, "a.json"), [1, 4, 4], 3, "a.json");
    expect(model.forward(zeros([2, 1, 4, 4])).shape).toEqual([2, 3]);
    expect(() => models.buildChecked(config as nn.LayerConfig, [1, 4, 4], 10, "a.json")).toThrow(
      "a.json: the architecture turns an input [1, 1, 4, 4] into [1, 3], but the data needs [1, 10] (10 outputs)",
    );
    expect(() => models.buildChecked(config as nn.LayerConfig, [1, 28, 28], 3, "a.json")).toThrow(
      "a.json: the architecture does not take inputs of shape [1, 1, 28, 28]: Linear(16 → 3)",
    );
    expect(() =>
      models.buildChecked(
        { type: "Sequential", layers: [{ type: "Linear", in: 0, out: 2 }] } as nn.LayerConfig,
        [4],
        2,
        "a.json",
      ),
    ).toThrow('a.json: model.layers[0] (Linear): "in" must be a positive integer, got 0');
  });
});
