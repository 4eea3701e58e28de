import { describe, expect, it } from "vitest";
import {
  arange,
  Generator,
  manualSeed,
  nn,
  ones,
  randn,
  type Tensor,
  tensor,
  zeros,
} from "../../src/index.js";
import { expectClose } from "./expect-close.js";
import { gradcheckModule } from "./module-gradcheck.js";

function setValues(t: Tensor, values: number[]): void {
  t.storage.set(values);
}

describe("nn.Linear", () => {
  it("computes x Wᵀ + b with weight [out, in]", () => {
    const layer = new nn.Linear(2, 3);
    expect(layer.weight.shape).toEqual([3, 2]);
    setValues(layer.weight, [1, 2, 3, 4, 5, 6]);
    setValues(layer.bias!, [0.5, -1, 2]);
    const y = layer.forward(
      tensor([
        [1, 1],
        [2, -1],
      ]),
    );
    expect(y.toArray()).toEqual([
      [3.5, 6, 13],
      [0.5, 1, 6],
    ]);
    // any leading axes
    expect(layer.forward(zeros([4, 5, 2])).shape).toEqual([4, 5, 3]);
  });

  it("without a bias has only a weight", () => {
    const layer = new nn.Linear(2, 3, { bias: false });
    expect(layer.bias).toBeNull();
    expect(layer.namedParameters().map(([n]) => n)).toEqual(["weight"]);
    setValues(layer.weight, [1, 0, 0, 1, 1, 1]);
    expect(layer.forward(tensor([[2, 3]])).toArray()).toEqual([[2, 3, 5]]);
  });

  it("names itself and both sizes when the input does not fit", () => {
    expect(() => new nn.Linear(784, 128).forward(zeros([32, 100]))).toThrow(
      "Linear(784 → 128): expected an input whose last axis has 784 features, got shape [32, 100]",
    );
    expect(() => new nn.Linear(0, 2)).toThrow("Linear: in must be a positive integer, got 0");
  });

  it("passes a float64 gradcheck (input, weight, bias)", () => {
    manualSeed(1);
    const result = gradcheckModule(new nn.Linear(3, 2), randn([4, 3]));
    expect(result.worst).toBe("");
    expect(result.checked).toBe(12 + 6 + 2);
  });
});

describe("nn.Conv2d", () => {
  const image = () => arange(9).reshape([1, 1, 3, 3]);

  it("cross-correlates with weight [out, in, kH, kW], adding the bias", () => {
    const conv = new nn.Conv2d(1, 1, 2);
    expect(conv.weight.shape).toEqual([1, 1, 2, 2]);
    conv.weight.storage.fill(1);
    conv.bias!.storage.fill(1);
    expect(conv.forward(image()).toArray()).toEqual([
      [
        [
          [9, 13],
          [21, 25],
        ],
      ],
    ]);
  });

  it("honours stride and padding", () => {
    const conv = new nn.Conv2d(1, 1, 2, { stride: 2, padding: 1 });
    conv.weight.storage.fill(1);
    conv.bias!.storage.fill(1);
    expect(conv.forward(image()).toArray()).toEqual([
      [
        [
          [1, 4],
          [10, 25],
        ],
      ],
    ]);
    expect(new nn.Conv2d(3, 8, [3, 5], { padding: [1, 2] }).forward(zeros([2, 3, 10, 12])).shape).toEqual([
      2, 8, 10, 12,
    ]);
  });

  it("names the expected layout when the channels do not match", () => {
    expect(() => new nn.Conv2d(3, 8, 3).forward(zeros([1, 1, 5, 5]))).toThrow(
      "Conv2d(3 → 8): expected an input [N, 3, H, W], got shape [1, 1, 5, 5]",
    );
    expect(() => new nn.Conv2d(1, 1, 0)).toThrow(/Conv2d: kernel must be an integer ≥ 1/);
  });

  it("passes a float64 gradcheck with stride and padding", () => {
    manualSeed(2);
    const conv = new nn.Conv2d(2, 3, 2, { stride: [1, 2], padding: 1 });
    const result = gradcheckModule(conv, randn([2, 2, 3, 4]));
    expect(result.worst).toBe("");
  });
});

describe("pooling, Flatten", () => {
  const x = () => arange(16).reshape([1, 1, 4, 4]);

  it("MaxPool2d and AvgPool2d take each window's max and mean", () => {
    expect(new nn.MaxPool2d(2).forward(x()).toArray()).toEqual([
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    expect(new nn.AvgPool2d(2).forward(x()).toArray()).toEqual([
      [
        [
          [2.5, 4.5],
          [10.5, 12.5],
        ],
      ],
    ]);
    expect(new nn.MaxPool2d(3, 1).forward(x()).toArray()).toEqual([
      [
        [
          [10, 11],
          [14, 15],
        ],
      ],
    ]);
  });

  it("pass float64 gradchecks", () => {
    manualSeed(3);
    expect(gradcheckModule(new nn.MaxPool2d(2), randn([2, 2, 4, 4])).worst).toBe("");
    expect(gradcheckModule(new nn.AvgPool2d(2, 1), randn([1, 2, 3, 3])).worst).toBe("");
  });

  it("Flatten keeps the batch axis by default", () => {
    expect(new nn.Flatten().forward(zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0).forward(zeros([2, 3, 4, 5])).shape).toEqual([120]);
    manualSeed(4);
    expect(gradcheckModule(new nn.Flatten(), randn([2, 2, 2])).worst).toBe("");
  });
});

describe("nn.Dropout", () => {
  it("is the identity in eval mode and for p = 0", () => {
    const x = randn([3, 4]);
    expect(new nn.Dropout(0.5).eval().forward(x)).toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
  });

  it("zeroes a fraction p and scales survivors by 1/(1 − p) in training", () => {
    manualSeed(5);
    const p = 0.3;
    const y = new nn.Dropout(p).forward(ones([100, 100])).data();
    let dropped = 0;
    for (const v of y) {
      if (v === 0) dropped++;
      else expect(v).toBeCloseTo(1 / (1 - p), 6);
    }
    // 10,000 Bernoulli(0.3) draws: standard deviation ≈ 46
    expect(Math.abs(dropped - 3000)).toBeLessThan(200);
    expect(new nn.Dropout(1).forward(ones([5])).toArray()).toEqual([0, 0, 0, 0, 0]);
  });

  it("draws reproducible masks from the seeded generator", () => {
    const layer = new nn.Dropout(0.5);
    manualSeed(6);
    const a = layer.forward(ones([50])).toArray();
    manualSeed(6);
    const b = layer.forward(ones([50])).toArray();
    expect(b).toEqual(a);
    expect(layer.forward(ones([50])).toArray()).not.toEqual(a);
    expect(() => new nn.Dropout(1.5)).toThrow("Dropout: p must be a number in [0, 1], got 1.5");
  });

  it("passes a float64 gradcheck with a fixed mask", () => {
    const generator = new Generator(7);
    const layer = new nn.Dropout(0.4, { generator });
    const result = gradcheckModule(layer, randn([3, 5]), { before: () => generator.seed(7) });
    expect(result.worst).toBe("");
  });
});

describe("activation modules", () => {
  const x = tensor([-2, 0, 1], { dtype: "float64" });

  it("compute their functions", () => {
    expectClose(new nn.Sigmoid().forward(x), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-1))], 1e-12);
    expectClose(new nn.Tanh().forward(x), [Math.tanh(-2), 0, Math.tanh(1)], 1e-12);
    expect(new nn.ReLU().forward(x).toArray()).toEqual([0, 0, 1]);
    expect(new nn.LeakyReLU(0.1).forward(x).toArray()).toEqual([-0.2, 0, 1]);
    expect(new nn.LeakyReLU().slope).toBe(0.01);
    // GELU(x) = x·Φ(x): Φ(1) = 0.8413447460685429, Φ(−2) = 0.022750131948179195
    expectClose(new nn.GELU().forward(x), [-2 * 0.022750131948179195, 0, 0.8413447460685429], 1e-12);
    expectClose(
      new nn.Softmax().forward(tensor([[0, Math.log(2)]], { dtype: "float64" })),
      [1 / 3, 2 / 3],
      1e-12,
    );
    expectClose(
      new nn.Softmax(0).forward(tensor([[0], [Math.log(3)]], { dtype: "float64" })),
      [0.25, 0.75],
      1e-12,
    );
  });

  it("pass float64 gradchecks", () => {
    manualSeed(8);
    const input = randn([3, 4]);
    for (const layer of [
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.ReLU(),
      new nn.LeakyReLU(0.2),
      new nn.GELU(),
      new nn.Softmax(),
      new nn.Softmax(0),
    ]) {
      expect(gradcheckModule(layer, input).worst, layer.describe()).toBe("");
    }
  });
});

describe("nn.Sequential", () => {
  it("applies its layers in order and passes a float64 gradcheck end to end", () => {
    manualSeed(9);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 2, 3, { padding: 1 }),
      new nn.BatchNorm2d(2),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(8, 3),
      new nn.Tanh(),
    );
    expect(model.length).toBe(7);
    expect(model.at(-1)).toBeInstanceOf(nn.Tanh);
    expect(model.forward(randn([2, 1, 4, 4])).shape).toEqual([2, 3]);
    expect(gradcheckModule(model, randn([3, 1, 4, 4])).worst).toBe("");
  });

  it("refuses what is not a module", () => {
    expect(() => new nn.Sequential(new nn.ReLU(), 3 as unknown as nn.Module)).toThrow(
      "Sequential: layer 1 is not a Module, got number",
    );
  });
});

describe("the module gradcheck helper", () => {
  it("catches a wrong derivative", () => {
    // x·detach(x) has value x² but autodiff sees only one factor: gradient x instead of 2x
    class HalfSquare extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(x.detach());
      }
    }
    const result = gradcheckModule(new HalfSquare(), tensor([1, 2, 3]));
    expect(result.ok).toBe(false);
    const [, analytic, numeric] = /autodiff (\S+) vs finite differences (\S+)/.exec(result.worst)!;
    expect(Number(numeric) / Number(analytic)).toBeCloseTo(2, 6);
  });
});
