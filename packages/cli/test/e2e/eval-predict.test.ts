/**
 * `deriva eval`, `deriva predict` and `deriva train --resume` from the built binary, on models
 * trained here: the saved preprocessing is re-applied, the figures agree with training's, the
 * predictions equal the saved weights' own, and a resumed run continues exactly.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tensor, train } from "deriva";
import { loadModel } from "deriva/node";
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";
import { expectSuccess, IRIS, lossesOf, readHistoryLines, readJson, tempDir } from "./train-helpers.js";

let dir = "";
let irisModel = "";

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("eval");
  irisModel = join(dir, "iris");
  expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "60", "--seed", "1", "--out", irisModel]));
}, 300_000);

/** Four iris rows without the species column, in another column order. */
function newFlowers(): string {
  const path = join(dir, "flowers.csv");
  writeFileSync(
    path,
    [
      "petal_width,petal_length,sepal_width,sepal_length",
      "0.2,1.4,3.5,5.1",
      "1.3,4.5,2.8,6.1",
      "2.3,5.9,3.2,6.9",
      "0.3,1.3,3.4,4.8",
    ].join("\n"),
  );
  return path;
}

describe("deriva eval", () => {
  it("prints the loss, the accuracy and the confusion matrix on a CSV file", () => {
    const run = deriva(["eval", "--model", irisModel, "--data", IRIS]);
    expectSuccess(run);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`model ${irisModel} (mlp, classification) on ${IRIS}: 150 rows`);
    expect(lines[1]).toMatch(/^loss 0\.\d{4} \(cross-entropy\)$/);
    const accuracy = /^accuracy (\d+\.\d\d)% \((\d+) of 150\)$/.exec(lines[2]!);
    expect(accuracy).not.toBeNull();
    expect(Number(accuracy![1])).toBeGreaterThan(90);
    expect(lines[3]).toBe("confusion matrix (rows: true class, columns: predicted class):");
    expect(lines[4]!.trim().split(/\s+/)).toEqual(["setosa", "versicolor", "virginica"]);
    const rows = lines.slice(5).map((l) => l.trim().split(/\s+/));
    expect(rows.map((r) => r[0])).toEqual(["setosa", "versicolor", "virginica"]);
    const counts = rows.map((r) => r.slice(1).map(Number));
    expect(counts.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([50, 50, 50]);
    expect(counts[0]![0]! + counts[1]![1]! + counts[2]![2]!).toBe(Number(accuracy![2]));
  });

  it("--format json gives the same figures", () => {
    const text = deriva(["eval", "--model", irisModel, "--data", IRIS]);
    const run = deriva(["eval", "--model", irisModel, "--data", IRIS, "--format", "json"]);
    expectSuccess(run);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      samples: 150,
      lossName: "cross-entropy",
      classes: ["setosa", "versicolor", "virginica"],
    });
    expect(text.stdout).toContain(`loss ${(json.loss as number).toFixed(4)} `);
    expect(text.stdout).toContain(`(${json.correct} of 150)`);
    expect((json.confusionMatrix as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(150);
  });

  it("on MNIST's test digits reproduces the test accuracy that training printed", () => {
    const out = join(dir, "mnist");
    const trained = deriva(["train", "--limit", "800", "--epochs", "1", "--out", out]);
    expectSuccess(trained);
    const printed = /^test: loss (\d\.\d{4}), accuracy (\d+\.\d\d)% \(([\d,]+) of 2,000/m.exec(
      trained.stdout,
    )!;
    const run = deriva(["eval", "--model", out]); // --data defaults to mnist for a model trained on it
    expectSuccess(run);
    expect(run.stdout).toContain("on mnist: 2,000 MNIST test digits");
    expect(run.stdout).toContain(`loss ${printed[1]} (cross-entropy)`);
    expect(run.stdout).toContain(`accuracy ${printed[2]}% (${printed[3]} of 2,000)`);
  });
});

describe("deriva predict", () => {
  it("prints the class and its probability for each CSV row, re-applying the saved preprocessing", () => {
    const flowers = newFlowers();
    const run = deriva(["predict", "--model", irisModel, flowers]);
    expectSuccess(run);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]!.split(/\s+/)).toEqual(["input", "class", "probability"]);
    const rows = lines.slice(1).map((l) => /^(.+ row \d+)\s+(\S+)\s+(\d+\.\d\d)%$/.exec(l)!);
    expect(rows.map((r) => r[1]!.trim())).toEqual([2, 3, 4, 5].map((n) => `${flowers} row ${n}`));
    expect(rows.map((r) => r[2])).toEqual(["setosa", "versicolor", "virginica", "setosa"]);
    for (const r of rows) expect(Number(r[3])).toBeGreaterThan(50);
  });

  it("gives exactly the probabilities of the saved weights (save → load → predict)", async () => {
    const flowers = newFlowers();
    const run = deriva(["predict", "--model", irisModel, flowers, "--format", "json"]);
    expectSuccess(run);
    const rows = JSON.parse(run.stdout) as { class: string; probability: number; probabilities: number[] }[];
    // the same model rebuilt here from the files, fed the rows standardized by hand
    const saved = await loadModel(irisModel);
    const model = saved.module;
    const prep = saved.preprocessing as { columns: { name: string; mean: number; std: number }[] };
    const raw: Record<string, number>[] = [
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      { sepal_length: 6.1, sepal_width: 2.8, petal_length: 4.5, petal_width: 1.3 },
      { sepal_length: 6.9, sepal_width: 3.2, petal_length: 5.9, petal_width: 2.3 },
      { sepal_length: 4.8, sepal_width: 3.4, petal_length: 1.3, petal_width: 0.3 },
    ];
    const x = tensor(raw.map((row) => prep.columns.map((c) => (row[c.name]! - c.mean) / c.std)));
    const expected = train.predict(model, x).softmax(-1).toArray() as number[][];
    expect(rows.map((r) => r.probabilities)).toEqual(expected.map((r) => r.map((v) => Math.fround(v))));
    expect(rows.map((r) => r.probability)).toEqual(expected.map((r) => Math.max(...r)));
  });

  it("prints a value per row for a regression model", () => {
    const out = join(dir, "width");
    expectSuccess(
      deriva(["train", "--data", IRIS, "--target", "petal_width", "--epochs", "80", "--out", out]),
    );
    const run = deriva(["predict", "--model", out, IRIS, "--format", "json"]);
    expectSuccess(run);
    const rows = JSON.parse(run.stdout) as { input: string; value: number }[];
    expect(rows).toHaveLength(150);
    expect(rows[0]!.input).toBe(`${IRIS} row 2`);
    // setosa petals are narrow (0.1-0.6 cm), virginica's wide (1.4-2.5 cm)
    expect(rows[0]!.value).toBeLessThan(0.8);
    expect(rows[149]!.value).toBeGreaterThan(1.3);
    const text = deriva(["predict", "--model", out, IRIS]);
    expect(text.stdout.split("\n")[0]!.split(/\s+/)).toEqual(["input", "value"]);
  });
});

describe("deriva train --resume", () => {
  it("continues from the saved weights and optimizer state exactly as an uninterrupted run", () => {
    const args = ["train", "--data", IRIS, "--batch-size", "16", "--seed", "2"];
    const straight = join(dir, "straight");
    expectSuccess(deriva([...args, "--epochs", "8", "--out", straight]));
    const resumed = join(dir, "resumed");
    expectSuccess(deriva([...args, "--epochs", "5", "--out", resumed]));
    const run = deriva(["train", "--data", IRIS, "--resume", resumed, "--epochs", "3"]);
    expectSuccess(run);
    expect(run.stdout).toContain("resuming after epoch 5");
    expect(run.stdout).toMatch(/^epoch 6\/8 /m);
    expect(readHistoryLines(resumed).map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lossesOf(resumed)).toEqual(lossesOf(straight));
    const weightsOf = (folder: string) =>
      (readJson(join(folder, "model.json")).files as { weights: { file: string } }).weights.file;
    expect(weightsOf(resumed)).toBe(weightsOf(straight)); // named by their hash: the same bytes
    expect(readFileSync(join(resumed, weightsOf(resumed)))).toEqual(
      readFileSync(join(straight, weightsOf(straight))),
    );
    expect(readJson(join(resumed, "model.json"))).toMatchObject({ training: { epochs: 8 } });
  });

  it("keeps the saved settings and needs the optimizer state", () => {
    const changed = deriva(["train", "--data", IRIS, "--resume", irisModel, "--model", "cnn"]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toBe(
      "error: --model cannot change when resuming: the run continues with the saved model's settings\n",
    );
    const copy = join(dir, "no-optimizer");
    expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "2", "--out", copy]));
    const model = readJson(join(copy, "model.json"));
    const files = model.files as Record<string, { file: string }>;
    rmSync(join(copy, files.optimizer!.file));
    delete files.optimizer;
    writeFileSync(join(copy, "model.json"), JSON.stringify(model));
    const run = deriva(["train", "--data", IRIS, "--resume", copy, "--epochs", "1"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `error: ${copy} has no optimizer state to resume from (it was saved without one)\n`,
    );
  });
});
