/**
 * `deriva export` and `deriva import`: a trained model goes out as ONNX and comes back as a model
 * folder that `deriva eval` scores exactly as the original (preprocessing in the graph or in the
 * metadata); a safetensors state dict comes back into an architecture; and bad files are each
 * refused with one line on stderr, exit code 1, and no folder written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { floats, intAttr, onnxFile } from "../../../deriva/test/onnx/onnx-files.js";
import { type CliRun, deriva, ensureBuilt } from "./cli.js";
import { expectSuccess, IRIS, readJson, tempDir } from "./train-helpers.js";

let dir = "";
let model = "";

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("onnx");
  model = join(dir, "iris-model");
  expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "3", "--out", model]));
}, 300_000);

const evaluations = new Map<string, Record<string, unknown>>();

function evaluate(folder: string): Record<string, unknown> {
  const known = evaluations.get(folder);
  if (known !== undefined) return known;
  const run = deriva(["eval", "--model", folder, "--data", IRIS, "--format", "json"]);
  expectSuccess(run);
  const { model: _, ...figures } = JSON.parse(run.stdout);
  evaluations.set(folder, figures);
  return figures;
}

function expectError(run: CliRun, message: string | RegExp): void {
  expect(run.status, run.stdout + run.stderr).toBe(1);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toBe(`error: ${message}`);
  else expect(lines[0]).toMatch(message);
}

describe("deriva export → deriva import", () => {
  for (const placement of ["graph", "metadata"]) {
    it(`with the preprocessing in the ${placement}, the imported folder evaluates as the original`, () => {
      const file = join(dir, `iris-${placement}.onnx`);
      const exported = deriva(["export", "--model", model, "--to", file, "--preprocessing", placement]);
      expectSuccess(exported);
      expect(exported.stdout).toMatch(/^model .*: Linear\(4, 256\) → ReLU → Linear\(256, 3\)$/m);
      expect(exported.stdout).toMatch(/^wrote .*iris-.*\.onnx \([\d,]+ bytes, ONNX opset 17\)$/m);
      expect(exported.stdout).toContain(
        "output 'output': logits: softmax over axis 1 gives the class probabilities",
      );
      const back = join(dir, `iris-${placement}`);
      const imported = deriva(["import", file, "--out", back]);
      expectSuccess(imported);
      expect(imported.stdout).toMatch(/^read .* \(ONNX opset 17, deriva 0\.1\.0\): Linear\(4, 256\)/);
      expect(imported.stdout).toContain("input [N, 4], output 3 classes");
      expect(evaluate(back)).toEqual(evaluate(model));
      expect(readJson(join(back, "model.json")).preprocessing).toEqual(
        readJson(join(model, "model.json")).preprocessing,
      );
    });
  }

  it("a safetensors state dict loads into the layers of a model folder", () => {
    const files = readJson(join(model, "model.json")).files as { weights: { file: string } };
    const out = join(dir, "from-weights");
    const run = deriva(["import", join(model, files.weights.file), "--architecture", model, "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toContain("(safetensors state dict)");
    expect(evaluate(out)).toEqual(evaluate(model));
  });

  it("a file from elsewhere takes what it reads from --data", () => {
    const file = join(dir, "foreign.onnx");
    writeFileSync(
      file,
      onnxFile({
        sample: [4],
        nodes: [{ op: "Gemm", inputs: ["x", "w", "b"], output: "y", attributes: [intAttr("transB", 1)] }],
        initializers: [floats("w", [3, 4]), floats("b", [3])],
      }),
    );
    const out = join(dir, "foreign");
    expectSuccess(deriva(["import", file, "--data", IRIS, "--out", out]));
    const saved = readJson(join(out, "model.json"));
    expect(saved.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect((saved.training as { data: string }).data).toBe(IRIS);
    expect(evaluate(out).samples).toBe(150);
  });

  it("a classifier that ends in Softmax is imported with a warning", () => {
    const file = join(dir, "softmax.onnx");
    const nodes = [
      { op: "Gemm", inputs: ["x", "w"], output: "g", attributes: [intAttr("transB", 1)] },
      { op: "Softmax", inputs: ["g"], output: "y" },
    ];
    writeFileSync(file, onnxFile({ sample: [4], nodes, initializers: [floats("w", [3, 4])] }));
    const run = deriva(["import", file, "--data", IRIS, "--out", join(dir, "softmax")]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: the network ends in Softmax: deriva takes a classifier's outputs as logits/,
    );
  });
});

describe("bad files and flags: one line, exit 1, nothing written", () => {
  const write = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const refuse = (file: string, message: string | RegExp, extra: string[] = []) => {
    const out = join(dir, `never-${readdirSync(dir).length}`);
    expectError(deriva(["import", file, "--out", out, ...extra]), message);
    expect(existsSync(out)).toBe(false);
  };

  it("PyTorch pickle files (by name or by content), truncated files, branches, enormous tensors", () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    const pickle =
      /^error: .* is a PyTorch pickle file: loading one runs the code inside it, so deriva does not read it; convert it in Python .*torch\.onnx\.export.*save_file/;
    refuse(write("model.pt", zip), pickle);
    refuse(write("disguised.onnx", zip), pickle);
    const good = readFileSync(join(dir, "iris-graph.onnx"));
    refuse(
      write("truncated.onnx", good.subarray(0, 500)),
      /^error: onnx: .*truncated\.onnx is not an ONNX model \(it does not decode as one: .*\)$/,
    );
    const branch = onnxFile({
      sample: [4],
      nodes: [
        { op: "Relu", inputs: ["x"], output: "r" },
        { op: "Add", inputs: ["x", "r"], output: "y" },
      ],
    });
    refuse(
      write("branch.onnx", branch),
      "onnx: the graph branches: 'x' feeds node 'r' (Relu) and node 'y' (Add); deriva reads graphs that are one chain of layers",
    );
    const huge = floats("w", [3, 4]);
    huge.dims = [4_000_000_000n, 4n];
    const gemm = onnxFile({
      sample: [4],
      nodes: [{ op: "Gemm", inputs: ["x", "w"], output: "y", attributes: [intAttr("transB", 1)] }],
      initializers: [huge],
    });
    refuse(
      write("huge.onnx", gemm),
      /tensor 'w': its dims need 64000000000 bytes of data but the file holds 48: truncated or corrupt$/,
    );
  });

  it("a file that does not say what it reads, and weights without an architecture", () => {
    refuse(join(dir, "foreign.onnx"), /does not say what the model reads: give --data/);
    const files = readJson(join(model, "model.json")).files as { weights: { file: string } };
    refuse(join(model, files.weights.file), /holds weights only: give --architecture/);
  });

  it("export: a destination that is a folder, a bad opset", () => {
    const folder = join(dir, "a-folder.onnx");
    mkdirSync(folder);
    expectError(
      deriva(["export", "--model", model, "--to", folder]),
      /a-folder\.onnx is a folder, not a regular file/,
    );
    expectError(
      deriva(["export", "--model", model, "--to", join(dir, "x.onnx"), "--opset", "12"]),
      "--opset expects an integer from 13 to 22, got '12'",
    );
    expect(existsSync(join(dir, "x.onnx"))).toBe(false);
  });
});
