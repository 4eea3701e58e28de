/**
 * `deriva train` from the built binary: on a CSV table (the shipped iris fixture), on a folder of
 * generated PNG and JPEG images, a short MNIST run, reproducibility, regression, lr auto and an
 * architecture file. The full MNIST runs (≥ 95 % and ≥ 97 %) are measured and reported in the
 * README, not run here.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { io } from "deriva";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSvg, textsOf } from "../plot/svg.js";
import { deriva, ensureBuilt } from "./cli.js";
import { writeStripesFolder } from "./images.js";
import {
  expectSuccess,
  IRIS,
  lastValAccuracy,
  lossesOf,
  readHistoryLines,
  readJson,
  tempDir,
} from "./train-helpers.js";

beforeAll(() => ensureBuilt(), 300_000);

describe("deriva train on a CSV table", () => {
  it("trains on iris with the defaults and saves a complete model folder", () => {
    const out = join(tempDir("iris"), "model");
    const run = deriva(["train", "--data", IRIS, "--out", out]);
    expectSuccess(run);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `data: ${IRIS}: 150 rows, 4 inputs, target 'species' with 3 classes (setosa, versicolor, virginica) (135 for training, 15 for validation)`,
    );
    expect(lines[1]).toBe("model: mlp: Linear(4, 256) → ReLU → Linear(256, 3), 2,051 parameters");
    expect(lines[2]).toBe(
      "training: 200 epochs of batches of 64, Adam (lr 0.001), cross-entropy loss, no augmentation, seed 0",
    );
    // plain epoch lines (no progress bar: stdout is not a terminal)
    expect(lines[3]).toMatch(
      /^epoch {3}1\/200 {2}loss \d\.\d{4} {2}acc \d+\.\d\d% {2}val_loss \d\.\d{4} {2}val_acc \d+\.\d\d% {2}\d+\.\ds$/,
    );
    expect(run.stdout).not.toContain("\u001b[");
    expect(lines.filter((l) => l.startsWith("epoch "))).toHaveLength(200);
    expect(lastValAccuracy(run.stdout)).toBeGreaterThanOrEqual(0.9);
    expect(run.stdout).toContain("confusion matrix on the validation data:");
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^saved ${out}/ \\(model.json, weights.safetensors, optimizer-[0-9a-f]{16}.safetensors, history.jsonl, history.svg\\) in \\d+\\.\\d s$`,
      ),
    );

    const model = readJson(join(out, "model.json"));
    expect(model).toMatchObject({
      format: "deriva-model",
      task: "classification",
      classes: ["setosa", "versicolor", "virginica"],
      architecture: {
        type: "Sequential",
        layers: [{ type: "Linear", in: 4, out: 256 }, { type: "ReLU" }, { type: "Linear", in: 256, out: 3 }],
      },
      preprocessing: { kind: "tabular", target: { column: "species", task: "classification" } },
      training: { model: "mlp", loss: "cross-entropy", epochs: 200, seed: 0, valSplit: 0.1, augment: "none" },
    });
    const columns = (model.preprocessing as { columns: { name: string; mean: number; std: number }[] })
      .columns;
    expect(columns[0]!.name).toBe("sepal_length");
    expect(columns[0]!.mean).toBeCloseTo(5.8433, 3); // standardization statistics saved with the model
    const files = model.files as Record<string, { file: string }>;
    const weights = io.decodeSafetensors(readFileSync(join(out, files.weights!.file)));
    expect(Object.keys(weights.tensors).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
    expect(weights.tensors["0.weight"]!.shape).toEqual([256, 4]);
    expect(weights.tensors["0.weight"]!.dtype).toBe("float32");
    expect(weights.metadata.format).toBe("pt");
    expect(existsSync(join(out, files.optimizer!.file))).toBe(true);

    const history = readHistoryLines(out);
    expect(history).toHaveLength(200);
    expect(Object.keys(history[0]!)).toEqual([
      "epoch",
      "loss",
      "accuracy",
      "valLoss",
      "valAccuracy",
      "lr",
      "seconds",
    ]);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss!);
    const svg = parseSvg(readFileSync(join(out, "history.svg"), "utf8"));
    const text = textsOf(svg);
    for (const label of ["loss", "val loss", "accuracy", "val accuracy", "epoch"])
      expect(text).toContain(label);
  });

  it("gives identical loss histories for the same seed", () => {
    const [a, b, c] = [tempDir("seed-a"), tempDir("seed-b"), tempDir("seed-c")];
    const args = ["train", "--data", IRIS, "--epochs", "12", "--batch-size", "16", "--val-split", "0.2"];
    expectSuccess(deriva([...args, "--seed", "3", "--out", a]));
    expectSuccess(deriva([...args, "--seed", "3", "--out", b]));
    expectSuccess(deriva([...args, "--seed", "4", "--out", c]));
    expect(lossesOf(a)).toHaveLength(12);
    expect(lossesOf(b)).toEqual(lossesOf(a));
    expect(lossesOf(c)).not.toEqual(lossesOf(a));
    expect(readJson(join(b, "model.json")).files).toEqual(readJson(join(a, "model.json")).files);
  });

  it("treats a numeric target as a regression: mse, loss only", () => {
    const out = tempDir("regression");
    const run = deriva(["train", "--data", IRIS, "--target", "petal_width", "--epochs", "60", "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toContain("target 'petal_width' with a numeric target (regression)");
    expect(run.stdout).toContain("mse loss");
    expect(run.stdout).not.toMatch(/\bacc/); // no accuracy column (a file hash may hold "acc")
    expect(run.stdout).not.toContain("confusion");
    const model = readJson(join(out, "model.json"));
    expect(model).toMatchObject({ task: "regression", classes: null, training: { loss: "mse", outputs: 1 } });
    // petal width is 1.2 ± 0.76 cm: a fitted model's validation mse is far below its variance
    expect(readHistoryLines(out).at(-1)!.valLoss).toBeLessThan(0.1);
    const bad = deriva([
      "train",
      "--data",
      IRIS,
      "--target",
      "petal_width",
      "--loss",
      "cross-entropy",
      "--out",
      out,
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      "error: loss 'cross-entropy' does not fit a regression task (use mse, quadratic, mae, huber)\n",
    );
  });

  it("with --lr auto reports the rate the range test chose and trains from it", () => {
    const out = tempDir("lr-auto");
    const run = deriva([
      "train",
      "--data",
      IRIS,
      "--lr",
      "auto",
      "--optimizer",
      "momentum",
      "--epochs",
      "30",
      "--out",
      out,
    ]);
    expectSuccess(run);
    const match =
      /^lr auto: the range test \(\d+ steps from 1e-7 up to [\d.e+-]+\) suggests lr ([\d.e+-]+)$/m.exec(
        run.stdout,
      );
    expect(match, run.stdout).not.toBeNull();
    const chosen = Number(match![1]);
    expect(readHistoryLines(out)[0]!.lr).toBeCloseTo(chosen, 3 - Math.floor(Math.log10(chosen)));
    expect(run.stdout).toContain("SGD (lr auto)");
    expect(lastValAccuracy(run.stdout)).toBeGreaterThanOrEqual(0.8);
  });

  it("builds an architecture from a JSON file and checks it against the data", () => {
    const dir = tempDir("arch");
    const arch = join(dir, "arch.json");
    const layers = [
      { type: "Linear", in: 4, out: 12 },
      { type: "Tanh" },
      { type: "Dropout", p: 0.1 },
      { type: "Linear", in: 12, out: 3 },
    ];
    writeFileSync(arch, JSON.stringify({ type: "Sequential", layers }));
    const run = deriva(["train", "--data", IRIS, "--model", arch, "--epochs", "40", "--out", join(dir, "m")]);
    expectSuccess(run);
    expect(run.stdout).toContain(
      "model: custom: Linear(4, 12) → Tanh → Dropout(0.1) → Linear(12, 3), 99 parameters",
    );
    expect(readJson(join(dir, "m", "model.json")).architecture).toEqual({
      type: "Sequential",
      layers: [
        { type: "Linear", in: 4, out: 12, bias: true },
        { type: "Tanh" },
        { type: "Dropout", p: 0.1 },
        { type: "Linear", in: 12, out: 3, bias: true },
      ],
    });
    writeFileSync(arch, JSON.stringify({ type: "Sequential", layers: [{ type: "Linear", in: 4, out: 2 }] }));
    const wrong = deriva(["train", "--data", IRIS, "--model", arch, "--out", join(dir, "m2")]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe(
      `error: ${arch}: the architecture turns an input [1, 4] into [1, 2], but the data needs [1, 3] (3 outputs)\n`,
    );
  });

  it("prints its flags and examples with --help", () => {
    const run = deriva(["train", "--help"]);
    expectSuccess(run);
    for (const flag of [
      "--data",
      "--target",
      "--model",
      "--hidden",
      "--activation",
      "--loss",
      "--optimizer",
      "--lr",
      "--epochs",
      "--batch-size",
      "--val-split",
      "--seed",
      "--out",
      "--resume",
      "--augment",
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain("Examples:");
    expect(run.stdout).not.toContain("--limit");
  });
});

describe("deriva train on an image folder", () => {
  it("learns two classes of generated PNG and JPEG images and predicts new ones", () => {
    const dir = tempDir("images");
    writeStripesFolder(join(dir, "train"), 24, 1);
    const fresh = writeStripesFolder(join(dir, "new"), 3, 2);
    const out = join(dir, "model");
    const run = deriva([
      "train",
      "--data",
      join(dir, "train"),
      "--model",
      "cnn",
      "--epochs",
      "30",
      "--val-split",
      "0.25",
      "--out",
      out,
    ]);
    expectSuccess(run);
    expect(run.stdout).toContain(
      `data: ${join(dir, "train")}: 48 images of 2 classes (horizontal, vertical), resized to 28×28 RGB (36 for training, 12 for validation)`,
    );
    expect(run.stdout).toContain("shift augmentation, cosine schedule");
    expect(lastValAccuracy(run.stdout)).toBeGreaterThanOrEqual(0.9);
    expect(readJson(join(out, "model.json"))).toMatchObject({
      classes: ["horizontal", "vertical"],
      preprocessing: { kind: "image", height: 28, width: 28, channels: 3, layout: "nchw" },
    });
    const inputs = [...fresh.horizontal, ...fresh.vertical];
    const predicted = deriva(["predict", "--model", out, ...inputs, "--format", "json"]);
    expectSuccess(predicted);
    const rows = JSON.parse(predicted.stdout) as { input: string; class: string; probability: number }[];
    expect(rows.map((r) => r.input)).toEqual(inputs);
    expect(rows.map((r) => r.class)).toEqual([
      "horizontal",
      "horizontal",
      "horizontal",
      "vertical",
      "vertical",
      "vertical",
    ]);
    for (const row of rows) expect(row.probability).toBeGreaterThan(0.5);
  });

  it("resizes to --image-size and converts to gray with --channels 1", () => {
    const dir = tempDir("images-gray");
    writeStripesFolder(join(dir, "data"), 6, 3);
    const out = join(dir, "model");
    const run = deriva([
      "train",
      "--data",
      join(dir, "data"),
      "--image-size",
      "12x16",
      "--channels",
      "1",
      "--epochs",
      "2",
      "--val-split",
      "0",
      "--out",
      out,
    ]);
    expectSuccess(run);
    expect(run.stdout).toContain("resized to 12×16 gray (12 for training, 0 for validation)");
    expect(run.stdout).toContain("model: mlp: Flatten → Linear(192, 256) → ReLU → Linear(256, 2)");
    expect(run.stdout).toContain("confusion matrix on the training data:");
  });
});

describe("deriva train on MNIST", () => {
  it("a short run on 1,000 digits learns and reports the held-out test accuracy", () => {
    const out = tempDir("mnist");
    const run = deriva(["train", "--limit", "1000", "--epochs", "2", "--out", out]);
    expectSuccess(run);
    expect(run.stdout).toContain(
      "data: MNIST, 1,000 digits 28×28 (900 for training, 100 for validation) and 2,000 held-out test digits",
    );
    expect(run.stdout).toContain(
      "model: mlp: Flatten → Linear(784, 256) → ReLU → Linear(256, 10), 203,530 parameters",
    );
    expect(run.stdout).toContain("shift augmentation, seed 0");
    const test = /^test: loss (\d\.\d+), accuracy (\d+\.\d\d)% \(([\d,]+) of 2,000 held-out digits\)$/m.exec(
      run.stdout,
    );
    expect(test, run.stdout).not.toBeNull();
    expect(Number(test![2])).toBeGreaterThan(60);
    expect(run.stdout).toContain("confusion matrix (rows: true class, columns: predicted class):");
    expect(readJson(join(out, "model.json"))).toMatchObject({
      preprocessing: { kind: "image", height: 28, width: 28, channels: 1, layout: "nchw" },
      training: {
        data: "mnist",
        epochs: 2,
        augment: "shift",
        results: { testAccuracy: Number(test![2]) / 100 },
      },
    });
  });
});
