/**
 * Every @example in the library's doc comments runs, and its results shown in comments hold
 * (see examples.ts for how an example becomes a module).
 */
import { describe, expect, it } from "vitest";
import { exampleModule, runExample, sourceExamples } from "./examples.js";

const examples = sourceExamples();

describe("@example blocks", () => {
  it("are found, and the main exports have them", () => {
    expect(examples.length).toBeGreaterThan(50);
    const code = examples.map((e) => e.code).join("\n");
    for (const use of [
      "tensor(",
      "grad(",
      "valueAndGrad(",
      "hessian(",
      "minimize(",
      "parseExpression(",
      "derivative(",
      "new nn.Sequential(",
      "new nn.Linear(",
      "new optim.Adam(",
      "new optim.SGD(",
      "loss.mse(",
      "loss.crossEntropy(",
      "train.fit(",
      "saveModel(",
      "loadModel(",
      "setBackend(",
      "ready(",
    ]) {
      expect(code, use).toContain(use);
    }
  });

  it.each(examples.map((e) => [e.where, e.code]))("%s runs", async (_where, code) => {
    await runExample(code);
  });
});

describe("the example runner", () => {
  it("checks a result written in a comment, and fails a wrong one", async () => {
    await runExample("tensor([1, 2, 3]).sum().item(); // 6");
    await runExample("const s = tensor([1, 2]).shape; // [2]");
    await expect(runExample("tensor([1, 2, 3]).sum().item(); // 7")).rejects.toThrow(/gives 6, not 7/);
    await expect(runExample("tensor([0.25]).toArray(); // [0.3]")).resolves.toBeUndefined();
    await expect(runExample("tensor([0.25]).toArray(); // [0.4]")).rejects.toThrow(/not \[0.4\]/);
  });

  it("leaves a comment that is not a JSON value alone, and refuses a non-public import", () => {
    expect(exampleModule("f(); // a remark")).toContain("f(); // a remark");
    expect(() => exampleModule('import { x } from "deriva/internal";')).toThrow(/not a public entry point/);
  });
});
