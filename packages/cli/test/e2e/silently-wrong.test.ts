/**
 * What the command line used to get silently wrong, or say unclearly: outputs that are not finite
 * (counted as class 0, or "cell is not iterable"), one class or an empty target, hexadecimal cells,
 * terminal escapes in class names, a confusion matrix too large to print, a resumed run without
 * --data. Each is now refused or reported in words.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deriva, ensureBuilt } from "./cli.js";
import { expectSuccess, IRIS, tempDir } from "./train-helpers.js";

let dir = "";
let irisModel = "";

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("wrong");
  irisModel = join(dir, "iris");
  expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "20", "--out", irisModel]));
}, 300_000);

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Exit code 1 and exactly one error line, nothing on stdout. */
function expectRefused(args: string[], message: string): void {
  const run = deriva(args);
  expect(run.status, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).toBe(`error: ${message}\n`);
}

describe("outputs that are not finite", () => {
  const iris = () => readFileSync(IRIS, "utf8").trimEnd();

  it("predict shows a row of 1e300 as not finite, and the other rows as usual", () => {
    const path = write(
      "huge.csv",
      "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n1e300,3.5,1.4,0.2\n",
    );
    const run = deriva(["predict", "--model", irisModel, path]);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${path} row 2\\s+setosa\\s+\\d+\\.\\d\\d%$`));
    expect(lines[2]).toMatch(new RegExp(`^${path} row 3\\s+–\\s+not finite$`));
    expect(run.stderr).toBe(
      `warning: 1 of 2 inputs gave outputs that are not finite (NaN or ±Infinity), shown as "not finite": ${path} row 3\n`,
    );
    const json = JSON.parse(deriva(["predict", "--model", irisModel, path, "--format", "json"]).stdout);
    expect(json[1]).toMatchObject({ class: null, probability: null });
    expect(json[1].error).toMatch(/not finite/);
  });

  it("eval counts a row whose output is not finite as wrong, in no class", () => {
    const path = write("with-huge.csv", `${iris()}\n1e300,3.5,1.4,0.2,setosa\n`);
    const run = deriva(["eval", "--model", irisModel, "--data", path]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "1 of 151 rows gave outputs that are not finite (NaN or ±Infinity), counted as wrong and in no class: the 151st",
    );
    const matrix = run.stdout
      .trimEnd()
      .split("\n")
      .slice(-3)
      .map((line) => line.trim().split(/\s+/).slice(1).map(Number));
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(150); // the 151st is in no cell
    const json = JSON.parse(
      deriva(["eval", "--model", irisModel, "--data", path, "--format", "json"]).stdout,
    );
    expect(json.nonFinite).toBe(1);
    expect(json.correct).toBeLessThanOrEqual(150);
  });
});

describe("targets and cells refused", () => {
  it("a target with one class, or an empty target cell", () => {
    const one = write("one-class.csv", "a,b,kind\n1,2,cat\n3,4,cat\n5,6,cat\n");
    expectRefused(
      ["train", "--data", one],
      `${one}: the target column 'kind' has one class ('cat') in all 3 rows: a classifier needs at least two`,
    );
    const empty = write("empty-target.csv", "a,b,kind\n1,2,cat\n3,4,\n5,6,dog\n");
    expectRefused(
      ["train", "--data", empty],
      `${empty}: row 3, column 'kind': the target is empty (every row needs one)`,
    );
  });

  it("a hexadecimal cell is not read as a number", () => {
    const hex = write("hex.csv", "a,b,kind\n1,2,cat\n0x10,4,dog\n5,6,cat\n7,8,dog\n");
    expectRefused(["train", "--data", hex], `${hex}: row 3, column 'a': '0x10' is not a number`);
  });
});

describe("what is printed from user data", () => {
  it("escapes terminal control characters in class names and headers", () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2 === 0 ? "red\u001b[31m" : "plain"}`);
    const path = write("escapes.csv", `x,colour\u001b[2J\n${rows.join("\n")}\n`);
    const run = deriva(["train", "--data", path, "--epochs", "1", "--out", join(dir, "escapes")]);
    expectSuccess(run);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain("target 'colour\\x1b[2J' with 2 classes (plain, red\\x1b[31m)");
  });

  it("above 20 classes prints a line per class and writes the matrix to the model folder", () => {
    const rows = Array.from(
      { length: 250 },
      (_, i) => `${i % 25},${(i * 7) % 13},c${String(i % 25).padStart(2, "0")}`,
    );
    const path = write("many.csv", `a,b,kind\n${rows.join("\n")}\n`);
    const out = join(dir, "many");
    const run = deriva(["train", "--data", path, "--epochs", "2", "--out", out]);
    expectSuccess(run);
    const lines = run.stdout.trimEnd().split("\n");
    const title = lines.findIndex((l) => l.startsWith("per class on the validation data"));
    expect(lines[title]).toBe(
      `per class on the validation data (the 25×25 confusion matrix is in ${join(out, "confusion.csv")}):`,
    );
    expect(lines[title + 1]!.trim().split(/\s+/)).toEqual([
      "class",
      "samples",
      "correct",
      "recall",
      "precision",
    ]);
    expect(lines.slice(title + 2, -1)).toHaveLength(25);
    const csv = readFileSync(join(out, "confusion.csv"), "utf8").trimEnd().split("\n");
    expect(csv).toHaveLength(26);
    expect(csv[0]!.split(",")).toHaveLength(26);
    expect(existsSync(join(out, "model.json"))).toBe(true);
  });
});

describe("resuming without --data", () => {
  it("continues on the data the model was trained on, not on MNIST", () => {
    const out = join(dir, "resume-me");
    expectSuccess(deriva(["train", "--data", IRIS, "--epochs", "2", "--out", out]));
    const run = deriva(["train", "--resume", out, "--epochs", "1"]);
    expectSuccess(run);
    expect(run.stdout).toContain(`data: ${IRIS}: 150 rows`);
    expect(run.stdout).toContain("resuming after epoch 2");
  });
});
