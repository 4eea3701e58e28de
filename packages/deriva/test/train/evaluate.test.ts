/** Evaluation never counts a NaN or infinite output as a class. */
import { describe, expect, it } from "vitest";
import { Dataset } from "../../src/data/dataset.js";
import { nn, tensor, train } from "../../src/index.js";

/** A linear model whose class-0 output is the first input and class-1 output the second. */
function identity(): nn.Module {
  const model = nn.fromConfig({ type: "Linear", in: 2, out: 2 });
  model.loadStateDict({
    weight: tensor([
      [1, 0],
      [0, 1],
    ]),
    bias: tensor([0, 0]),
  });
  return model;
}

describe("train.evaluate with outputs that are not finite", () => {
  it("counts a NaN or infinite output as wrong and in no class, and names its samples", async () => {
    const data = new Dataset({
      // rows 1 and 3 give NaN and an infinity: before, they counted as class 0 (and row 1 as right)
      x: tensor([
        [2, 1],
        [Number.NaN, 0],
        [0, 3],
        [Number.POSITIVE_INFINITY, 0],
      ]),
      y: tensor([0, 0, 1, 0], { dtype: "int32" }),
    });
    const result = await train.evaluate(identity(), data, { batchSize: 3 });
    expect(result.nonFinite).toEqual([1, 3]);
    expect(result.correct).toBe(2);
    expect(result.accuracy).toBe(0.5);
    expect(result.confusionMatrix).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(Number.isNaN(result.loss)).toBe(true);
  });

  it("predictedClasses gives -1 (no class) for a row with a NaN or an infinity", () => {
    const output = tensor([
      [Number.NaN, 1],
      [1, Number.NEGATIVE_INFINITY],
      [0, 1],
    ]);
    expect(Array.from(train.predictedClasses(output))).toEqual([-1, -1, 1]);
  });

  it("lists the non-finite samples of a regression too", async () => {
    const data = new Dataset({
      x: tensor([
        [1, 1],
        [Number.NaN, 1],
      ]),
      y: tensor([
        [1, 1],
        [2, 2],
      ]),
    });
    expect((await train.evaluate(identity(), data)).nonFinite).toEqual([1]);
  });
});
