import { describe, expect, it } from "vitest";
import { tensor, train } from "../../src/index.js";

describe("metrics", () => {
  it("predictedClasses takes the first largest output of each row", () => {
    const output = tensor([
      [0.1, 0.7, 0.2],
      [3, 3, 1],
      [-1, -2, -0.5],
    ]);
    expect(Array.from(train.predictedClasses(output))).toEqual([1, 0, 2]);
  });

  it("accuracy is the fraction of rows whose largest output sits at the label", () => {
    const output = tensor([
      [2, 1],
      [0, 3],
      [5, 4],
      [1, 9],
    ]);
    expect(train.accuracy(output, tensor([0, 0, 0, 1], { dtype: "int32" }))).toBe(0.75);
    expect(() => train.accuracy(output, tensor([0, 1, 0, 1]))).toThrow(
      "labels must be int32 class indices [4]",
    );
  });

  it("confusionMatrix counts [true][predicted]", () => {
    expect(train.confusionMatrix([0, 1, 1, 2, 2, 2], [0, 1, 0, 2, 1, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    expect(() => train.confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      "confusionMatrix: sample 1 has label 1 and prediction 3, outside [0, 3)",
    );
    expect(() => train.confusionMatrix([0], [0, 1], 2)).toThrow("1 predictions for 2 labels");
  });
});
