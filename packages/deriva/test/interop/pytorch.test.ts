/**
 * A saved model loads into PyTorch: the `nn.Sequential` of the same layers accepts
 * the weights file model.json names with `load_state_dict(strict=True)` and computes the same outputs
 * (torch_load.py). Needs Debian's python3-torch (.ci/run installs it); skipped locally without
 * it, a failure in CI (CI=1).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manualSeed, nn, noGrad, randn, type Tensor, train } from "../../src/index.js";
import { saveModelFolder } from "../../src/node/index.js";

const PYTHON = "/usr/bin/python3";
const record = train.checkTrainingRecord({}, "regression", null, "record");
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;

/** Saves `layers` (after a few training-mode passes, so BatchNorm's running stats are not trivial) and compares torch's outputs with ours. */
async function compareWithTorch(layers: nn.LayerConfig[], input: Tensor): Promise<void> {
  manualSeed(7);
  const model = nn.fromConfig({ type: "Sequential", layers });
  model.train();
  noGrad(() => {
    for (let i = 0; i < 3; i++) model.forward(randn(input.shape as number[]));
  });
  model.eval();
  const expected = noGrad(() => model.forward(input));
  const dir = join(mkdtempSync(join(tmpdir(), "deriva-torch-")), "model");
  await saveModelFolder(
    dir,
    {
      task: "regression",
      architecture: model.toConfig(),
      preprocessing: null,
      inputShape: input.shape.slice(1),
      classes: null,
      training: { ...record, outputs: expected.shape[1]! },
    },
    model.stateDict(),
  );
  const inputs = join(dir, "..", "inputs.json");
  writeFileSync(inputs, JSON.stringify({ shape: input.shape, values: Array.from(input.data()) }));
  const out = JSON.parse(
    execFileSync(PYTHON, [join(import.meta.dirname, "torch_load.py"), dir, inputs], { encoding: "utf8" }),
  );
  expect(out.format).toBe("pt");
  expect(out.shape).toEqual(expected.shape);
  const want = expected.data();
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(out.values[i] - want[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(want[i]!)));
}

describe.skipIf(!hasTorch && !process.env.CI)("PyTorch loads deriva's model files", () => {
  it("an MLP: Flatten, Linear, BatchNorm1d, ReLU, Dropout, Linear", async () => {
    expect(hasTorch, "python3-torch is required in CI (apt-get install python3-torch)").toBe(true);
    const layers: nn.LayerConfig[] = [
      { type: "Flatten", startAxis: 1 },
      { type: "Linear", in: 12, out: 8 },
      { type: "BatchNorm1d", features: 8 },
      { type: "ReLU" },
      { type: "Dropout", p: 0.3 },
      { type: "Linear", in: 8, out: 3 },
    ];
    await compareWithTorch(layers, randn([5, 3, 4]));
  });

  it("a CNN: Conv2d (stride, padding), BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear", async () => {
    expect(hasTorch, "python3-torch is required in CI (apt-get install python3-torch)").toBe(true);
    const layers: nn.LayerConfig[] = [
      { type: "Conv2d", in: 2, out: 4, kernel: 3, padding: 1 },
      { type: "BatchNorm2d", features: 4 },
      { type: "ReLU" },
      { type: "MaxPool2d", kernel: 2 },
      { type: "Conv2d", in: 4, out: 6, kernel: [3, 2], stride: [1, 2], bias: false },
      { type: "Tanh" },
      { type: "AvgPool2d", kernel: 2 },
      { type: "Flatten", startAxis: 1 },
      { type: "Linear", in: 6, out: 2 },
    ];
    await compareWithTorch(layers, randn([3, 2, 8, 10]));
  });
});
