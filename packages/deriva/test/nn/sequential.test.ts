/**
 * Sequential runs a ReLU followed by a max pooling in the other order (pool, then relu on a quarter
 * of the elements), and a BatchNorm2d or a Conv2d followed by a max pooling (a ReLU between them
 * or not) as one op: the values, the gradients to second order and the running statistics must be
 * those of the written order.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { grad, manualSeed, nn, randn, type Tensor, tensor } from "../../src/index.js";
import { describeEachBackend } from "../helpers/backends.js";

/** [2, 3, 6, 6] float64 with ties (one decimal), windows all ≤ 0, zeros and negative zeros. */
function awkwardImages(): Tensor {
  manualSeed(8);
  const values = Array.from(randn([2, 3, 6, 6], { dtype: "float64" }).data(), (v) => Math.round(v * 10) / 10);
  values.fill(-0.5, 0, 12); // the first two rows of the first plane: 3 windows of negatives only
  values.fill(0, 36, 42); // a row of zeros in the second plane
  values[42] = -0;
  return tensor(values, { shape: [2, 3, 6, 6], dtype: "float64" });
}

/** The message f throws. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

/** The layers one after another, in the written order. */
function inOrder(layers: nn.Module[]): (x: Tensor) => Tensor {
  return (x) => layers.reduce((y, layer) => layer.forward(y), x);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describeEachBackend("Sequential with a ReLU before a max pooling", () => {
  const layers = [new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(27, 2).to("float64")];
  const model = new nn.Sequential(...layers);
  const written = inOrder(layers);
  const cost = (f: (x: Tensor) => Tensor) => (x: Tensor) => f(x).pow(3).sum();
  const d1 = (f: (x: Tensor) => Tensor) => grad(f) as (x: Tensor) => Tensor;
  const d2 = (f: (x: Tensor) => Tensor) => d1((x) => d1(f)(x).square().sum());

  it("gives the written order's values and gradients, to second order", () => {
    const x = awkwardImages();
    expect(model.forward(x).toArray()).toEqual(written(x).toArray());
    expect(d1(cost((t) => model.forward(t)))(x).toArray()).toEqual(d1(cost(written))(x).toArray());
    expect(d2(cost((t) => model.forward(t)))(x).toArray()).toEqual(d2(cost(written))(x).toArray());
  });

  it("and the same NaN where the input has one", () => {
    const values = awkwardImages().data();
    values[7] = Number.NaN;
    const x = tensor(values, { shape: [2, 3, 6, 6], dtype: "float64" });
    expect(model.forward(x).toArray()).toEqual(written(x).toArray());
    expect(d1(cost((t) => model.forward(t)))(x).toArray()).toEqual(d1(cost(written))(x).toArray());
  });

  it("pools first, so the relu sees the pooled tensor", () => {
    const seen = vi.spyOn(nn.ReLU.prototype, "forward");
    model.forward(awkwardImages());
    expect(seen.mock.calls.map(([x]) => x.shape)).toEqual([[2, 3, 3, 3]]);
  });
});

describeEachBackend("Sequential with a batch norm or a convolution before a max pooling", () => {
  /** Two copies of a model: the same layers, made from the same seed. */
  const twice = (make: () => nn.Module[]) => {
    manualSeed(21);
    const a = make();
    manualSeed(21);
    return [a, make()] as const;
  };
  const blocks = {
    "batch norm, relu, pool": () => [new nn.BatchNorm2d(3), new nn.ReLU(), new nn.MaxPool2d(2)],
    "batch norm, pool (overlapping windows)": () => [new nn.BatchNorm2d(3), new nn.MaxPool2d(3, 2)],
    "convolution, relu, pool": () => [
      new nn.Conv2d(3, 4, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
    ],
    "strided convolution without bias, pool (overlapping windows)": () => [
      new nn.Conv2d(3, 2, 2, { stride: 2, bias: false }),
      new nn.MaxPool2d(2, 1),
    ],
  };
  const cost = (f: (x: Tensor) => Tensor) => (x: Tensor) => f(x).pow(3).sum();
  const d1 = (f: (x: Tensor) => Tensor) => grad(f) as (x: Tensor) => Tensor;
  const d2 = (f: (x: Tensor) => Tensor) => d1((x) => d1(f)(x).square().sum());

  for (const [name, make] of Object.entries(blocks)) {
    it(`${name}: the written order's values, gradients to second order and running statistics`, () => {
      const [layers, writtenLayers] = twice(() => [...make(), new nn.Flatten()].map((l) => l.to("float64")));
      const model = new nn.Sequential(...layers);
      const written = inOrder(writtenLayers);
      const x = awkwardImages();
      expect(model.forward(x).toArray()).toEqual(written(x).toArray());
      expect(d1(cost((t) => model.forward(t)))(x).toArray()).toEqual(d1(cost(written))(x).toArray());
      expect(d2(cost((t) => model.forward(t)))(x).toArray()).toEqual(d2(cost(written))(x).toArray());
      expect(layers[0]!.stateDict()).toEqual(writtenLayers[0]!.stateDict());
      for (const m of [...layers, ...writtenLayers]) m.eval();
      expect(model.forward(x).toArray()).toEqual(written(x).toArray());
    });
  }

  it("backward() leaves the written order's gradients on the parameters", () => {
    const [layers, writtenLayers] = twice(() =>
      [
        new nn.Conv2d(3, 3, 3, { padding: 1 }),
        ...blocks["batch norm, relu, pool"](),
        ...blocks["convolution, relu, pool"](),
        new nn.Flatten(),
      ].map((l) => l.to("float64")),
    );
    const x = awkwardImages();
    new nn.Sequential(...layers).forward(x).pow(3).sum().backward();
    inOrder(writtenLayers)(x).pow(3).sum().backward();
    for (const [i, layer] of layers.entries()) {
      const theirs = writtenLayers[i]!.parameters();
      for (const [k, p] of layer.parameters().entries())
        expect(p.grad!.toArray()).toEqual(theirs[k]!.grad!.toArray());
    }
  });

  it("runs each block as one op while training, never its layers' own forward", () => {
    const norm = vi.spyOn(nn.BatchNorm2d.prototype, "forward");
    const conv = vi.spyOn(nn.Conv2d.prototype, "forward");
    const pool = vi.spyOn(nn.MaxPool2d.prototype, "forward");
    const relu = vi.spyOn(nn.ReLU.prototype, "forward");
    const layers = [...blocks["batch norm, relu, pool"](), ...blocks["convolution, relu, pool"]()];
    new nn.Sequential(...layers.map((l) => l.to("float64"))).forward(awkwardImages());
    for (const spy of [norm, conv, pool, relu]) expect(spy).not.toHaveBeenCalled();
  });
});

describe("Sequential's fused blocks refuse bad input as the layers in turn do", () => {
  it("with the same one-line error, naming the layer's op", () => {
    for (const make of [
      () => [new nn.Conv2d(3, 4, 3), new nn.ReLU(), new nn.MaxPool2d(5)], // 6×6 → 4×4, a 5×5 window
      () => [new nn.BatchNorm2d(3), new nn.MaxPool2d(7)], // a 7×7 window on 6×6
    ]) {
      const x = awkwardImages();
      const written = () => inOrder(make().map((l) => l.to("float64")))(x);
      const fused = () => new nn.Sequential(...make().map((l) => l.to("float64"))).forward(x);
      expect(written).toThrow(/^maxPool2d: kernel \d×\d is larger than the padded input \d×\d$/);
      expect(errorOf(fused)).toBe(errorOf(written));
    }
  });
});

describe("Sequential keeps the written order", () => {
  it("for a subclass of BatchNorm2d", () => {
    const seen = vi.fn();
    class Watched extends nn.BatchNorm2d {
      override forward(x: Tensor): Tensor {
        seen(x.shape);
        return super.forward(x);
      }
    }
    const layers = [new Watched(3).to("float64"), new nn.MaxPool2d(2)];
    const x = awkwardImages();
    expect(new nn.Sequential(...layers).forward(x).toArray()).toEqual(inOrder(layers)(x).toArray());
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it("for a subclass of ReLU, which may compute something pooling does not commute with", () => {
    class NegatedRelu extends nn.ReLU {
      override forward(x: Tensor): Tensor {
        return x.relu().neg();
      }
    }
    const layers = [new NegatedRelu(), new nn.MaxPool2d(2)];
    const x = awkwardImages();
    expect(new nn.Sequential(...layers).forward(x).toArray()).toEqual(inOrder(layers)(x).toArray());
  });
});
