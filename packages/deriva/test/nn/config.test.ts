import { describe, expect, it } from "vitest";
import { manualSeed, nn, randn } from "../../src/index.js";

const everyLayer = () =>
  new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { stride: 1, padding: [1, 0], bias: false }),
    new nn.BatchNorm2d(4, { momentum: 0.2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.AvgPool2d([1, 2], 1),
    new nn.Flatten(),
    new nn.Dropout(0.25),
    new nn.Linear(8, 6),
    new nn.BatchNorm1d(6, { eps: 1e-3, affine: false }),
    new nn.LeakyReLU(0.2),
    new nn.Sequential(new nn.Linear(6, 5), new nn.Sigmoid(), new nn.Tanh(), new nn.GELU()),
    new nn.Linear(5, 3, { bias: false }),
    new nn.Softmax(1),
  );

describe("layer configs", () => {
  it("toConfig writes the type and constructor arguments as plain JSON", () => {
    expect(new nn.Linear(784, 128).toConfig()).toEqual({ type: "Linear", in: 784, out: 128, bias: true });
    expect(new nn.Conv2d(1, 8, 3, { padding: 1 }).toConfig()).toEqual({
      type: "Conv2d",
      in: 1,
      out: 8,
      kernel: 3,
      stride: 1,
      padding: 1,
      bias: true,
    });
    expect(new nn.MaxPool2d([2, 3]).toConfig()).toEqual({
      type: "MaxPool2d",
      kernel: [2, 3],
      stride: [2, 3],
    });
    expect(new nn.Dropout().toConfig()).toEqual({ type: "Dropout", p: 0.5 });
    expect(new nn.Sequential(new nn.ReLU()).toConfig()).toEqual({
      type: "Sequential",
      layers: [{ type: "ReLU" }],
    });
  });

  it("fromConfig(toConfig()) rebuilds every layer type: same config, names, shapes, and same weights under the same seed", () => {
    manualSeed(5);
    const original = everyLayer();
    const json = JSON.parse(JSON.stringify(original.toConfig()));
    manualSeed(5);
    const rebuilt = nn.fromConfig(json);
    expect(rebuilt.toConfig()).toEqual(original.toConfig());
    expect(rebuilt.toString()).toBe(original.toString());
    const shapes = (m: nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]);
    expect(shapes(rebuilt)).toEqual(shapes(original));
    expect(rebuilt.parameters().map((p) => p.toArray())).toEqual(
      original.parameters().map((p) => p.toArray()),
    );
    original.eval();
    rebuilt.eval();
    const x = randn([2, 1, 4, 7]);
    expect(rebuilt.forward(x).toArray()).toEqual(original.forward(x).toArray());
  });

  it("fills in the defaults of omitted fields", () => {
    const layer = nn.fromConfig({ type: "Conv2d", in: 3, out: 2, kernel: [3, 1] });
    expect(layer.toConfig()).toEqual({
      type: "Conv2d",
      in: 3,
      out: 2,
      kernel: [3, 1],
      stride: 1,
      padding: 0,
      bias: true,
    });
    expect(nn.fromConfig({ type: "LeakyReLU" }).toConfig()).toEqual({ type: "LeakyReLU", slope: 0.01 });
  });

  it("says where and what is wrong", () => {
    const bad = (config: unknown) => () => nn.fromConfig(config);
    expect(
      bad({ type: "Sequential", layers: [{ type: "ReLU" }, { type: "Lineal", in: 3, out: 2 }] }),
    ).toThrow('nn.fromConfig: model.layers[1]: unknown layer type "Lineal" (known: Linear, Conv2d,');
    expect(bad({ type: "Sequential", layers: [{ type: "Linear", in: 3, out: "x" }] })).toThrow(
      'nn.fromConfig: model.layers[0] (Linear): "out" must be a positive integer, got "x"',
    );
    expect(bad({ type: "Linear", in: 3 })).toThrow(
      'nn.fromConfig: model (Linear): the field "out" is missing',
    );
    expect(bad({ type: "Linear", in: 3, out: 2, bais: true })).toThrow(
      "nn.fromConfig: model (Linear): unknown field bais",
    );
    expect(bad({ type: "Dropout", p: 2 })).toThrow(
      "nn.fromConfig: model (Dropout): p must be a number in [0, 1], got 2",
    );
    expect(bad({ type: "Conv2d", in: 1, out: 1, kernel: [3] })).toThrow(
      '"kernel" must be an integer or [height, width], got [3]',
    );
    expect(bad({ type: "Sequential", layers: { type: "ReLU" } })).toThrow('"layers" must be an array');
    expect(bad({ type: "Sequential", layers: [{ type: "Sequential", layers: [null] }] })).toThrow(
      'nn.fromConfig: model.layers[0].layers[0]: a layer config is an object with a "type", got null',
    );
    expect(bad("Linear")).toThrow(
      'nn.fromConfig: model: a layer config is an object with a "type", got "Linear"',
    );
    expect(bad({ type: "toString" })).toThrow(/unknown layer type "toString"/);
    expect(bad({ type: "BatchNorm1d", features: 4, affine: "yes" })).toThrow(
      '"affine" must be true or false',
    );
  });
});
