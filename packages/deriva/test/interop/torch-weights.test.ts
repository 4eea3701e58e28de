/**
 * PyTorch weights → deriva: a state dict saved as safetensors by a PyTorch user, with float16,
 * bfloat16 and int64 tensors (torch_state_dict.py), loads with strict names into the deriva model of
 * the same layers, which then computes PyTorch's outputs to 1e-5. Needs Debian's python3-torch
 * (.ci/run installs it); skipped locally without it, a failure in CI (CI=1).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { io, nn, noGrad, tensor } from "../../src/index.js";
import { maxRelativeError } from "../helpers/onnx-runtime.js";

const PYTHON = "/usr/bin/python3";
const hasTorch = spawnSync(PYTHON, ["-c", "import torch"]).status === 0;

describe.skipIf(!hasTorch && !process.env.CI)("a PyTorch state dict in safetensors", () => {
  it("float16, bfloat16 and int64 tensors load into the matching deriva model, which computes PyTorch's outputs", () => {
    expect(hasTorch, "python3-torch is required in CI (apt-get install python3-torch)").toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "deriva-torch-weights-"));
    execFileSync(PYTHON, [join(import.meta.dirname, "torch_state_dict.py"), dir], { stdio: "pipe" });
    const reference = JSON.parse(readFileSync(join(dir, "reference.json"), "utf8"));
    expect(new Set(Object.values(reference.dtypes))).toEqual(new Set(["F16", "BF16", "F32", "I64"]));
    const { tensors, metadata } = io.decodeSafetensors(readFileSync(join(dir, "weights.safetensors")));
    expect(metadata).toEqual({ format: "pt" });
    const model = nn.fromConfig(reference.architecture);
    model.loadStateDict(tensors); // strict: every name matches
    model.eval();
    const x = tensor(Float32Array.from(reference.input.values), { shape: reference.input.shape });
    const y = noGrad(() => model.forward(x));
    expect(y.shape).toEqual(reference.output.shape);
    expect(maxRelativeError(y.data(), reference.output.values)).toBeLessThan(1e-5);
  });
});
