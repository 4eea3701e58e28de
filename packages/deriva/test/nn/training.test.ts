import { describe, expect, it } from "vitest";
import { Generator, loss, manualSeed, nn, noGrad, optim, type Tensor, tensor } from "../../src/index.js";

/** Three interleaved classes on rings of radius 1, 2, 3 (not linearly separable). */
function rings(perClass: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 3 * perClass; i++) {
    const label = i % 3;
    const angle = 2 * Math.PI * g.uniform();
    const r = label + 1 + 0.15 * g.normal();
    x.push([r * Math.cos(angle), r * Math.sin(angle)]);
    y.push(label);
  }
  return { x: tensor(x), y: tensor(y, { dtype: "int32" }) };
}

/** 1×6×6 images holding one vertical (class 0) or horizontal (class 1) bright bar, with noise. */
function bars(count: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const values = new Float32Array(count * 36);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const line = g.int(6);
    for (let p = 0; p < 36; p++) {
      const [row, col] = [Math.floor(p / 6), p % 6];
      const on = label === 0 ? col === line : row === line;
      values[i * 36 + p] = (on ? 1 : 0) + 0.2 * g.normal();
    }
    labels.push(label);
  }
  return { x: tensor(values).reshape([count, 1, 6, 6]), y: tensor(labels, { dtype: "int32" }) };
}

function accuracy(model: nn.Module, x: Tensor, y: Tensor): number {
  const predicted = noGrad(() => model.forward(x).argmax(1).data());
  const labels = y.data();
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

function trainFor(
  model: nn.Module,
  opt: optim.Optimizer,
  x: Tensor,
  y: Tensor,
  epochs: number,
  batch: number,
): number[] {
  const n = x.shape[0]!;
  const g = new Generator(1);
  const history: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    const order = g.permutation(n);
    let total = 0;
    for (let start = 0; start < n; start += batch) {
      const rows = Array.from(order.subarray(start, start + batch));
      opt.zeroGrad();
      const value = loss.crossEntropy(model.forward(x.indexSelect(0, rows)), y.indexSelect(0, rows));
      value.backward();
      opt.step();
      total += value.item() * rows.length;
    }
    history.push(total / n);
  }
  model.eval();
  return history;
}

describe("training networks end to end", () => {
  const mlp = () =>
    new nn.Sequential(
      new nn.Linear(2, 32),
      new nn.BatchNorm1d(32),
      new nn.ReLU(),
      new nn.Dropout(0.1),
      new nn.Linear(32, 3),
    );

  it("an MLP with BatchNorm and Dropout learns three rings with Adam and a one-cycle schedule", () => {
    const train = rings(60, 1);
    const test = rings(30, 2);
    manualSeed(0);
    const model = mlp();
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const schedule = optim.schedules.oneCycle(opt, { maxLr: 0.05, totalSteps: 40 });
    const history: number[] = [];
    for (let epoch = 0; epoch < 40; epoch++) {
      history.push(...trainFor(model, opt, train.x, train.y, 1, 20));
      schedule.step();
    }
    // the training loss is measured in training mode (dropout on), so it stays well above zero
    expect(history.at(-1)!).toBeLessThan(0.4 * history[0]!);
    expect(accuracy(model, test.x, test.y)).toBeGreaterThan(0.9);
  });

  it("the same seed gives identical loss histories", () => {
    const run = (seed: number) => {
      manualSeed(seed);
      const model = mlp();
      const data = rings(30, 3);
      return trainFor(
        model,
        new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
        data.x,
        data.y,
        3,
        15,
      );
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it("a small CNN tells vertical from horizontal bars", () => {
    const train = bars(80, 4);
    const test = bars(40, 5);
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(4 * 3 * 3, 2),
    );
    const history = trainFor(
      model,
      new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
      train.x,
      train.y,
      8,
      16,
    );
    expect(history.at(-1)!).toBeLessThan(0.5 * history[0]!);
    expect(accuracy(model, test.x, test.y)).toBeGreaterThan(0.95);
  });
});
