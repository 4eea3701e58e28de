import { describe, expect, it } from "vitest";
import { manualSeed, nn } from "../../src/index.js";

function stats(values: ArrayLike<number>): { mean: number; variance: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, variance: sq / values.length, maxAbs };
}

describe("PyTorch's default initialization", () => {
  it("Linear: weight and bias uniform in ±1/√in", () => {
    manualSeed(0);
    const layer = new nn.Linear(400, 300);
    const bound = 1 / Math.sqrt(400);
    const w = stats(layer.weight.storage);
    expect(w.maxAbs).toBeLessThanOrEqual(bound);
    expect(w.maxAbs).toBeGreaterThan(0.999 * bound);
    // U(−b, b) has mean 0 and variance b²/3; 120,000 draws pin both down closely
    expect(Math.abs(w.mean)).toBeLessThan(0.01 * bound);
    expect(Math.abs(w.variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.02);
    const b = stats(layer.bias!.storage);
    expect(b.maxAbs).toBeLessThanOrEqual(bound);
    expect(b.maxAbs).toBeGreaterThan(0.9 * bound);
  });

  it("Conv2d: fan_in = in·kH·kW", () => {
    manualSeed(0);
    const conv = new nn.Conv2d(3, 64, [5, 4]);
    const bound = 1 / Math.sqrt(3 * 5 * 4);
    const w = stats(conv.weight.storage);
    expect(w.maxAbs).toBeLessThanOrEqual(bound);
    expect(w.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(w.variance / ((bound * bound) / 3) - 1)).toBeLessThan(0.05);
    expect(stats(conv.bias!.storage).maxAbs).toBeLessThanOrEqual(bound);
  });

  it("BatchNorm: weight 1, bias 0, running mean 0 and variance 1", () => {
    const bn = new nn.BatchNorm2d(3);
    expect(bn.weight!.toArray()).toEqual([1, 1, 1]);
    expect(bn.bias!.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningMean.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningVar.toArray()).toEqual([1, 1, 1]);
  });

  it("the same seed gives the same weights, another seed different ones", () => {
    const build = () =>
      new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.Flatten(), new nn.Linear(16, 8), new nn.Linear(8, 2));
    const weights = (m: nn.Module) => m.parameters().map((p) => p.toArray());
    manualSeed(42);
    const a = weights(build());
    manualSeed(42);
    const b = weights(build());
    manualSeed(43);
    const c = weights(build());
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
