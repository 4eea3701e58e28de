import { describe, expect, it } from "vitest";
import { loss, manualSeed, nn, optim, randn, type Tensor } from "../../src/index.js";

/**
 * Linear regression y = x·w* + noise on standard-normal inputs: the mse's Hessian is about 2·I,
 * so plain gradient descent converges for lr < 2/λ_max ≈ 1 and diverges beyond.
 */
function problem() {
  manualSeed(3);
  const batches = 8;
  const size = 32;
  const x = randn([batches * size, 4]);
  const y = x.matmul(randn([4, 1])).add(randn([batches * size, 1]).mul(0.1));
  const model = new nn.Linear(4, 1);
  const xs: Tensor[] = [];
  const ys: Tensor[] = [];
  for (let b = 0; b < batches; b++) {
    xs.push(x.slice([b * size, 0], [(b + 1) * size, 4]));
    ys.push(y.slice([b * size, 0], [(b + 1) * size, 1]));
  }
  const batchLoss = (i: number) => loss.mse(model.forward(xs[i % batches]!), ys[i % batches]!);
  return { model, batchLoss, x, y };
}

describe("optim.findLr", () => {
  it("sweeps the rate exponentially, stops when the loss diverges and suggests a rate on the steep fall", async () => {
    const { model, batchLoss } = problem();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
    const result = await optim.findLr({
      model,
      optimizer,
      loss: batchLoss,
      startLr: 1e-5,
      endLr: 100,
      numIter: 100,
    });

    // exponential spacing: 1e-5 … 100 over 99 intervals
    expect(result.lrs[0]).toBeCloseTo(1e-5, 18);
    const ratio = 10 ** (7 / 99);
    for (let i = 1; i < result.lrs.length; i++)
      expect(result.lrs[i]! / result.lrs[i - 1]!).toBeCloseTo(ratio, 10);
    // it diverged before reaching 100 and stopped there
    expect(result.lrs.length).toBeLessThan(100);
    const last = result.losses.at(-1)!;
    expect(last > 4 * Math.min(...result.losses) || !Number.isFinite(last)).toBe(true);
    expect(result.losses.length).toBe(result.lrs.length);
    expect(result.rawLosses.length).toBe(result.lrs.length);
    // the first smoothed loss is bias-corrected: equal to the first raw loss
    expect(result.losses[0]).toBeCloseTo(result.rawLosses[0]!, 12);
    // where the loss falls fastest: well above the start, below where it diverges (lr ≈ 1)
    expect(result.suggestion).toBeGreaterThan(1e-2);
    expect(result.suggestion).toBeLessThan(0.5);
  });

  it("restores the weights, the optimizer's state and rate, and the training mode", async () => {
    const { model, batchLoss } = problem();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.003 });
    // some history the test must not disturb
    optimizer.zeroGrad();
    batchLoss(0).backward();
    optimizer.step();
    const weights = model.parameters().map((p) => p.toArray());
    const weightTensors = model.parameters();
    const optimizerState = optimizer.stateDict();
    model.eval();
    await optim.findLr({ model, optimizer, loss: batchLoss, numIter: 30 });
    expect(model.parameters().map((p) => p.toArray())).toEqual(weights);
    expect(model.parameters()).toEqual(weightTensors);
    expect(optimizer.lr).toBe(0.003);
    const after = optimizer.stateDict();
    expect(after.steps).toEqual(optimizerState.steps);
    expect(after.state["0.exp_avg"]!.toArray()).toEqual(optimizerState.state["0.exp_avg"]!.toArray());
    expect(model.training).toBe(false);
  });

  it("the suggested rate trains the model", async () => {
    const { model, batchLoss, x, y } = problem();
    const optimizer = new optim.SGD(model.parameters(), { lr: 1e-6 });
    const { suggestion } = await optim.findLr({
      model,
      optimizer,
      loss: batchLoss,
      startLr: 1e-5,
      endLr: 100,
    });
    const before = loss.mse(model.forward(x), y).item();
    optimizer.lr = suggestion;
    for (let i = 0; i < 40; i++) {
      optimizer.zeroGrad();
      batchLoss(i).backward();
      optimizer.step();
    }
    const after = loss.mse(model.forward(x), y).item();
    expect(after).toBeLessThan(0.1 * before);
  });

  it("checks its arguments", async () => {
    const { model, batchLoss } = problem();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    await expect(optim.findLr({ model, optimizer, loss: batchLoss, startLr: 1, endLr: 0.1 })).rejects.toThrow(
      "findLr: need 0 < startLr < endLr, got 1 and 0.1",
    );
    await expect(optim.findLr({ model, optimizer, loss: batchLoss, numIter: 1 })).rejects.toThrow(
      /numIter must be an integer ≥ 2/,
    );
  });
});
