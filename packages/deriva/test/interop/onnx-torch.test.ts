/**
 * PyTorch export → deriva import: torch_onnx.py exports an MLP (opset 13: GELU as Erf nodes,
 * BatchNorm1d, a Linear without bias as MatMul) and a CNN (opset 17: BatchNorm2d folded into the
 * Conv, AvgPool2d after a Pad of nothing) with torch.onnx.export and records PyTorch's outputs;
 * fromOnnx reads the files and gives the same outputs to 1e-5. Needs Debian's python3-torch
 * (.ci/run installs it); skipped locally without it, a failure in CI (CI=1).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { noGrad, tensor } from "../../src/index.js";
import { readOnnx } from "../../src/onnx/index.js";
import { expectOrtMatches, maxRelativeError } from "../helpers/onnx-runtime.js";

const PYTHON = "/usr/bin/python3";
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;

describe.skipIf(!hasTorch && !process.env.CI)("ONNX files exported by PyTorch", () => {
  const dir = mkdtempSync(join(tmpdir(), "deriva-torch-onnx-"));

  beforeAll(() => {
    expect(hasTorch, "python3-torch is required in CI (apt-get install python3-torch)").toBe(true);
    execFileSync(PYTHON, [join(import.meta.dirname, "torch_onnx.py"), dir], { stdio: "pipe" });
  });

  const cases = [
    {
      name: "mlp",
      layers: [
        "Flatten",
        "Linear",
        "BatchNorm1d",
        "ReLU",
        "Linear",
        "GELU",
        "Linear",
        "LeakyReLU",
        "Linear",
        "Softmax",
      ],
    },
    {
      name: "cnn",
      layers: [
        "Conv2d",
        "ReLU",
        "MaxPool2d",
        "Conv2d",
        "Tanh",
        "AvgPool2d",
        "Flatten",
        "Linear",
        "Sigmoid",
        "Linear",
      ],
    },
  ];

  for (const { name, layers } of cases) {
    it(`the ${name}: deriva reads it and computes PyTorch's outputs to 1e-5`, async () => {
      const bytes = readFileSync(join(dir, `${name}.onnx`));
      const reference = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
      const imported = readOnnx(bytes);
      expect(imported.producer).toMatch(/^pytorch 1\./);
      expect(imported.model.layers.map((l) => l.toConfig().type)).toEqual(layers);
      const x = tensor(Float32Array.from(reference.input.values), { shape: reference.input.shape });
      const y = noGrad(() => imported.model.forward(x));
      expect(y.shape).toEqual(reference.output.shape);
      expect(maxRelativeError(y.data(), reference.output.values)).toBeLessThan(1e-5);
      // and ONNX Runtime agrees with both on PyTorch's own file
      await expectOrtMatches(bytes, x, y);
    });
  }
});
