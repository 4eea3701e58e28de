/**
 * A short MNIST run through the library: 1 epoch on 2,000 training digits must already classify
 * most of the 2,000 held-out ones (the full runs are measured, not tested: see the README).
 */

import { manualSeed, models, nn, train } from "deriva";
import { describe, expect, it } from "vitest";
import { loadMnist } from "../src/datasets/mnist.js";

describe("MNIST smoke run", () => {
  it("an MLP learns from one epoch on 2,000 digits", async () => {
    const { train: digits, test } = await loadMnist();
    const subset = digits.subset(Int32Array.from({ length: 2000 }, (_, i) => i));
    manualSeed(0);
    const model = nn.fromConfig(models.mlp({ inputShape: [1, 28, 28], outputs: 10 }));
    const before = await train.evaluate(model, test);
    const history = await train.fit(model, subset, { epochs: 1, batchSize: 64, lr: 1e-3, augment: "shift" });
    const after = await train.evaluate(model, test);
    expect(before.accuracy).toBeLessThan(0.2);
    expect(after.accuracy).toBeGreaterThan(0.7); // 0.79 with seed 0
    expect(after.loss).toBeLessThan(before.loss / 2);
    expect(history.epochs[0]!.accuracy).toBeGreaterThan(0.4);
  });
});
