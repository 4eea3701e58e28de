import { describe, expect, it } from "vitest";
import { loss, tensor, train } from "../../src/index.js";

const logits = tensor([
  [2, -1, 0.5],
  [0, 1, -3],
]);
const labels = tensor([0, 2], { dtype: "int32" });
const oneHot = tensor([
  [1, 0, 0],
  [0, 0, 1],
]);

describe("losses by name", () => {
  it("cross-entropy on classes reads outputs as logits (softmax)", () => {
    const spec = train.resolveLoss("cross-entropy", "classification");
    expect(spec.link).toBe("softmax");
    expect(spec.compute(logits, labels).item()).toBeCloseTo(loss.crossEntropy(logits, labels).item(), 6);
  });

  it("mse and quadratic on classes compare σ(output) with the one-hot target; bce uses the logits", () => {
    const mse = train.resolveLoss("mse", "classification");
    expect(mse.link).toBe("sigmoid");
    expect(mse.compute(logits, labels).item()).toBeCloseTo(loss.mse(logits.sigmoid(), oneHot).item(), 6);
    const quadratic = train.resolveLoss("quadratic", "classification");
    expect(quadratic.compute(logits, labels).item()).toBeCloseTo(
      loss.mse(logits.sigmoid(), oneHot).item() / 2,
      6,
    );
    const bce = train.resolveLoss("bce", "classification");
    expect(bce.compute(logits, labels).item()).toBeCloseTo(loss.bceWithLogits(logits, oneHot).item(), 6);
  });

  it("regression losses take targets [N] or [N, 1] against outputs [N, 1]", () => {
    const output = tensor([[1], [2], [4]]);
    const spec = train.resolveLoss("mse", "regression");
    expect(spec.link).toBe("identity");
    expect(spec.compute(output, tensor([1, 1, 1])).item()).toBeCloseTo((0 + 1 + 9) / 3, 6);
    expect(spec.compute(output, tensor([[1], [1], [1]])).item()).toBeCloseTo((0 + 1 + 9) / 3, 6);
    expect(
      train
        .resolveLoss("mae", "regression")
        .compute(output, tensor([1, 1, 1]))
        .item(),
    ).toBeCloseTo(4 / 3, 6);
  });

  it("applyLink turns outputs into probabilities or keeps values", () => {
    const softmax = train.applyLink(logits, "softmax").data();
    expect(softmax[0]! + softmax[1]! + softmax[2]!).toBeCloseTo(1, 6);
    expect(train.applyLink(logits, "sigmoid").data()[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(train.applyLink(logits, "identity")).toBe(logits);
  });

  it("refuses a loss that does not fit the task, or an unknown one", () => {
    expect(() => train.resolveLoss("huber", "classification")).toThrow(
      "loss 'huber' does not fit a classification task (use cross-entropy, mse, quadratic, bce)",
    );
    expect(() => train.resolveLoss("bce", "regression")).toThrow("loss 'bce' does not fit a regression task");
    expect(() => train.resolveLoss("nll" as "mse", "regression")).toThrow('unknown loss "nll"');
    expect(() =>
      train.resolveLoss("mse", "classification").compute(logits, tensor([0, 5], { dtype: "int32" })),
    ).toThrow("label 5 of sample 1 is not a class index in [0, 3)");
  });
});
