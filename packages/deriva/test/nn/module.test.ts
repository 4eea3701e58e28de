import { describe, expect, it } from "vitest";
import { manualSeed, nn, ones, randn, type Tensor, tensor, zeros } from "../../src/index.js";

class Net extends nn.Module {
  readonly features = this.registerModule("features", new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU()));
  readonly norm = this.registerModule("norm", new nn.BatchNorm1d(3));
  readonly head = this.registerModule("head", new nn.Linear(3, 2, { bias: false }));

  forward(x: Tensor): Tensor {
    return this.head.forward(this.norm.forward(this.features.forward(x)));
  }
}

describe("nn.Module", () => {
  it("names parameters like PyTorch: 0.weight, 2.bias, nested features.0.weight", () => {
    const mlp = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    expect(mlp.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ["0.weight", [8, 4]],
      ["0.bias", [8]],
      ["2.weight", [2, 8]],
      ["2.bias", [2]],
    ]);
    expect(mlp.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(mlp.numParameters()).toBe(8 * 4 + 8 + 2 * 8 + 2);

    const net = new Net();
    expect(net.namedParameters().map(([name]) => name)).toEqual([
      "features.0.weight",
      "features.0.bias",
      "norm.weight",
      "norm.bias",
      "head.weight",
    ]);
    expect(net.namedBuffers().map(([name]) => name)).toEqual([
      "norm.running_mean",
      "norm.running_var",
      "norm.num_batches_tracked",
    ]);
    // PyTorch's state_dict order: each module's parameters, then its buffers, then its children
    expect(Object.keys(net.stateDict())).toEqual([
      "features.0.weight",
      "features.0.bias",
      "norm.weight",
      "norm.bias",
      "norm.running_mean",
      "norm.running_var",
      "norm.num_batches_tracked",
      "head.weight",
    ]);
  });

  it("refuses duplicate and malformed names", () => {
    const m = new nn.Sequential();
    m.registerParameter("w", zeros([2]));
    expect(() => m.registerBuffer("w", zeros([2]))).toThrow(/"w" is already taken/);
    expect(() => m.registerModule("a.b", new nn.ReLU())).toThrow(/"a.b" is not a valid name/);
    expect(() => m.registerParameter("k", tensor([1], { dtype: "int32" }))).toThrow(/float tensor/);
  });

  it("train()/eval() set the training flag on every descendant", () => {
    const net = new Net();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.namedModules().map(([, m]) => m.training)).toEqual([false, false, false, false, false, false]);
    net.train();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    net.train(false);
    expect(net.head.training).toBe(false);
  });

  it("stateDict is a snapshot; loadStateDict restores it in place", () => {
    manualSeed(1);
    const net = new Net();
    const weight = net.features.at(0).parameters()[0]!;
    const saved = net.stateDict();
    const before = weight.toArray();
    weight.storage.fill(7);
    expect(saved["features.0.weight"]!.toArray()).toEqual(before); // not shared with the parameter
    const result = net.loadStateDict(saved);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(weight.toArray()).toEqual(before);
    expect(net.features.at(0).parameters()[0]).toBe(weight); // same tensor: optimizers keep working
  });

  it("a stateDict round trip through another model of the same architecture gives the same outputs", () => {
    manualSeed(2);
    const a = new Net();
    a.forward(randn([8, 4])); // moves BatchNorm's running statistics
    manualSeed(3);
    const b = new Net();
    const x = randn([5, 4]);
    a.eval();
    b.eval();
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    b.loadStateDict(a.stateDict());
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    expect(b.stateDict()["norm.num_batches_tracked"]!.item()).toBe(1);
  });

  it("loadStateDict names missing and unexpected keys and mismatched shapes, and changes nothing then", () => {
    const mlp = new nn.Sequential(new nn.Linear(2, 3), new nn.Linear(3, 1));
    const state = mlp.stateDict();
    const { "1.bias": _dropped, ...missing } = state;
    expect(() => mlp.loadStateDict(missing)).toThrow(
      "loadStateDict: the state's names do not match the model's: missing 1.bias",
    );
    expect(() => mlp.loadStateDict({ ...state, "2.weight": zeros([1]) })).toThrow(/unexpected 2.weight/);
    const before = mlp.parameters()[0]!.toArray();
    expect(() =>
      mlp.loadStateDict({ ...state, "0.weight": ones([3, 2]), "1.weight": zeros([3, 1]) }),
    ).toThrow('loadStateDict: "1.weight" has shape [3, 1] in the state but [1, 3] in the model');
    expect(mlp.parameters()[0]!.toArray()).toEqual(before);
    expect(() => mlp.loadStateDict({ ...state, "0.bias": [1, 2, 3] as unknown as Tensor })).toThrow(
      'loadStateDict: "0.bias" is not a tensor',
    );
    const partial = mlp.loadStateDict({ "0.weight": ones([3, 2]), extra: zeros([1]) }, { strict: false });
    expect(partial).toEqual({ missingKeys: ["0.bias", "1.weight", "1.bias"], unexpectedKeys: ["extra"] });
    expect(mlp.parameters()[0]!.toArray()).toEqual(ones([3, 2]).toArray());
  });

  it("zeroGrad clears every parameter's gradient", () => {
    const layer = new nn.Linear(3, 2);
    layer
      .forward(ones([1, 3]))
      .sum()
      .backward();
    expect(layer.weight.grad).not.toBeNull();
    layer.zeroGrad();
    expect(layer.parameters().map((p) => p.grad)).toEqual([null, null]);
  });

  it("to('float64') converts parameters and float buffers, keeping values", () => {
    manualSeed(4);
    const net = new Net();
    const before = net.stateDict();
    net.to("float64");
    expect(net.parameters().every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    const after = net.stateDict();
    expect(after["norm.running_var"]!.dtype).toBe("float64");
    expect(after["norm.num_batches_tracked"]!.dtype).toBe("int32");
    for (const key of Object.keys(before)) expect(after[key]!.toArray()).toEqual(before[key]!.toArray());
    expect(net.forward(randn([3, 4], { dtype: "float64" })).dtype).toBe("float64");
  });

  it("prints the architecture", () => {
    expect(new Net().toString()).toBe(
      [
        "Net(",
        "  (features): Sequential(",
        "    (0): Linear(in=4, out=3, bias=true)",
        "    (1): ReLU()",
        "  )",
        "  (norm): BatchNorm1d(features=3, eps=0.00001, momentum=0.1, affine=true)",
        "  (head): Linear(in=3, out=2, bias=false)",
        ")",
      ].join("\n"),
    );
  });

  it("a custom module without a config says how to get one", () => {
    expect(() => new Net().toConfig()).toThrow(/Net.toConfig: .*override toConfig\(\)/);
  });
});
