import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv-dataset.js";
import { type ModelFile, modelJsonText, parseModelJson } from "../../src/io/model-file.js";
import { checkTrainingRecord } from "../../src/train/run-record.js";
import { VERSION } from "../../src/version.js";

const valid = {
  format: "deriva-model",
  derivaVersion: VERSION,
  task: "classification",
  architecture: { type: "Sequential", layers: [{ type: "Linear", in: 4, out: 3 }] },
  preprocessing: null,
  inputShape: [4],
  classes: ["a", "b", "c"],
};
const text = (changes: Record<string, unknown>) => JSON.stringify({ ...valid, ...changes });
const iris = parseCsv("x,y,species\n1,2,a\n2,1,b\n3,3,a\n");

describe("parseModelJson", () => {
  it("accepts a valid model.json, keeping its training record as JSON", () => {
    const model = parseModelJson(JSON.stringify(valid));
    expect(model).toMatchObject(valid);
    expect(model.training).toBeUndefined();
    const regression = parseModelJson(
      text({ task: "regression", classes: null, training: { epochs: 3, loss: "mae" } }),
    );
    expect(regression.training).toEqual({ epochs: 3, loss: "mae" });
    // models saved by deriva 0.1.0 kept the record under "extra"
    expect(parseModelJson(text({ extra: { epochs: 7 } })).training).toEqual({ epochs: 7 });
    expect(() => parseModelJson(text({ training: [1] }))).toThrow(
      "model.json: training must be an object, got [1]",
    );
  });

  it("the training record is checked and completed by train.checkTrainingRecord", () => {
    expect(checkTrainingRecord(undefined, "classification", ["a", "b", "c"], "m")).toMatchObject({
      loss: "cross-entropy",
      link: "softmax",
      outputs: 3,
      epochs: 0,
      batchSize: 64,
    });
    expect(checkTrainingRecord({ epochs: 3, loss: "mae" }, "regression", null, "m")).toMatchObject({
      epochs: 3,
      loss: "mae",
      link: "identity",
      outputs: 1,
    });
    expect(() => checkTrainingRecord({ batchSize: 0 }, "regression", null, "m")).toThrow(
      "m: training.batchSize must be a positive integer, got 0",
    );
    expect(() => checkTrainingRecord({ loss: "huber" }, "classification", ["a", "b"], "m")).toThrow(
      "m: training.loss: loss 'huber' does not fit a classification task",
    );
  });

  it("types the preprocessing and derives the input shape from it", () => {
    const model = parseModelJson(
      text({ preprocessing: iris.preprocessing, inputShape: undefined, classes: ["a", "b"] }),
    );
    expect(model.preprocessing).toEqual(iris.preprocessing);
    expect(model.inputShape).toEqual([2]);
    expect(() => parseModelJson(text({ inputShape: undefined }))).toThrow(
      "model.json: a model without a preprocessing needs an inputShape",
    );
    expect(() =>
      parseModelJson(text({ preprocessing: iris.preprocessing, inputShape: [3], classes: ["a", "b"] })),
    ).toThrow("model.json: inputShape [3] differs from the preprocessing's [2]");
  });

  it("names the column and the field of a corrupt preprocessing", () => {
    const prep = structuredClone(iris.preprocessing) as unknown as { columns: Record<string, unknown>[] };
    const corrupt = (change: (p: typeof prep) => void) => {
      const copy = structuredClone(prep);
      change(copy);
      return () =>
        parseModelJson(
          text({ preprocessing: copy, inputShape: undefined, classes: ["a", "b"] }),
          "m/model.json",
        );
    };
    expect(
      corrupt((p) => {
        p.columns[1]!.std = -1;
      }),
    ).toThrow(
      "m/model.json: the preprocessing is corrupt: columns[1] ('y'): std must be a positive finite number, got -1",
    );
    expect(
      corrupt((p) => {
        p.columns[0]!.std = null;
      }),
    ).toThrow("columns[0] ('x'): std must be a positive finite number, got null");
    expect(
      corrupt((p) => {
        p.columns[0]!.mean = "1";
      }),
    ).toThrow(`columns[0] ('x'): mean must be a finite number, got "1"`);
    expect(
      corrupt((p) => {
        p.columns[0]!.kind = "text";
      }),
    ).toThrow(`columns[0] ('x'): kind must be "numeric" or "categorical", got "text"`);
    expect(
      corrupt((p) => {
        (p as unknown as { featureNames: string[] }).featureNames = ["x"];
      }),
    ).toThrow(/featureNames must list the encoded inputs of the columns \(2: x, y\), got \["x"\]/);
    expect(
      corrupt((p) => {
        (p as unknown as { target: unknown }).target = {
          column: "species",
          task: "classification",
          classes: ["a"],
        };
      }),
    ).toThrow("target ('species'): classes must be a list of at least two distinct strings");
  });

  it("refuses corrupt, foreign, incomplete and other-version files with one clear line", () => {
    expect(() => parseModelJson('{"format": "deriva-mo', "m/model.json")).toThrow(
      /^m\/model.json is corrupt: not valid JSON/,
    );
    expect(() => parseModelJson("[1]")).toThrow("model.json is corrupt: it must hold a JSON object");
    expect(() => parseModelJson(text({ format: "keras" }))).toThrow(
      'model.json is not a deriva model: its format is "keras", not "deriva-model"',
    );
    const { architecture: _, ...incomplete } = valid;
    expect(() => parseModelJson(JSON.stringify(incomplete))).toThrow(
      "model.json is incomplete: the field 'architecture' is missing",
    );
    const major = Number(VERSION.split(".")[0]) + 1;
    expect(() => parseModelJson(text({ derivaVersion: `${major}.0.0` }))).toThrow(
      `model.json was saved by deriva ${major}.0.0, this is deriva ${VERSION}: models do not carry across major versions`,
    );
    expect(() => parseModelJson(text({ derivaVersion: "soon" }))).toThrow(/derivaVersion must be a version/);
    expect(() => parseModelJson(text({ task: "ranking" }))).toThrow(
      /task must be "classification" or "regression"/,
    );
    expect(() => parseModelJson(text({ classes: ["a"] }))).toThrow(
      /needs 'classes', at least two distinct class names/,
    );
    expect(() => parseModelJson(text({ task: "regression" }))).toThrow(
      /a regression model has 'classes': null/,
    );
    expect(() => parseModelJson(text({ architecture: [1] }))).toThrow(/architecture must be a layer config/);
    for (const file of ["../x", ".hidden", "a/b", ""]) {
      expect(() =>
        parseModelJson(text({ files: { weights: { file, bytes: 1, sha256: "0".repeat(64) } } })),
      ).toThrow(/'files' must be/);
    }
  });
});

describe("modelJsonText", () => {
  it("writes what parseModelJson reads back", () => {
    const model = parseModelJson(JSON.stringify(valid));
    expect(parseModelJson(modelJsonText(model))).toEqual(model);
  });

  it("refuses, at saving time, a model its reader would refuse (a NaN statistic becomes null in JSON)", () => {
    const model = parseModelJson(
      text({ preprocessing: iris.preprocessing, inputShape: undefined, classes: ["a", "b"] }),
    );
    const broken = structuredClone(model) as ModelFile & { preprocessing: { columns: { std: number }[] } };
    broken.preprocessing.columns[0]!.std = Number.NaN;
    expect(() => modelJsonText(broken)).toThrow(
      "refusing to save a model its reader would refuse: model.json: the preprocessing is corrupt: columns[0] ('x'): std must be a positive finite number, got null",
    );
  });
});
